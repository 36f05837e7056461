// SPDX-License-Identifier: Apache-2.0
// The real `kisrt --sim` process: the port line, the admin API, a clean
// exit on SIGTERM. Every wait is bounded by poll() on a pipe or socket.
#define CAF_SUITE e2e.gateway_binary
#include <caf/test/unit_test.hpp>

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

// Reads until '\n' or EOF, waiting at most `timeout` in total.
std::string read_line(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char c;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return line;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return line;
    if (::read(fd, &c, 1) != 1 || c == '\n')
      return line;
    line += c;
  }
}

// Blocking GET on loopback with a receive timeout.
std::string http_get(int port, const std::string& path) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    auto req =
        "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::write(s, req.data(), req.size())
        == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(s, buf, sizeof(buf))) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(s);
  auto body = out.find("\r\n\r\n");
  return body == std::string::npos ? out : out.substr(body + 4);
}

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
  std::string slots;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline
         && count(slots, "\"state\":\"active\"") < 3)
    slots = http_get(port, "/slots");
  CAF_CHECK_EQUAL(count(slots, "\"state\":\"active\""), 3u);
  CAF_CHECK(slots.find(R"("tr_id":"H0STCNT0","tr_key":"005930","priority":1)")
            != std::string::npos);
  CAF_CHECK(slots.find(R"("id":"s1","up":true,"cap":41)") != std::string::npos);
  CAF_CHECK_EQUAL(http_get(port, "/healthz").rfind("{\"status\":\"ok\"", 0),
                  0u);
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
