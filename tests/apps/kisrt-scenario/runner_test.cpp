// SPDX-License-Identifier: Apache-2.0
// The kisrt-scenario binary: a scenario can fail, and a failure (or a syntax
// error) is reported with file and line and a non-zero exit status.
#define CAF_SUITE scenario.runner
#include <caf/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <string>

#include "apps/kisrt-scenario/runner.hpp"
#include "apps/kisrt-scenario/script.hpp"

using namespace kisrt::scenario;

namespace {

struct process_result {
  int status = -1;
  std::string output;
};

// Runs the real binary on `args` and captures stdout and stderr.
process_result run_binary(const std::string& args) {
  process_result r;
  auto cmd = std::string{KISRT_BIN_DIR} + "/kisrt-scenario " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr)
    return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.output.append(buf.data(), n);
  auto st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

const std::string negative =
    std::string{KISRT_SOURCE_DIR} + "/tests/scenarios/negative/";

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

// Runs one in-memory script through the library and returns its report.
std::pair<bool, std::string> run_text(const std::string& text,
                                      bool trace = false) {
  std::vector<script> scripts;
  auto err = parse(text, "mem.scn", scripts);
  if (err)
    return {false, err->to_string()};
  std::ostringstream out;
  bool ok = true;
  for (auto& sc : scripts)
    ok = run(sc, run_options{trace, false}, out)
             == kisrt::scenario::outcome::pass
         && ok;
  return {ok, out.str()};
}

} // namespace

CAF_TEST(a wrong expectation fails with file line expected actual and table) {
  auto file = negative + "wrong_expectation.scn";
  auto r = run_binary(file);
  CAF_CHECK_EQUAL(r.status, 1);
  CAF_CHECK(contains(r.output, "FAIL " + file
                                   + ":10: a holding is wrongly "
                                     "expected to stay pending"));
  CAF_CHECK(contains(r.output, "expected:  H0STCNT0 005930 pending"));
  CAF_CHECK(contains(r.output, "actual:    H0STCNT0 005930 active"));
  CAF_CHECK(contains(r.output, "slot table at 09:00:00.000 KST"));
  CAF_CHECK(contains(r.output, "s1 up epoch=1 cap=41 learned_cap=41 used=3"));
  CAF_CHECK(contains(r.output, "0 passed, 1 failed"));
  CAF_MESSAGE("output:\n" << r.output);
}

CAF_TEST(a syntax error names file line and column and runs nothing) {
  auto file = negative + "syntax_error.scn";
  auto r = run_binary(file);
  CAF_CHECK_EQUAL(r.status, 2);
  CAF_CHECK(contains(r.output, file + ":4:29: '00066': expected a stock code"));
  CAF_CHECK(!contains(r.output, "PASS"));
  CAF_CHECK(!contains(r.output, "FAIL"));
}

CAF_TEST(one failing file among passing ones makes the exit status non - zero) {
  auto good =
      std::string{KISRT_SOURCE_DIR} + "/tests/scenarios/01_startup_sync.scn";
  auto r = run_binary(good + " " + negative + "wrong_expectation.scn");
  CAF_CHECK_EQUAL(r.status, 1);
  CAF_CHECK(contains(r.output, "PASS " + good));
  CAF_CHECK(contains(r.output, "1 passed, 1 failed"));
  r = run_binary(good);
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK(contains(r.output, "1 passed, 0 failed"));
}

CAF_TEST(usage errors) {
  CAF_CHECK_EQUAL(run_binary("").status, 2);
  CAF_CHECK_EQUAL(run_binary("--bogus x.scn").status, 2);
  auto r = run_binary(negative + "no-such-file.scn");
  CAF_CHECK_EQUAL(r.status, 2);
  CAF_CHECK(contains(r.output, "no-such-file.scn: cannot read the file"));
}

CAF_TEST(config values are checked with line and column) {
  auto r = run_text("scenario \"c\"\nconfig sessions=2 cap=x\n");
  CAF_CHECK(!r.first);
  CAF_CHECK_EQUAL(r.second,
                  "mem.scn:2:19: cap='x': expected a cap from 2 to 1000\n");
  r = run_text("scenario \"c\"\nup s1\nconfig cap=4\n");
  CAF_CHECK(!r.first);
  CAF_CHECK_EQUAL(
      r.second, "mem.scn:3:1: config must come before every other statement\n");
}

CAF_TEST(runtime errors fail the scenario at their line) {
  auto r = run_text("scenario \"t\"\nconfig sessions=1\nup s2\n");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:3: t"));
  CAF_CHECK(contains(r.second, "no session s2 (config sessions=1)"));
  r = run_text("scenario \"t\"\nat 09:00:00 up s1\nat 08:00:00 down s1\n");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:3: t"));
  CAF_CHECK(contains(r.second, "time goes backwards"));
  r = run_text("scenario \"t\"\nconfig notice=off\nat 09:00:00 up s1\n"
               "fill buy 005930 1\n");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:4: t"));
  CAF_CHECK(contains(r.second, "fill: no session carries the execution "
                               "notice H0STCNI0"));
}

CAF_TEST(a fill reaches portfolio_sync through the decoder) {
  auto r = run_text(R"(scenario "fill"
at 09:00:00 up s1
fill buy 005930 4 price=71000
fill buy 005930 6
expect position 005930 10
fill sell 005930 10
expect position 005930 3
)");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:7: fill"));
  CAF_CHECK(contains(r.second, "expected:  005930 position 3"));
  CAF_CHECK(contains(r.second, "actual:    005930 position 0 (held: "
                               "nothing)"));
}

