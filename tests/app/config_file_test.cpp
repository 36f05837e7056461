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

CAF_TEST(durations are parsed strictly and bounded) {
  config_file cfg;
  CAF_REQUIRE(cfg.parse("zero = 0\nhuge = 1e300s\nhex = 0x10s\nneg = -1s\n"
                        "inf = infs\nfrac = 1.5s\nbig = 999999999999h\n"
                        "long = 1234567890123s\nok = 30s\n",
                        "b.conf")
                  .empty());
  CAF_CHECK_EQUAL(cfg.get_duration("zero", 100s, 10s, 1h).count(), 100000);
  CAF_CHECK_EQUAL(cfg.get_duration("huge", 100s, 10s, 1h).count(), 100000);
  CAF_CHECK_EQUAL(cfg.get_duration("hex", 1s).count(), 1000);
  CAF_CHECK_EQUAL(cfg.get_duration("neg", 1s).count(), 1000);
  CAF_CHECK_EQUAL(cfg.get_duration("inf", 1s).count(), 1000);
  CAF_CHECK_EQUAL(cfg.get_duration("frac", 1s).count(), 1500);
  CAF_CHECK_EQUAL(cfg.get_duration("big", 1s).count(), 1000);
  CAF_CHECK_EQUAL(cfg.get_duration("long", 1s).count(), 1000);
  CAF_CHECK_EQUAL(cfg.get_duration("ok", 1s, 10s, 1h).count(), 30000);
  const auto& e = cfg.errors();
  CAF_REQUIRE_EQUAL(e.size(), 7u);
  CAF_CHECK_EQUAL(e[0], "b.conf:1: key 'zero': '0' is out of range [10s, 1h]");
  CAF_CHECK_EQUAL(e[1], "b.conf:2: key 'huge': '1e300s' is not a duration "
                        "(e.g. 500ms, 30s, 5m, 23h)");
  CAF_CHECK(e[2].find("'0x10s' is not a duration") != std::string::npos);
  CAF_CHECK(e[3].find("'-1s' is not a duration") != std::string::npos);
  CAF_CHECK(e[4].find("'infs' is not a duration") != std::string::npos);
  CAF_CHECK_EQUAL(e[5], "b.conf:7: key 'big': '999999999999h' is out of "
                        "range [0s, 168h]");
  CAF_CHECK(e[6].find("'1234567890123s' is not a duration")
            != std::string::npos);
}

CAF_TEST(an endless or huge file is refused unread) {
  config_file cfg;
  auto errs = cfg.load("/dev/zero");
  CAF_REQUIRE_EQUAL(errs.size(), 1u);
  CAF_CHECK_EQUAL(errs[0], "/dev/zero: the configuration file is larger than "
                           "1024 KiB; refusing it");
  auto missing = cfg.load("/nonexistent/kisrt.conf");
  CAF_REQUIRE_EQUAL(missing.size(), 1u);
  CAF_CHECK(missing[0].find("cannot read the configuration file")
            != std::string::npos);
}

CAF_TEST(oversized and binary values are refused without echo) {
  std::string big(10 << 20, 'A'); // 10 MB, like a pasted key
  config_file cfg;
  auto errs = cfg.parse("[session.s1]\napp_key = " + big + "\n", "o.conf");
  CAF_REQUIRE_EQUAL(errs.size(), 1u);
  CAF_CHECK_EQUAL(errs[0],
                  "o.conf:2: key 'session.s1.app_key': the value is 10485760 "
                  "bytes, more than the 4096-byte limit");
  CAF_CHECK(!cfg.has("session.s1.app_key"));
  auto set_err = cfg.set("session.s1.app_key=" + big);
  CAF_REQUIRE(set_err.has_value());
  CAF_CHECK(set_err->size() < 200);
  // A long bad value is quoted by a short prefix only.
  config_file c2;
  CAF_REQUIRE(
      c2.parse("n = " + std::string(3000, '9') + "x\n", "q.conf").empty());
  c2.get_int("n", 0, 0, 10);
  CAF_REQUIRE_EQUAL(c2.errors().size(), 1u);
  CAF_CHECK_EQUAL(c2.errors()[0], "q.conf:1: key 'n': '" + std::string(32, '9')
                                      + "'...(3001 bytes) is not an integer");
  // NUL and other control bytes: named by line and column, not stored.
  config_file c3;
  auto e3 = c3.parse(std::string{"a = 7\0abc\n", 10}, "c.conf");
  CAF_REQUIRE_EQUAL(e3.size(), 1u);
  CAF_CHECK_EQUAL(e3[0], "c.conf:1:6: control character '\\x00' (only tabs "
                         "and a CR before the newline are allowed)");
  CAF_CHECK(!c3.has("a"));
  CAF_CHECK_EQUAL(config_file::quote("ok"), "'ok'");
}

CAF_TEST(CRLF files parse like LF files) {
  config_file cfg;
  CAF_REQUIRE(
      cfg.parse("[kis]\r\nenv = sim\r\nx = \"q\"\r\n", "w.conf").empty());
  CAF_CHECK_EQUAL(cfg.get_string("kis.env"), "sim");
  CAF_CHECK_EQUAL(cfg.get_string("kis.x"), "q");
}
