// SPDX-License-Identifier: Apache-2.0
// The [portfolio] retry keys and the /healthz answer deadline.
#define CAF_SUITE app.portfolio_options
#include <caf/test/unit_test.hpp>

#include "apps/kisrt/gateway.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"

using namespace kisrt;
using namespace kisrt::app;
using namespace std::chrono_literals;

namespace {

gateway_options read(const std::string& text,
                     std::vector<std::string>& errors) {
  return test::read_config(text, errors);
}

bool has(const std::vector<std::string>& errors, const std::string& needle) {
  return test::any_contains(errors, needle);
}

} // namespace

CAF_TEST(balance retries and the answer deadline have defaults) {
  std::vector<std::string> errors;
  auto o = read("[kis]\nenv = sim\n", errors);
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK(o.sources.balance_retry_min == 2s);
  CAF_CHECK(o.sources.balance_retry_max == 60s);
  CAF_CHECK(o.health.answer_timeout == mono_time{10s});
  CAF_CHECK(o.health.holding_grace == mono_time{10s});
}

CAF_TEST(balance retries and the answer deadline are read and checked) {
  std::vector<std::string> errors;
  auto o = read("[kis]\nenv = sim\n[portfolio]\nretry_min = 500ms\n"
                "retry_max = 2m\n[connection]\nanswer_timeout = 4s\n",
                errors);
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK(o.sources.balance_retry_min == 500ms);
  CAF_CHECK(o.sources.balance_retry_max == 2min);
  CAF_CHECK(o.health.answer_timeout == mono_time{4s});
  read("[kis]\nenv = sim\n[portfolio]\nretry_min = 10ms\n", errors);
  CAF_CHECK(has(errors, "portfolio.retry_min"));
  read("[kis]\nenv = sim\n[portfolio]\nretry_min = 2m\nretry_max = 1m\n",
       errors);
  CAF_CHECK(has(errors, "is larger than retry_max"));
}
