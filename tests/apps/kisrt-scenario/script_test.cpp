// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE scenario.script
#include <caf/test/unit_test.hpp>

#include "apps/kisrt-scenario/script.hpp"

using namespace kisrt::scenario;
using namespace std::chrono_literals;

namespace {

// A script with every statement of the language.
constexpr const char* example = R"(# comment
scenario "holdings preempt the scanner"
config sessions=1 cap=41 notice=on p3_min_hold=60s tr.holding=H0STCNT0,H0STASP0 tr.pick=H0STCNT0 tr.scan=H0STCNT0
at 08:59:00 up s1                      # absolute KST time
at 09:00:00 holdings 005930 000660     # full holding set
at 09:00:00 picks 035420 051910        # full ranked pick list
at +1s scan 000001 000002 000003       # scanner candidates, best first
at +5s fill buy 005930 10              # execution notice (fill)
at +5s fill sell 005930 10
server cap s1 40                       # the server rejects beyond 40
server reject H0STCNT0 000001 OPSP8992 # the next subscribe is rejected
server ack manual                      # acks only when `ack` lines say so
ack s1 H0STCNT0 005930 OPSP0000       # epoch=N: an older connection
down s1                                # connection lost
request H0STASP0 000660 priority=2 owner=node7
release H0STASP0 000660 owner=node7
expect slots s1 used=41 active=41 pending=0
expect active H0STCNT0 005930 priority=1
expect pending H0STCNT0 005930
expect absent H0STCNT0 000001
expect evicted H0STCNT0 000001
expect rejected H0STCNT0 000001 OPSP8992
expect starved H0STCNT0 123456
expect sent s1 subscribe H0STCNT0 005930      # a later wire command
expect sent s1 unsubscribe H0STCNT0 000001
expect no-sent s1                              # nothing sent after
holdings
)";

std::string first_error(const std::string& body) {
  std::vector<script> out;
  auto err = parse("scenario \"t\"\n" + body, "t.scn", out);
  return err ? err->to_string() : "ok";
}

} // namespace

CAF_TEST(a script with every statement parses completely) {
  std::vector<script> out;
  auto err = parse(example, "example.scn", out);
  CAF_REQUIRE(!err);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  auto& s = out[0];
  CAF_CHECK_EQUAL(s.name, "holdings preempt the scanner");
  CAF_REQUIRE_EQUAL(s.statements.size(), 25u);
  auto& cfg = s.statements[0];
  CAF_CHECK_EQUAL(cfg.verb, "config");
  CAF_CHECK_EQUAL(cfg.option("tr.holding"), "H0STCNT0,H0STASP0");
  CAF_CHECK_EQUAL(cfg.option("p3_min_hold"), "60s");
  auto& up = s.statements[1];
  CAF_CHECK_EQUAL(up.verb, "up");
  CAF_REQUIRE(up.at.has_value());
  CAF_CHECK(!up.at->relative);
  CAF_CHECK_EQUAL(up.at->value.count(), (8 * 3600 + 59 * 60) * 1000);
  auto& scan = s.statements[4];
  CAF_CHECK(scan.at->relative);
  CAF_CHECK_EQUAL(scan.at->value.count(), 1000);
  CAF_CHECK_EQUAL(scan.args.size(), 3u);
  auto& req = s.statements[12];
  CAF_CHECK_EQUAL(req.verb, "request");
  CAF_CHECK_EQUAL(req.option("priority"), "2");
  CAF_CHECK_EQUAL(req.option("owner"), "node7");
  auto& sent = s.statements[21];
  CAF_CHECK_EQUAL(sent.verb, "expect sent");
  CAF_CHECK_EQUAL(sent.args[1].text, "subscribe");
  CAF_CHECK_EQUAL(s.statements[24].verb, "holdings");
  CAF_CHECK(s.statements[24].args.empty());
}

