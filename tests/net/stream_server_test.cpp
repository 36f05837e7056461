// SPDX-License-Identifier: Apache-2.0
// The gateway's WebSocket stream server on loopback (docs/stream.md):
// frames both ways, the bearer token, TLS, and a client too slow for its
// trades (never a gap; closed with a reason, counted). Every wait is
// bounded.
#define CAF_SUITE netio.stream
#include <caf/test/unit_test.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "net/io_runner.hpp"
#include "net/stream_server.hpp"
#include "sim/net.hpp"
#include "tests/net/ws_probe.hpp"

using namespace kisrt;
using namespace kisrt::net;
using namespace std::chrono_literals;

namespace {

// What the server's callbacks saw.
struct seen {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::uint64_t> opened;
  std::vector<std::string> messages;
  std::vector<std::string> closed;

  stream_callbacks callbacks() {
    stream_callbacks cbs;
    cbs.opened = [this](std::uint64_t id, const std::string&) {
      std::lock_guard<std::mutex> g{mtx};
      opened.push_back(id);
      cv.notify_all();
    };
    cbs.message = [this](std::uint64_t, std::string&& text) {
      std::lock_guard<std::mutex> g{mtx};
      messages.push_back(std::move(text));
      cv.notify_all();
    };
    cbs.closed = [this](std::uint64_t, const std::string& why) {
      std::lock_guard<std::mutex> g{mtx};
      closed.push_back(why);
      cv.notify_all();
    };
    return cbs;
  }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds t = 10s) {
    std::unique_lock<std::mutex> lk{mtx};
    return cv.wait_for(lk, t, [&] { return pred(*this); });
  }
};

std::string url(std::uint16_t port, bool tls = false) {
  return std::string{tls ? "wss" : "ws"}
         + "://127.0.0.1:" + std::to_string(port) + "/";
}

// A certificate and key in a fresh directory.
struct tls_files {
  std::string dir, cert, key;
  tls_files() {
    char tmpl[] = "/tmp/kisrt-stream-tls-XXXXXX";
    dir = ::mkdtemp(tmpl);
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    auto m = sim::make_self_signed();
    std::ofstream{cert} << m.cert_pem;
    std::ofstream{key} << m.key_pem;
  }
  ~tls_files() {
    std::remove(cert.c_str());
    std::remove(key.c_str());
    ::rmdir(dir.c_str());
  }
};

} // namespace

CAF_TEST(frames go both ways and a close reaches the owner) {
  io_runner io;
  seen s;
  stream_server srv{io, stream_server_options{}, s.callbacks()};
  io.start();
  test::ws_probe c{url(srv.port())};
  CAF_REQUIRE(c.wait_open());
  CAF_REQUIRE(s.wait([](seen& x) { return x.opened.size() == 1; }));
  c.send(R"({"op":"hello","name":"a"})");
  CAF_REQUIRE(s.wait([](seen& x) { return x.messages.size() == 1; }));
  CAF_CHECK_EQUAL(s.messages[0], R"({"op":"hello","name":"a"})");
  srv.send(s.opened[0], R"({"event":"x"})");
  CAF_CHECK_EQUAL(c.next().value_or("none"), R"({"event":"x"})");
  srv.close(s.opened[0], "policy says no");
  auto why = c.closed().value_or("open");
  CAF_CHECK(why.find("code 1008, policy says no") != std::string::npos);
  CAF_CHECK(s.wait([](seen& x) { return x.closed.size() == 1; }));
  CAF_CHECK_EQUAL(srv.stats().accepted.load(), 1u);
  srv.stop();
  io.stop();
}

CAF_TEST(a bearer token is required when one is set) {
  io_runner io;
  seen s;
  stream_server_options o;
  o.bearer_token = "0123456789abcdef-token";
  stream_server srv{io, o, s.callbacks()};
  io.start();
  {
    test::ws_probe none{url(srv.port())};
    CAF_CHECK(!none.wait_open());
    CAF_CHECK(none.closed().value_or("").find("handshake")
              != std::string::npos);
  }
  {
    test::ws_probe wrong{url(srv.port()), "0123456789abcdef-wrong"};
    CAF_CHECK(!wrong.wait_open());
  }
  test::ws_probe right{url(srv.port()), "0123456789abcdef-token"};
  CAF_CHECK(right.wait_open());
  CAF_CHECK_EQUAL(srv.stats().refused.load(), 2u);
  CAF_CHECK_EQUAL(srv.stats().accepted.load(), 1u);
  srv.stop();
  io.stop();
}

