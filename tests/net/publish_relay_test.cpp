// SPDX-License-Identifier: Apache-2.0
// The guard in front of the plaintext publish port (docs/security.md, P4 and
// P5): basp_guard on bytes, and the relay on loopback with a socket pair
// standing in for CAF. Every wait is bounded by poll() on a socket.
#define CAF_SUITE nodes.relay
#include <caf/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "net/basp_guard.hpp"
#include "net/io_runner.hpp"
#include "net/publish_relay.hpp"

using namespace kisrt::net;
using namespace std::chrono_literals;

namespace {

std::string header(basp_op op, std::uint32_t payload_len,
                   std::uint8_t flags = 0) {
  std::string h(basp_header_size, '\0');
  h[0] = static_cast<char>(op);
  h[3] = static_cast<char>(flags);
  h[4] = static_cast<char>(payload_len >> 24);
  h[5] = static_cast<char>(payload_len >> 16);
  h[6] = static_cast<char>(payload_len >> 8);
  h[7] = static_cast<char>(payload_len);
  return h;
}

const std::string node_a = "node-id-of-a:20-bytes+pid";
const std::string node_b = "node-id-of-b:20-bytes+pid";

std::string handshake(const std::string& node) {
  return header(basp_op::client_handshake, node.size()) + node;
}

// Feeds `bytes` one at a time (the worst split); returns what went on, or
// "<closed: why>".
std::string pass(basp_guard& g, const std::string& bytes) {
  std::vector<char> out;
  for (char c : bytes)
    if (!g.feed(&c, 1, out))
      return std::string(out.begin(), out.end()) + "<closed: " + g.error()
             + ">";
  return std::string(out.begin(), out.end());
}

} // namespace

CAF_TEST(a valid node stream passes byte for byte) {
  basp_guard g;
  auto stream =
      handshake(node_a) + handshake(node_a) + header(basp_op::direct_message, 5)
      + "hello" + header(basp_op::heartbeat, 0)
      + header(basp_op::monitor_message, node_a.size() + 3) + node_a + "xyz";
  CAF_CHECK_EQUAL(pass(g, stream), stream);
  CAF_CHECK(g.handshake_done());
  CAF_CHECK_EQUAL(g.headers(), 5u);
}

CAF_TEST(an oversized header closes before its payload is read) {
  basp_guard g{basp_guard_limits{64 * 1024, 1024}};
  std::vector<char> out;
  auto hs = handshake(node_a);
  CAF_REQUIRE(g.feed(hs.data(), hs.size(), out));
  out.clear();
  // 4 GiB declared: refused on the header alone, nothing passed on.
  auto big = header(basp_op::direct_message, 0xffffffffu);
  CAF_CHECK(!g.feed(big.data(), big.size(), out));
  CAF_CHECK(out.empty());
  CAF_CHECK_EQUAL(g.error(), "a message declares a payload of 4294967295 "
                             "bytes, more than the limit of 65536 "
                             "(publish.max_message)");
  // Closed for good.
  CAF_CHECK(!g.feed("x", 1, out));
  // The limit itself passes.
  basp_guard ok{basp_guard_limits{64 * 1024, 1024}};
  CAF_CHECK(ok.feed(hs.data(), hs.size(), out));
  auto at_limit = header(basp_op::direct_message, 64 * 1024);
  CAF_CHECK(ok.feed(at_limit.data(), at_limit.size(), out));
}

CAF_TEST(the guard refuses what a node has no business sending) {
  {
    basp_guard g;
    CAF_CHECK(pass(g, header(basp_op::direct_message, 1) + "x")
                  .find("<closed: expected the client handshake")
              != std::string::npos);
  }
  {
    basp_guard g; // a huge handshake
    CAF_CHECK(pass(g, header(basp_op::client_handshake, 1 << 20))
                  .find("<closed: client handshake of 1048576 bytes")
              != std::string::npos);
  }
  {
    basp_guard g; // speaking for another node or the gateway
    auto out = pass(g, handshake(node_a) + header(basp_op::routed_message, 4)
                           + "abcd");
    CAF_CHECK_EQUAL(out, handshake(node_a)
                             + "<closed: a routed message (a "
                               "node speaks only for itself)>");
  }
  {
    basp_guard g;
    auto out = pass(g, handshake(node_a) + handshake(node_b));
    CAF_CHECK_EQUAL(out, handshake(node_a)
                             + "<closed: a second client "
                               "handshake for another node>");
  }
  {
    basp_guard g; // a down message in node b's name
    auto out = pass(g, handshake(node_a)
                           + header(basp_op::down_message, node_b.size() + 2)
                           + node_b + "zz");
    CAF_CHECK_EQUAL(out, handshake(node_a)
                             + "<closed: a monitor or down "
                               "message in another node's "
                               "name>");
  }
  {
    basp_guard g;
    CAF_CHECK(pass(g, handshake(node_a) + header(basp_op::server_handshake, 0))
                  .find("<closed: BASP operation 0 from a node>")
              != std::string::npos);
  }
}