CAF_TEST(errors name file line and column) {
  CAF_CHECK_EQUAL(first_error("frobnicate s1\n"),
                  "t.scn:2:1: unknown statement 'frobnicate'");
  CAF_CHECK_EQUAL(first_error("at 25:00:00 up s1\n"),
                  "t.scn:2:4: bad time '25:00:00' (expected HH:MM:SS, +Ns, "
                  "+Nms or +Nm)");
  CAF_CHECK_EQUAL(first_error("holdings 005930 12345\n"),
                  "t.scn:2:17: '12345': expected a stock code with an "
                  "optional quantity such as 005930 or 005930:10");
  CAF_CHECK_EQUAL(first_error("holdings 005930:1x\n"),
                  "t.scn:2:10: '005930:1x': expected a quantity after ':' "
                  "such as 005930:10");
  CAF_CHECK_EQUAL(first_error("picks 005930 12345\n"),
                  "t.scn:2:14: '12345': expected a 6-character stock code "
                  "such as 005930");
  CAF_CHECK_EQUAL(first_error("up\n"), "t.scn:2:3: 'up' needs 1 argument");
  CAF_CHECK_EQUAL(first_error("request H0STASP0 000660 owner=x\n"),
                  "t.scn:2:32: 'request' needs priority=...");
  CAF_CHECK_EQUAL(first_error("request H0STASP0 000660 priority=x owner=n\n"),
                  "t.scn:2:34: priority='x': expected a non-negative integer");
  CAF_CHECK_EQUAL(first_error("expect slots s1 usde=3\n"),
                  "t.scn:2:17: 'expect slots' takes no option 'usde'");
  CAF_CHECK_EQUAL(first_error("expect sent s1 sub H0STCNT0 005930\n"),
                  "t.scn:2:16: 'sub': expected subscribe or unsubscribe");
  CAF_CHECK_EQUAL(first_error("config cpa=41\n"),
                  "t.scn:2:8: unknown config key 'cpa'");
  CAF_CHECK_EQUAL(first_error("ack s1 H0STCNT0 005930 OK\n"),
                  "t.scn:2:24: 'OK': expected a msg_cd such as OPSP0008");
  CAF_CHECK_EQUAL(first_error("up s1 s2\n"),
                  "t.scn:2:7: unexpected 's2' after 'up'");
  std::vector<script> out;
  auto err = parse("up s1\n", "n.scn", out);
  CAF_REQUIRE(err.has_value());
  CAF_CHECK_EQUAL(err->to_string(),
                  "n.scn:1:1: a scenario must start with: scenario \"name\"");
  err = parse("scenario \"open\n", "q.scn", out);
  CAF_CHECK_EQUAL(err->to_string(), "q.scn:1:10: unterminated string");
}

CAF_TEST(extensions parse) {
  std::vector<script> out;
  auto err = parse("scenario \"x\"\nconfig live=on start=06:50:00 p3_ttl=1h\n"
                   "server feed on every=5s\nholdings 005930:10 000660\n"
                   "seen H0STCNT0 005930 session=s2\n"
                   "expect waiting H0STCNT0 005930\n"
                   "expect releasing H0STCNT0 005930 session=s1\n"
                   "expect stale H0STASP0 005930\n"
                   "expect slots s1 releasing=0 epoch=2\n",
                   "x.scn", out);
  CAF_REQUIRE(!err);
  auto& st = out.at(0).statements;
  CAF_REQUIRE_EQUAL(st.size(), 8u);
  CAF_CHECK_EQUAL(st[0].option("live"), "on");
  CAF_CHECK_EQUAL(st[1].verb, "server feed");
  CAF_CHECK_EQUAL(st[1].option("every"), "5s");
  CAF_CHECK_EQUAL(st[2].args.at(0).text, "005930:10");
  CAF_CHECK_EQUAL(first_error("ranking 005930:5.2:300000 000660:x:1\n"),
                  "t.scn:2:27: '000660:x:1': expected CODE:CHANGE%:VOLUME "
                  "such as 005930:5.2:300000");
  CAF_CHECK_EQUAL(first_error("ranking 005930:-1.5:10 000660:3:1\n"), "ok");
  CAF_CHECK_EQUAL(first_error("server feed maybe\n"),
                  "t.scn:2:13: 'maybe': expected on or off");
  CAF_CHECK_EQUAL(first_error("request H0STASP0 000660 priority=2 owner=n "
                              "session=s1\n"),
                  "t.scn:2:44: 'request' takes no option 'session'");
}

CAF_TEST(several scenarios in one file) {
  std::vector<script> out;
  auto err = parse("scenario \"a\"\nup s1\nscenario \"b\"\nup s2\ndown s2\n",
                   "m.scn", out);
  CAF_REQUIRE(!err);
  CAF_REQUIRE_EQUAL(out.size(), 2u);
  CAF_CHECK_EQUAL(out[0].statements.size(), 1u);
  CAF_CHECK_EQUAL(out[1].statements.size(), 2u);
  CAF_CHECK_EQUAL(out[1].name_line, 3);
}