CAF_TEST(with a certificate the stream is wss only) {
  tls_files tls;
  io_runner io;
  seen s;
  stream_server_options o;
  o.certificate = tls.cert;
  o.key = tls.key;
  stream_server srv{io, o, s.callbacks()};
  io.start();
  {
    test::ws_probe plain{url(srv.port())};
    CAF_CHECK(!plain.wait_open());
  }
  tls_options verify;
  verify.ca_file = tls.cert;
  test::ws_probe secure{url(srv.port(), true), {}, verify};
  CAF_REQUIRE(secure.wait_open());
  CAF_REQUIRE(s.wait([](seen& x) { return x.opened.size() == 1; }));
  srv.send(s.opened[0], R"({"event":"tls"})");
  CAF_CHECK_EQUAL(secure.next().value_or("none"), R"({"event":"tls"})");
  CAF_CHECK_EQUAL(srv.stats().refused.load(), 1u);
  srv.stop();
  io.stop();
}

CAF_TEST(a slow client gets every trade up to a close with the reason) {
  namespace beast = boost::beast;
  namespace websocket = beast::websocket;
  using tcp = boost::asio::ip::tcp;
  io_runner io;
  seen s;
  stream_server_options o;
  o.max_queue = 256;
  o.handshake_timeout = 30s; // the client reads only after the close
  stream_server srv{io, o, s.callbacks()};
  io.start();
  // A client that reads nothing until the server gave up on it.
  boost::asio::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  ws.next_layer().connect(
      tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), srv.port()});
  ws.handshake("127.0.0.1", "/");
  CAF_REQUIRE(s.wait([](seen& x) { return x.opened.size() == 1; }));
  auto id = s.opened[0];
  // Trades (no conflation key) with a sequence number, until the queue
  // passes its bound: socket buffers fill first, then the queue.
  std::string pad(1000, 'x');
  std::uint64_t sent = 0;
  while (srv.stats().slow.load() == 0 && sent < 2'000'000) {
    srv.send(id,
             "{\"n\":" + std::to_string(sent) + ",\"pad\":\"" + pad + "\"}");
    ++sent;
  }
  CAF_REQUIRE_EQUAL(srv.stats().slow.load(), 1u);
  // Now read: every frame in order, no gap, then the close frame.
  std::uint64_t expect = 0;
  bool gap = false;
  beast::error_code ec;
  for (;;) {
    beast::flat_buffer buf;
    ws.read(buf, ec);
    if (ec)
      break;
    auto text = beast::buffers_to_string(buf.data());
    auto n = std::stoull(text.substr(5));
    gap = gap || n != expect;
    expect = n + 1;
  }
  // A gap-free prefix (how long depends on how far the io thread got
  // before the queue passed its bound), then the close.
  CAF_CHECK(!gap);
  CAF_CHECK_LESS(expect, sent);
  CAF_CHECK(ec == websocket::error::closed);
  CAF_CHECK_EQUAL(static_cast<int>(ws.reason().code), 1008);
  CAF_CHECK_EQUAL(std::string{ws.reason().reason.c_str()},
                  "too slow: more than 256 events queued");
  CAF_CHECK(s.wait([](seen& x) {
    return x.closed.size() == 1
           && x.closed[0] == "too slow: more than 256 events queued";
  }));
  srv.stop();
  io.stop();
}

CAF_TEST(queued quotes of one key are conflated and trades are not ) {
  // Frames for an unknown client vanish; for a real one the queue keeps
  // one frame per conflation key while the writer is busy.
  io_runner io;
  seen s;
  stream_server srv{io, stream_server_options{}, s.callbacks()};
  srv.send(42, "nobody"); // before the io thread runs: unknown id
  io.start();
  test::ws_probe c{url(srv.port())};
  CAF_REQUIRE(c.wait_open());
  CAF_REQUIRE(s.wait([](seen& x) { return x.opened.size() == 1; }));
  auto id = s.opened[0];
  for (int i = 0; i < 1000; ++i)
    srv.send(id, "q" + std::to_string(i), "H0STASP0:005930");
  srv.send(id, "last-trade");
  // The newest quote always arrives, before the trade; every quote was
  // either written or replaced by a newer one.
  std::string last_quote;
  for (;;) {
    auto f = c.next();
    CAF_REQUIRE(f.has_value());
    if (*f == "last-trade")
      break;
    last_quote = *f;
  }
  CAF_CHECK_EQUAL(last_quote, "q999");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (srv.stats().sent.load() + srv.stats().conflated.load() < 1001
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield(); // the last write's completion is counted
  CAF_CHECK_EQUAL(srv.stats().sent.load() + srv.stats().conflated.load(),
                  1001u);
  srv.stop();
  io.stop();
}