// -- the relay on loopback ----------------------------------------------------

namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    CAF_FAIL("connect failed");
  return fd;
}

void send_all(int fd, const std::string& s) {
  CAF_REQUIRE_EQUAL(::send(fd, s.data(), s.size(), MSG_NOSIGNAL),
                    static_cast<ssize_t>(s.size()));
}

// Reads until EOF or `timeout`; true on EOF (or a reset).
bool read_to_eof(int fd, std::chrono::milliseconds timeout, std::string* got) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return false;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      return true;
    if (got)
      got->append(buf, static_cast<std::size_t>(n));
  }
}

struct relay_fixture {
  io_runner io;
  std::mutex mtx;
  std::vector<int> backends; ///< the ends CAF would get
  std::vector<std::string> reports;
  std::unique_ptr<publish_relay> relay;

  explicit relay_fixture(publish_relay_options o) {
    io.start();
    relay = std::make_unique<publish_relay>(
        io, o,
        [this](int fd) {
          std::lock_guard<std::mutex> g{mtx};
          backends.push_back(fd);
          return true;
        },
        [this](const std::string& why) {
          std::lock_guard<std::mutex> g{mtx};
          reports.push_back(why);
        });
  }

  int backend(std::size_t i) {
    std::lock_guard<std::mutex> g{mtx};
    return i < backends.size() ? backends[i] : -1;
  }

  ~relay_fixture() {
    relay->stop();
    io.drain(1s);
    relay.reset();
    for (int fd : backends)
      ::close(fd);
  }
};

publish_relay_options test_options() {
  publish_relay_options o;
  o.max_message = 64 * 1024;
  o.handshake_timeout = 300ms;
  o.max_connections = 2;
  return o;
}

} // namespace

CAF_TEST(the relay closes a connection that declares an oversized payload) {
  relay_fixture f{test_options()};
  int c = connect_to(f.relay->port());
  send_all(c, handshake(node_a));
  // The handshake reaches the gateway's end first.
  std::string got;
  for (int i = 0; i < 500 && got.size() < handshake(node_a).size(); ++i) {
    int b = f.backend(0);
    if (b < 0) {
      read_to_eof(c, 10ms, nullptr); // a bounded wait; nothing arrives
      continue;
    }
    pollfd p{b, POLLIN, 0};
    char buf[256];
    if (::poll(&p, 1, 5000) > 0) {
      auto n = ::recv(b, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      got.append(buf, static_cast<std::size_t>(n));
    }
  }
  CAF_REQUIRE_EQUAL(got, handshake(node_a));
  send_all(c, header(basp_op::direct_message, 0xffffffffu) + "some bytes");
  CAF_CHECK(read_to_eof(c, 5s, nullptr));
  ::close(c);
  // Nothing of the oversized message reached the gateway's end: EOF.
  got.clear();
  CAF_CHECK(read_to_eof(f.backend(0), 5s, &got));
  CAF_CHECK_EQUAL(got, "");
  CAF_CHECK_EQUAL(f.relay->stats().refused.load(), 1u);
  CAF_CHECK_EQUAL(f.relay->stats().forwarded.load(), handshake(node_a).size());
}

CAF_TEST(the relay closes a connection without a handshake at the timeout) {
  relay_fixture f{test_options()};
  auto start = std::chrono::steady_clock::now();
  int c = connect_to(f.relay->port());
  send_all(c, "\x01"); // an unfinished header
  CAF_CHECK(read_to_eof(c, 5s, nullptr));
  auto took = std::chrono::steady_clock::now() - start;
  ::close(c);
  CAF_CHECK(took >= 300ms);
  CAF_CHECK(took < 3s);
  CAF_CHECK_EQUAL(f.relay->stats().timed_out.load(), 1u);
  // A node that completes its handshake in time is not closed by it.
  int d = connect_to(f.relay->port());
  send_all(d, handshake(node_a));
  CAF_CHECK(!read_to_eof(d, 600ms, nullptr));
  ::close(d);
  CAF_CHECK_EQUAL(f.relay->stats().timed_out.load(), 1u);
}

CAF_TEST(the relay closes connections past its limit at once) {
  relay_fixture f{test_options()};
  int a = connect_to(f.relay->port());
  int b = connect_to(f.relay->port());
  // Both accepted before the third arrives: each got its backend end.
  for (int i = 0; i < 200 && f.backend(1) < 0; ++i)
    read_to_eof(a, 5ms, nullptr); // a bounded wait, nothing arrives
  CAF_REQUIRE_GREATER_OR_EQUAL(f.backend(1), 0);
  auto start = std::chrono::steady_clock::now();
  int c = connect_to(f.relay->port());
  CAF_CHECK(read_to_eof(c, 5s, nullptr));
  CAF_CHECK(std::chrono::steady_clock::now() - start < 250ms);
  CAF_CHECK_EQUAL(f.relay->stats().busy.load(), 1u);
  for (int fd : {a, b, c})
    ::close(fd);
}
