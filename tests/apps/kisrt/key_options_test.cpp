// SPDX-License-Identifier: Apache-2.0
// Keys and TRs in the configuration: a TR without a layout or a key of the
// wrong form for its TR is refused with where it came from (file:line or
// --set) and the key; overseas symbols go to the overseas TRs.
#define CAF_SUITE app.key_options
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "apps/kisrt/options.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"

using namespace kisrt;
using namespace kisrt::app;
using kisrt::test::any_contains;

namespace {

struct fixture {
  std::vector<std::string> errors;

  gateway_options read(const std::string& text,
                       const std::vector<std::string>& sets = {}) {
    config_file cfg;
    errors = cfg.parse(text, "t.conf");
    for (auto& s : sets)
      if (auto err = cfg.set(s))
        errors.push_back(*err);
    return read_options(
        cfg, [](const char*) -> std::optional<std::string> { return {}; },
        errors);
  }

  bool has_error(const std::string& needle) const {
    return any_contains(errors, needle);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(key_options_tests, fixture)

CAF_TEST(a malformed demand key is refused with file line and key) {
  read("[kis]\nsim = true\n[demand]\nholdings = 005930, AAPL\n"
       "picks = 000660, DXXXAAPL\n");
  CAF_CHECK(has_error("t.conf:4: key 'demand.holdings': H0STCNT0 key 'AAPL' "
                      "is not a domestic stock code: 6 digits or capital "
                      "letters (005930) (an overseas symbol is D or R, an "
                      "exchange and a symbol: DNASAAPL)"));
  // No such exchange: not an overseas key, so not a stock code either.
  CAF_CHECK(has_error("t.conf:5: key 'demand.picks': H0STCNT0 key "
                      "'DXXXAAPL' is not a domestic stock code"));
  CAF_CHECK(!has_error("'005930'"));
  CAF_CHECK(!has_error("'000660'"));
}

CAF_TEST(set is checked as the file is) {
  read("[kis]\nsim = true\n",
       {"demand.picks=00593a", "slots.tr.scan=H0NOPE00"});
  CAF_CHECK(has_error("--set: key 'demand.picks': H0STCNT0 key '00593a' is "
                      "not a domestic stock code"));
  CAF_CHECK(has_error("--set: key 'slots.tr.scan': unknown tr_id 'H0NOPE00' "
                      "(no layout in tr-fields.json)"));
}

CAF_TEST(a class TR must take the class symbols) {
  read("[kis]\nsim = true\n[slots]\ntr.pick = H0STCNT0, H0UPCNT0\n"
       "tr.overseas_pick = H0STCNT0\ntr.holding = H0STCNI0\n");
  CAF_CHECK(has_error("t.conf:4: key 'slots.tr.pick': 'H0UPCNT0' takes a "
                      "domestic index code: 4 digits"));
  CAF_CHECK(has_error("not the stock codes of this class"));
  CAF_CHECK(has_error("t.conf:5: key 'slots.tr.overseas_pick': 'H0STCNT0' "
                      "takes a domestic stock code"));
  CAF_CHECK(has_error("not the overseas keys of this class"));
  CAF_CHECK(has_error("t.conf:6: key 'slots.tr.holding': 'H0STCNI0' is an "
                      "execution-notice TR"));
}

CAF_TEST(overseas symbols in demand take the overseas TRs) {
  auto o = read("[kis]\nsim = true\n[demand]\nholdings = 005930, DNASAAPL\n"
                "picks = RBAQAAPL, RHKS00003\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK_EQUAL(o.holdings, (std::vector<std::string>{"005930", "DNASAAPL"}));
  CAF_CHECK_EQUAL(o.slots.overseas_pick_trs,
                  std::vector<std::string>{"HDFSCNT0"});
  CAF_CHECK_EQUAL(o.slots.overseas_holding_trs,
                  std::vector<std::string>{"HDFSCNT0"});
  o = read("[kis]\nsim = true\n[slots]\ntr.overseas_pick = HDFSCNT0, "
           "HDFSASP0\n[demand]\npicks = DTSE7203\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK_EQUAL(o.slots.overseas_pick_trs,
                  (std::vector<std::string>{"HDFSCNT0", "HDFSASP0"}));
}

CAF_TEST_FIXTURE_SCOPE_END()
