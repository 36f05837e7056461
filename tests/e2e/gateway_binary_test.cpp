// SPDX-License-Identifier: Apache-2.0
// The real `kisrt --sim` process: the port line, the admin API, a clean
// exit on SIGTERM. Every wait is bounded by poll() on a pipe or socket.
#define CAF_SUITE e2e.gateway_binary
#include <caf/test/unit_test.hpp>

#include "tests/common/loopback_io.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;

namespace {

using kisrt::test::http_get;
using kisrt::test::read_line;

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1))
    ++n;
  return n;
}

} // namespace

CAF_TEST(kisrt sim prints its admin port serves slots and stops on SIGTERM) {
  int out[2];
  CAF_REQUIRE_EQUAL(::pipe(out), 0);
  auto pid = ::fork();
  CAF_REQUIRE_GREATER_OR_EQUAL(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    auto bin = std::string{KISRT_BIN_DIR} + "/kisrt";
    ::execl(bin.c_str(), bin.c_str(), "--sim", "--admin", "127.0.0.1:0",
            "--set", "demand.holdings=005930", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  auto line = read_line(out[0], 10s);
  CAF_REQUIRE(line.rfind("{\"admin_port\":", 0) == 0);
  auto port = std::stoi(line.substr(14));
  CAF_REQUIRE_GREATER(port, 0);
  // The holding's two TRs and the notice become active (bounded polling of
  // the admin API: each GET waits on the socket, none sleeps). With --sim
  // the holding arrives through portfolio_sync's REST balance poll.
  // `--sim` without a configuration also runs config/sim.conf's picks and
  // scanner, so more than these three may be active; health turns ok once
  // the first balance poll is in.
  std::string slots;
  std::string health;
  auto holding = R"("tr_id":"H0STCNT0","tr_key":"005930","priority":1)";
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline
         && (count(slots, "\"state\":\"active\"") < 3
             || slots.find(holding) == std::string::npos
             || health.rfind("{\"status\":\"ok\"", 0) != 0)) {
    slots = http_get(port, "/slots");
    health = http_get(port, "/healthz");
  }
  CAF_CHECK_GREATER_OR_EQUAL(count(slots, "\"state\":\"active\""), 3u);
  CAF_CHECK(slots.find(holding) != std::string::npos);
  CAF_CHECK(slots.find(R"("id":"s1","up":true,"cap":41)") != std::string::npos);
  CAF_CHECK_EQUAL(health.rfind("{\"status\":\"ok\"", 0), 0u);
  CAF_CHECK(http_get(port, "/nope").find("not found") != std::string::npos);
  // SIGTERM: stdout closes when the process ends; allow well over 2 s.
  auto t0 = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  read_line(out[0], 10s); // returns at EOF
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto took = std::chrono::steady_clock::now() - t0;
  CAF_CHECK(WIFEXITED(status));
  CAF_CHECK_EQUAL(WEXITSTATUS(status), 0);
  CAF_CHECK_LESS(took, 5s);
  ::close(out[0]);
}
