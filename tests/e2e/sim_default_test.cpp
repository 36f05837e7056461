// SPDX-License-Identifier: Apache-2.0
// `kisrt --sim` with nothing else runs the demand of config/sim.conf: the
// simulated account's holdings (priority 1, through the REST balance), the
// day's picks (2) and the scanner (3). Every wait is bounded by poll() on a
// pipe or socket.
#define CAF_SUITE e2e.sim_default
#include <caf/test/unit_test.hpp>

#include "tests/common/loopback_io.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;

namespace {

using kisrt::test::http_get;
using kisrt::test::read_line;

// Active slots at `level` in a /slots body.
std::size_t active_at(const std::string& slots, int level) {
  std::size_t n = 0;
  auto what = "\"priority\":" + std::to_string(level) + ",\"state\":\"active\"";
  for (auto i = slots.find(what); i != std::string::npos;
       i = slots.find(what, i + 1))
    ++n;
  return n;
}

} // namespace

CAF_TEST(kisrt sim alone fills holdings and lower priority slots) {
  int out[2];
  CAF_REQUIRE_EQUAL(::pipe(out), 0);
  auto pid = ::fork();
  CAF_REQUIRE_GREATER_OR_EQUAL(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    auto bin = std::string{KISRT_BIN_DIR} + "/kisrt";
    ::execl(bin.c_str(), bin.c_str(), "--sim", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  auto t0 = std::chrono::steady_clock::now();
  auto line = read_line(out[0], 10s);
  CAF_REQUIRE(line.rfind("{\"admin_port\":", 0) == 0);
  auto port = std::stoi(line.substr(14));
  CAF_REQUIRE_GREATER(port, 0);
  std::string slots;
  auto deadline = t0 + 10s;
  while (std::chrono::steady_clock::now() < deadline
         && (active_at(slots, 1) < 2
             || active_at(slots, 2) + active_at(slots, 3) < 1))
    slots = http_get(port, "/slots");
  CAF_MESSAGE("slots: " << slots);
  // config/sim.conf: holdings 005930 and 000660 (H0STCNT0 and H0STASP0
  // each), picks 035420 and 051910, the scanner.
  CAF_CHECK_GREATER_OR_EQUAL(active_at(slots, 1), 2u);
  CAF_CHECK(slots.find(R"("tr_id":"H0STCNT0","tr_key":"005930","priority":1)")
            != std::string::npos);
  CAF_CHECK_GREATER_OR_EQUAL(active_at(slots, 2) + active_at(slots, 3), 1u);
  ::kill(pid, SIGTERM);
  read_line(out[0], 10s); // returns at EOF
  int status = 0;
  ::waitpid(pid, &status, 0);
  CAF_CHECK(WIFEXITED(status));
  CAF_CHECK_EQUAL(WEXITSTATUS(status), 0);
  ::close(out[0]);
}
