// SPDX-License-Identifier: Apache-2.0
// The notice journal's keys (`notices.journal`, `notices.journal_max`) and
// a journal file the gateway cannot open.
#define CAF_SUITE app.notices_options
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "messages/type_ids.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"
#include "tests/common/actor_config.hpp"

using namespace kisrt;
using namespace kisrt::app;

namespace {

gateway_options read(const std::string& text,
                     std::vector<std::string>& errors) {
  return test::read_config(text, errors);
}

bool has(const std::vector<std::string>& errors, const std::string& what) {
  return test::any_contains(errors, what);
}

} // namespace

CAF_TEST(the journal is in memory by default and bounded) {
  std::vector<std::string> errors;
  auto o = read("[kis]\nsim = true\n", errors);
  CAF_REQUIRE(errors.empty());
  CAF_CHECK_EQUAL(o.notices_journal, "");
  CAF_CHECK_EQUAL(o.notices_journal_max, 100000u);
  o = read("[kis]\nsim = true\n[notices]\njournal = /var/lib/kisrt/n.db\n"
           "journal_max = 5000\n",
           errors);
  CAF_REQUIRE(errors.empty());
  CAF_CHECK_EQUAL(o.notices_journal, "/var/lib/kisrt/n.db");
  CAF_CHECK_EQUAL(o.notices_journal_max, 5000u);
  read("[kis]\nsim = true\n[notices]\njournal_max = 0\n", errors);
  CAF_CHECK(has(errors, "notices.journal_max"));
}

CAF_TEST(a journal file that cannot be opened stops the start naming the key) {
  std::vector<std::string> errors;
  auto o = read("[kis]\nsim = true\n[notices]\n"
                "journal = /nonexistent-dir/notices.db\n",
                errors);
  CAF_REQUIRE(errors.empty());
  o.admin = false;
  test::quiet_test_config cfg;
  caf::actor_system sys{cfg};
  gateway gw{o, embedded_simulator()};
  std::string what;
  try {
    gw.start(sys);
  } catch (const std::runtime_error& ex) {
    what = ex.what();
  }
  CAF_CHECK_EQUAL(what.rfind("notices.journal: notice journal "
                             "/nonexistent-dir/notices.db: ",
                             0),
                  0u);
  gw.stop(std::chrono::milliseconds{200});
}
