// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE app.config_file
#include <caf/test/unit_test.hpp>

#include "apps/kisrt/config_file.hpp"

using namespace kisrt::app;
using namespace std::chrono_literals;

CAF_TEST(sections keys comments and quotes) {
  config_file cfg;
  auto errs = cfg.parse("# comment\n"
                        "top = 1\n"
                        "[kis]\n"
                        "env = sim   # trailing comment\n"
                        "ws_url = \"ws://127.0.0.1:1/#not-a-comment\"\n"
                        "[session.s1]\n"
                        "hts_id = myid\n"
                        "[session.s2]\n"
                        "hts_id = other\n"
                        "[slots]\n"
                        "tr.holding = H0STCNT0, H0STASP0,\n",
                        "test.conf");
  CAF_CHECK(errs.empty());
  CAF_CHECK_EQUAL(cfg.get_int("top", 0, 0, 10), 1);
  CAF_CHECK_EQUAL(cfg.get_string("kis.env"), "sim");
  CAF_CHECK_EQUAL(cfg.get_string("kis.ws_url"),
                  "ws://127.0.0.1:1/#not-a-comment");
  CAF_CHECK_EQUAL(cfg.sections("session."),
                  (std::vector<std::string>{"session.s1", "session.s2"}));
  CAF_CHECK_EQUAL(cfg.get_list("slots.tr.holding"),
                  (std::vector<std::string>{"H0STCNT0", "H0STASP0"}));
  CAF_CHECK_EQUAL(cfg.get_string("missing", "dflt"), "dflt");
}

CAF_TEST(syntax errors name file and line) {
  config_file cfg;
  auto errs = cfg.parse("[kis\n"
                        "novalue\n"
                        "bad key = 1\n"
                        "q = \"open\n"
                        "a = 1\n"
                        "a = 2\n",
                        "x.conf");
  CAF_REQUIRE_EQUAL(errs.size(), 5u);
  CAF_CHECK_EQUAL(errs[0], "x.conf:1: section header without ']'");
  CAF_CHECK_EQUAL(errs[1], "x.conf:2: expected 'key = value'");
  CAF_CHECK_EQUAL(errs[2], "x.conf:3: bad key 'bad key'");
  CAF_CHECK_EQUAL(errs[3], "x.conf:4: key 'q': unterminated quote");
  CAF_CHECK_EQUAL(errs[4], "x.conf:6: key 'a' already set at x.conf:5");
}

CAF_TEST(typed reads report the key its origin and why) {
  config_file cfg;
  CAF_REQUIRE(cfg.parse("[slots]\ncap = 4x1\nmin = 500\nflag = maybe\n"
                        "hold = 60 seconds\nrate = 1e999\n",
                        "g.conf")
                  .empty());
  CAF_CHECK_EQUAL(cfg.get_int("slots.cap", 41, 1, 41), 41);
  CAF_CHECK_EQUAL(cfg.get_int("slots.min", 41, 1, 41), 41);
  CAF_CHECK_EQUAL(cfg.get_bool("slots.flag", true), true);
  CAF_CHECK_EQUAL(cfg.get_duration("slots.hold", 60s).count(), 60000);
  CAF_CHECK_EQUAL(cfg.get_double("slots.rate", 20, 0, 1000), 20.0);
  const auto& e = cfg.errors();
  CAF_REQUIRE_EQUAL(e.size(), 5u);
  CAF_CHECK_EQUAL(e[0], "g.conf:2: key 'slots.cap': '4x1' is not an integer");
  CAF_CHECK_EQUAL(e[1],
                  "g.conf:3: key 'slots.min': 500 is out of range [1, 41]");
  CAF_CHECK(e[2].find("'maybe' is not a boolean") != std::string::npos);
  CAF_CHECK(e[3].find("not a duration") != std::string::npos);
  CAF_CHECK(e[4].find("slots.rate") != std::string::npos);
}

CAF_TEST(durations and overrides) {
  config_file cfg;
  CAF_REQUIRE(
      cfg.parse("a = 500ms\nb = 30s\nc = 5m\nd = 23h\ne = 2\n", "d").empty());
  CAF_CHECK_EQUAL(cfg.get_duration("a", 0ms).count(), 500);
  CAF_CHECK_EQUAL(cfg.get_duration("b", 0ms).count(), 30000);
  CAF_CHECK_EQUAL(cfg.get_duration("c", 0ms).count(), 300000);
  CAF_CHECK_EQUAL(cfg.get_duration("d", 0ms).count(), 23 * 3600000);
  CAF_CHECK_EQUAL(cfg.get_duration("e", 0ms).count(), 2000);
  CAF_CHECK(!cfg.set("b=45s"));
  CAF_CHECK_EQUAL(cfg.get_duration("b", 0ms).count(), 45000);
  CAF_CHECK(cfg.set("novalue").has_value());
}

CAF_TEST(keys never read are reported as unknown) {
  config_file cfg;
  CAF_REQUIRE(cfg.parse("[kis]\nenv = sim\nenvv = typo\n", "u.conf").empty());
  cfg.get_string("kis.env");
  CAF_CHECK_EQUAL(cfg.unused_keys(), (std::vector<std::string>{
                                         "u.conf:3: unknown key 'kis.envv'"}));
}
