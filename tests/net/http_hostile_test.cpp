// SPDX-License-Identifier: Apache-2.0
// The admin server under hostile input (docs/security.md): oversized trailers,
// malformed requests, requests that never finish, descriptor exhaustion, too
// many connections and bearer tokens. Each case ends with the server still
// answering.
#define CAF_SUITE netio.http_hostile
#include <caf/test/unit_test.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/io_runner.hpp"
#include "tests/net/raw_client.hpp"

using namespace kisrt::net;
using kisrt::test::raw_client;
using namespace std::chrono_literals;

namespace {

// Waits (bounded) until `pred` holds; polls a counter, asserts no speed.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

struct fixture {
  io_runner io;
  io_runner client_io;
  std::mutex mx;
  std::vector<std::string> log_lines;
  std::vector<header_list> seen_headers;

  fixture() {
    io.start();
    client_io.start();
  }

  http_server_options options() {
    http_server_options opts;
    opts.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> g{mx};
      log_lines.push_back(line);
    };
    return opts;
  }

  http_handler ok_handler() {
    return [this](http_server_request req, http_respond respond) {
      {
        std::lock_guard<std::mutex> g{mx};
        seen_headers.push_back(req.headers);
      }
      respond({200, {}, R"({"ok":true})", {}});
    };
  }

  std::size_t logged(const std::string& needle) {
    std::lock_guard<std::mutex> g{mx};
    std::size_t n = 0;
    for (auto& l : log_lines)
      n += l.find(needle) != std::string::npos ? 1 : 0;
    return n;
  }

  http_response call(std::uint16_t port, http_request req) {
    http_options opts;
    parse_url("http://127.0.0.1:" + std::to_string(port), opts.base);
    http_client c{client_io, opts};
    std::mutex m;
    std::condition_variable cv;
    std::optional<http_response> res;
    c.async_request(std::move(req), [&](http_response r) {
      std::lock_guard<std::mutex> g{m};
      res = std::move(r);
      cv.notify_all();
    });
    std::unique_lock<std::mutex> g{m};
    if (!cv.wait_for(g, 10s, [&] { return res.has_value(); }))
      return http_response{0, {}, {}, "test: no answer within 10 s"};
    return *res;
  }

  int healthz(std::uint16_t port, header_list headers = {}) {
    http_request req;
    req.target = "/healthz";
    req.headers = std::move(headers);
    return call(port, req).status;
  }
};

const std::string chunked_head = "POST /x HTTP/1.1\r\nHost: x\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n"
                                 "5\r\nhello\r\n0\r\n";

} // namespace

CAF_TEST_FIXTURE_SCOPE(http_hostile_tests, fixture)