CAF_TEST(expect sent matches in order and no - sent sees what follows) {
  auto r = run_text(R"(scenario "order"
config sessions=1 notice=on
at 08:59:00 up s1
at 09:00:00 holdings 005930
expect sent s1 subscribe H0STCNI0 hts1
expect sent s1 subscribe H0STASP0 005930
expect sent s1 subscribe H0STCNT0 005930
expect no-sent s1
scenario "out of order fails"
at 08:59:00 up s1
at 09:00:00 holdings 005930
expect sent s1 subscribe H0STCNT0 005930
expect sent s1 subscribe H0STASP0 005930
)");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "PASS mem.scn: order"));
  CAF_CHECK(contains(r.second, "FAIL mem.scn:13: out of order fails"));
  CAF_CHECK(contains(r.second, "sent after the last match: nothing"));
}

CAF_TEST(trace prints actor messages and wire frames) {
  auto r = run_text(R"(scenario "trace"
at 08:59:00 up s1
at 09:00:00 holdings 005930
)",
                    true);
  CAF_CHECK(r.first);
  CAF_CHECK(contains(r.second, "kis -> connection-s1: ('open', 1)"));
  CAF_CHECK(contains(r.second, "connection-s1 -> arbiter: (session_up("));
  CAF_CHECK(contains(r.second, "arbiter -> connection-s1: (wire_command("));
  CAF_CHECK(contains(r.second, "kis s1 e1 <- subscribe H0STCNT0 005930 -> "
                               "OPSP0000"));
  CAF_CHECK(contains(r.second, "connection-s1 -> decoder: "));
  CAF_CHECK(contains(r.second, "decoder -> arbiter: (sub_ack("));
  // Neither the approval key nor the keep-alive clutters the trace.
  CAF_CHECK(!contains(r.second, "scenario-approval-key"));
  CAF_CHECK(!contains(r.second, "PINGPONG"));
}

// The runner builds its core through the gateway's assembly, so the
// gateway's wiring holds in every scenario.
CAF_TEST(the scenario core is wired like the gateway) {
  auto r = run_text(R"(scenario "wiring"
config sessions=1 notice=on
at 08:59:00 up s1
at 09:00:00 holdings 005930
picks 000660
fill buy 005930 1
down s1
up s1
)",
                    true);
  CAF_CHECK(r.first);
  // portfolio_sync hears the arbiter's events and the decoder's notices.
  CAF_CHECK(
      contains(r.second, "arbiter -> portfolio_sync: (session_replayed("));
  CAF_CHECK(contains(r.second, "arbiter -> portfolio_sync: (slot_active("));
  CAF_CHECK(contains(r.second, "decoder -> portfolio_sync: (notice_event("));
  // The scanner follows the holdings and the picks.
  CAF_CHECK(contains(r.second, "portfolio_sync -> scanner: (holding_set("));
  CAF_CHECK(contains(r.second, "portfolio_sync -> scanner: (position_update("));
  CAF_CHECK(contains(r.second, "picks_loader -> scanner: (pick_list("));
  // The runner's observer is one of the arbiter's observers.
  CAF_CHECK(contains(r.second, "arbiter -> observer: (session_replayed("));
}

// The scenarios run the real connection actor on a scripted transport: what
// it does with time is visible in a scenario.

CAF_TEST(the real connection paces subscribes) {
  // A burst of 5, then 20 a second: the sixth pick goes out 50 ms later.
  auto r = run_text(R"(scenario "at once"
config sessions=1 notice=on
at 08:59:00 up s1
at 09:00:00 picks 000101 000102 000103 000104 000105 000106
expect sent s1 subscribe H0STCNT0 000105
expect sent s1 subscribe H0STCNT0 000106
scenario "paced"
config sessions=1 notice=on
at 08:59:00 up s1
at 09:00:00 picks 000101 000102 000103 000104 000105 000106
expect sent s1 subscribe H0STCNT0 000105
at +40ms expect no-sent s1
at +60ms expect sent s1 subscribe H0STCNT0 000106
)");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:6: at once"));
  CAF_CHECK(contains(r.second, "PASS mem.scn: paced"));
}

CAF_TEST(unanswered subscribes time out and recycle the connection) {
  // The notice goes unanswered: re-sent after 10 s twice, and the third
  // miss in a row recycles the connection (new epoch, replay).
  auto r = run_text(R"(scenario "unanswered"
config sessions=1 notice=on
server ack manual
at 08:59:00 up s1
expect sent s1 subscribe H0STCNI0 hts1
at +10s expect sent s1 subscribe H0STCNI0 hts1
at +10s expect sent s1 subscribe H0STCNI0 hts1
at +9s expect slots s1 epoch=1 pending=1
at +2s expect slots s1 epoch=2 pending=1
expect sent s1 subscribe H0STCNI0 hts1
)");
  CAF_CHECK(r.first);
  CAF_MESSAGE("output:\n" << r.second);
}

CAF_TEST(the server PINGPONG keeps a quiet connection up) {
  // Without a message for 100 s the idle watchdog would reconnect.
  auto r = run_text(R"(scenario "quiet"
at 08:59:00 up s1
at +30m expect slots s1 epoch=1 active=1
)");
  CAF_CHECK(r.first);
}

CAF_TEST(up waits for a connection backing off) {
  // Down and up at once: the connection retries after its backoff (0.5 to
  // 1 s), and `up` moves the clock to that attempt.
  auto r = run_text(R"(scenario "backoff"
at 08:59:00 up s1
at 09:00:00 down s1
expect slots s1 used=0
up s1
expect slots s1 epoch=2 used=1
at 09:00:00 expect slots s1 epoch=2
)");
  CAF_CHECK(!r.first);
  CAF_CHECK(contains(r.second, "FAIL mem.scn:7: backoff"));
  CAF_CHECK(contains(r.second, "time goes backwards"));
}