// A1: Beast throws std::length_error on a field over 64 KiB; in a
// trailer nothing bounded it, and the exception ended the process.
CAF_TEST(a trailer field over 64 KiB gets 431 and the server goes on) {
  http_server srv{io, "127.0.0.1", 0, ok_handler(), options()};
  for (std::size_t size : {60'000, 65'600, 200'000}) {
    CAF_MESSAGE("trailer field of " << size << " bytes");
    raw_client c{srv.port()};
    c.send(chunked_head + "X-Big: " + std::string(size, 'a') + "\r\n\r\n");
    auto res = c.read_response(5s);
    CAF_CHECK_EQUAL(raw_client::status_of(res), 431);
    CAF_CHECK(c.wait_closed(5s));
    CAF_CHECK_EQUAL(healthz(srv.port()), 200);
  }
}

// A2: trailer fields were buffered without a bound (200 MB of them took
// the process to 958 MB). Now the answer comes after about
// limits.trailer_bytes, long before the sender stops.
CAF_TEST(many small trailer fields past the bound are refused) {
  http_server srv{io, "127.0.0.1", 0, ok_handler(), options()};
  raw_client c{srv.port()};
  CAF_REQUIRE(c.send(chunked_head));
  std::string block;
  while (block.size() < 4096)
    block += "X-A: b\r\n";
  std::size_t sent = 0;
  // Never the terminating empty line: an unbounded server waits forever.
  while (sent < 512 * 1024 && !c.readable() && c.send(block))
    sent += block.size();
  auto res = c.read_response(5s);
  CAF_CHECK_EQUAL(raw_client::status_of(res), 431);
  CAF_CHECK(res.find("trailer") != std::string::npos);
  CAF_CHECK_EQUAL(healthz(srv.port()), 200);
}

// A5: malformed requests were closed without a word.
CAF_TEST(malformed requests get 400 and oversized headers 431) {
  http_server srv{io, "127.0.0.1", 0, ok_handler(), options()};
  for (auto bad :
       {std::string{"GARBAGE\r\n\r\n"}, std::string{"GET / HTTPS/1.1\r\n\r\n"},
        std::string{"GET / HTTP/1.1\r\nNo colon here\r\n\r\n"},
        std::string{"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"},
        chunked_head.substr(0, chunked_head.size() - 3) + "zz\r\n"}) {
    raw_client c{srv.port()};
    c.send(bad);
    auto res = c.read_response(5s);
    CAF_CHECK_EQUAL(raw_client::status_of(res), 400);
    CAF_CHECK(res.find("Connection: close") != std::string::npos);
  }
  raw_client c{srv.port()};
  c.send("GET / HTTP/1.1\r\nX-Long: " + std::string(20'000, 'a') + "\r\n\r\n");
  CAF_CHECK_EQUAL(raw_client::status_of(c.read_response(5s)), 431);
  CAF_CHECK_GREATER_OR_EQUAL(logged("400 to 127.0.0.1:"), 5u);
  CAF_CHECK_EQUAL(healthz(srv.port()), 200);
}

CAF_TEST(a request that never finishes is closed at the timeout) {
  auto opts = options();
  opts.request_timeout = 200ms;
  http_server srv{io, "127.0.0.1", 0, ok_handler(), opts};
  raw_client partial{srv.port()};
  partial.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  raw_client silent{srv.port()};
  // Bounded wait for the close; 200 ms is the server's own deadline.
  CAF_CHECK(partial.wait_closed(5s));
  CAF_CHECK(silent.wait_closed(5s));
  CAF_CHECK_EQUAL(healthz(srv.port()), 200);
}

// A3: with no descriptor left, accept() fails at once and the listening
// socket stays readable: re-accepting at once spun a core. The soft limit
// is lowered in this test only (each suite is its own process under
// CTest) and restored before the end.
CAF_TEST(descriptor exhaustion pauses accepting and recovers) {
  auto opts = options();
  opts.accept_backoff = 50ms;
  http_server srv{io, "127.0.0.1", 0, ok_handler(), opts};
  CAF_REQUIRE(eventually([&] { return srv.stats().accept_attempts >= 1; }));
  raw_client pending; // its descriptor exists before they run out
  rlimit old{};
  CAF_REQUIRE_EQUAL(::getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low = old;
  low.rlim_cur = std::min<rlim_t>(old.rlim_cur, 512);
  CAF_REQUIRE_EQUAL(::setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> fillers;
  for (int fd; (fd = ::dup(pending.fd())) >= 0;)
    fillers.push_back(fd);
  auto dup_errno = errno;
  auto restore = [&] {
    for (auto fd : fillers)
      ::close(fd);
    fillers.clear();
    ::setrlimit(RLIMIT_NOFILE, &old);
  };
  CAF_CHECK_EQUAL(dup_errno, EMFILE);
  // The kernel completes the handshake; the server cannot accept it.
  auto connected = pending.connect(srv.port());
  auto first = eventually([&] { return srv.stats().accept_failures >= 1; });
  auto before = srv.stats();
  // Two more failures: each one follows a pause, doubling from 50 ms. A
  // spinning loop retries at once and never pauses.
  auto third = eventually([&] { return srv.stats().accept_failures >= 3; });
  auto after = srv.stats();
  restore();
  CAF_REQUIRE(connected);
  CAF_REQUIRE(first && third);
  CAF_CHECK_GREATER_OR_EQUAL(before.accept_pause_ms, 50u);
  CAF_CHECK_GREATER_OR_EQUAL(after.accept_pause_ms, 200u);
  // One attempt per failure (plus, at most, the one now waiting).
  CAF_CHECK_LESS_OR_EQUAL(after.accept_attempts - before.accept_attempts,
                          after.accept_failures - before.accept_failures + 1);
  CAF_CHECK_EQUAL(logged("pausing accepts"), 1u);
  // Descriptors are back: the queued connection is served.
  pending.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CAF_CHECK_EQUAL(raw_client::status_of(pending.read_response(5s)), 200);
  CAF_CHECK_EQUAL(logged("accepting again"), 1u);
  CAF_CHECK_EQUAL(healthz(srv.port()), 200);
}

CAF_TEST(connections past the limit are closed at once) {
  auto opts = options();
  opts.max_connections = 1;
  http_server srv{io, "127.0.0.1", 0, ok_handler(), opts};
  std::optional<raw_client> first{srv.port()};
  CAF_REQUIRE(eventually([&] { return srv.stats().open_connections == 1; }));
  raw_client second{srv.port()};
  std::string got;
  CAF_CHECK(second.wait_closed(5s, &got));
  CAF_CHECK_EQUAL(got, "");
  first.reset();
  CAF_REQUIRE(eventually([&] { return srv.stats().open_connections == 0; }));
  CAF_CHECK_EQUAL(healthz(srv.port()), 200);
}

CAF_TEST(a bearer token is required when one is set) {
  const std::string token = "s3cr3t-t0ken-0123456789";
  auto opts = options();
  opts.bearer_token = token;
  http_server srv{io, "127.0.0.1", 0, ok_handler(), opts};
  http_request req;
  req.target = "/healthz?x=1";
  auto res = call(srv.port(), req);
  CAF_CHECK_EQUAL(res.status, 401);
  CAF_CHECK_EQUAL(res.header("WWW-Authenticate"), "Bearer");
  req.headers = {{"Authorization", "Bearer " + token + "x"}};
  res = call(srv.port(), req);
  CAF_CHECK_EQUAL(res.status, 401);
  CAF_CHECK(res.body.find(token) == std::string::npos);
  req.headers = {{"Authorization", "Bearer " + token.substr(1)}};
  CAF_CHECK_EQUAL(call(srv.port(), req).status, 401);
  req.headers = {{"Authorization", "Basic " + token}};
  CAF_CHECK_EQUAL(call(srv.port(), req).status, 401);
  req.headers = {{"Authorization", "Bearer " + token}};
  res = call(srv.port(), req);
  CAF_CHECK_EQUAL(res.status, 200);
  req.headers = {{"authorization", "bearer " + token}};
  CAF_CHECK_EQUAL(call(srv.port(), req).status, 200);
  CAF_CHECK_EQUAL(logged("admin: 401 for GET /healthz from 127.0.0.1:"), 4u);
  CAF_CHECK_EQUAL(logged("no bearer token"), 2u);
  CAF_CHECK_EQUAL(logged("wrong bearer token"), 2u);
  CAF_CHECK_EQUAL(logged(token.substr(2, 12)), 0u);
  std::lock_guard<std::mutex> g{mx};
  CAF_REQUIRE_EQUAL(seen_headers.size(), 2u);
  for (auto& hs : seen_headers)
    for (auto& [k, v] : hs)
      CAF_CHECK(v.find(token) == std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
