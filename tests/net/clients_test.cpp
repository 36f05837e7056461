// SPDX-License-Identifier: Apache-2.0
// The project's own WebSocket and HTTP(S) clients against the simulator on
// loopback. Every wait is bounded: a hang fails the test instead of
// blocking it.
#define CAF_SUITE netio.clients
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "net/http_client.hpp"
#include "net/io_runner.hpp"
#include "net/kis/control.hpp"
#include "net/kis/requests.hpp"
#include "net/kis/rest.hpp"
#include "net/ws_client.hpp"
#include "sim/simulator.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

// Collects callbacks from the io thread; waits with a deadline.
struct inbox {
  std::mutex mx;
  std::condition_variable cv;
  std::deque<std::string> messages;
  bool opened = false;
  std::string closed_stage;
  std::string closed_reason;
  int closed_count = 0;

  net::ws_callbacks callbacks() {
    net::ws_callbacks cbs;
    cbs.opened = [this] {
      std::lock_guard<std::mutex> g{mx};
      opened = true;
      cv.notify_all();
    };
    cbs.message = [this](std::string&& m) {
      std::lock_guard<std::mutex> g{mx};
      messages.push_back(std::move(m));
      cv.notify_all();
    };
    cbs.closed = [this](const std::string& stage, const std::string& why) {
      std::lock_guard<std::mutex> g{mx};
      closed_stage = stage;
      closed_reason = why;
      ++closed_count;
      cv.notify_all();
    };
    return cbs;
  }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock<std::mutex> g{mx};
    return cv.wait_for(g, timeout, pred);
  }

  // Next message that satisfies `pred`, dropping others.
  template <class Pred>
  std::string next(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
    std::string found;
    wait(
        [&] {
          while (!messages.empty()) {
            auto m = std::move(messages.front());
            messages.pop_front();
            if (pred(m)) {
              found = std::move(m);
              return true;
            }
          }
          return closed_count > 0;
        },
        timeout);
    return found;
  }
};

struct fixture {
  std::unique_ptr<sim::simulator> simu;
  sim::ports ports;
  net::io_runner io;

  fixture() {
    sim::options o;
    o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
    o.manual_clock = true;
    o.kst_start = 10 * 3600;
    o.kst_date = 20250102;
    o.log_level = "off";
    o.pingpong_interval = 10s;
    simu = std::make_unique<sim::simulator>(o);
    ports = simu->start();
    io.start();
  }

  ~fixture() {
    io.stop();
    simu->stop();
  }

  net::http_options rest(bool verify) {
    net::http_options h;
    CAF_REQUIRE_EQUAL(
        net::parse_url("https://127.0.0.1:" + std::to_string(ports.rest),
                       h.base),
        "");
    h.tls.verify = verify;
    h.timeout = 5000ms;
    return h;
  }

  net::http_response call(net::http_client& c, net::http_request req) {
    std::mutex mx;
    std::condition_variable cv;
    std::optional<net::http_response> res;
    c.async_request(std::move(req), [&](net::http_response r) {
      std::lock_guard<std::mutex> g{mx};
      res = std::move(r);
      cv.notify_all();
    });
    std::unique_lock<std::mutex> g{mx};
    if (!cv.wait_for(g, 10s, [&] { return res.has_value(); }))
      return net::http_response{0, {}, {}, "test: no answer within 10 s"};
    return *res;
  }

  std::string approval() {
    net::http_client c{io, rest(false)};
    net::http_request req;
    req.method = "POST";
    req.target = "/oauth2/Approval";
    req.headers = {{"content-type", "application/json; charset=utf-8"}};
    req.body = kis::encode_approval_request("APPKEY1", "SECRET1");
    auto res = call(c, req);
    std::string key;
    CAF_REQUIRE_EQUAL(res.error, "");
    CAF_REQUIRE(!kis::parse_approval_response(res.body, key));
    return key;
  }

  net::ws_options ws_opts() {
    net::ws_options w;
    CAF_REQUIRE_EQUAL(
        net::parse_url("ws://127.0.0.1:" + std::to_string(ports.ws)
                           + "/tryitout",
                       w.endpoint),
        "");
    return w;
  }
};

bool is_ack(const std::string& m) {
  return m.find("\"msg_cd\"") != std::string::npos;
}

bool is_pingpong(const std::string& m) {
  return m.find("PINGPONG") != std::string::npos;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(netio_clients_tests, fixture)

CAF_TEST(https with verification off reaches the simulator) {
  auto key = approval();
  CAF_CHECK(!key.empty());
}

CAF_TEST(https verification is on by default and refuses a self signed peer) {
  net::http_client c{io, rest(true)};
  net::http_request req;
  req.method = "POST";
  req.target = "/oauth2/Approval";
  req.body = kis::encode_approval_request("APPKEY1", "SECRET1");
  auto res = call(c, req);
  CAF_CHECK_EQUAL(res.status, 0);
  CAF_CHECK(res.error.rfind("tls: ", 0) == 0);
  // The secret never appears in a transport error.
  CAF_CHECK(res.error.find("SECRET1") == std::string::npos);
}

CAF_TEST(a transport failure names its stage) {
  net::http_options h;
  CAF_REQUIRE_EQUAL(net::parse_url("http://127.0.0.1:1", h.base), "");
  net::http_client c{io, h};
  auto res = call(c, net::http_request{});
  CAF_CHECK(res.error.rfind("connect: ", 0) == 0);
}

CAF_TEST(websocket subscribe ack pingpong echo and close frame) {
  auto key = approval();
  inbox in;
  auto ws = net::make_ws_client(io, ws_opts(), in.callbacks());
  ws->start();
  CAF_REQUIRE(in.wait([&] { return in.opened; }));
  ws->send(kis::encode_subscription(key, kis::tr_type::subscribe, "H0STCNT0",
                                    "005930"));
  auto ack = in.next(is_ack);
  kis::control_message m;
  CAF_REQUIRE(!kis::parse_control(ack, m));
  CAF_CHECK_EQUAL(m.msg_cd, "OPSP0000");
  CAF_CHECK_EQUAL(m.tr_key, "005930");
  // Three PINGPONG rounds echoed as text keep the session.
  for (int i = 0; i < 3; ++i) {
    simu->advance_time(10s);
    auto ping = in.next(is_pingpong);
    CAF_REQUIRE(!ping.empty());
    ws->send(ping);
    simu->advance_time(1s);
  }
  simu->advance_time(25s);
  CAF_CHECK_EQUAL(in.closed_count, 0);
  ws->close();
  CAF_REQUIRE(in.wait([&] { return in.closed_count > 0; }));
  CAF_CHECK_EQUAL(in.closed_stage, "close");
  CAF_CHECK_EQUAL(in.closed_count, 1);
}

CAF_TEST(a server drop is reported once with its stage) {
  auto key = approval();
  inbox in;
  auto ws = net::make_ws_client(io, ws_opts(), in.callbacks());
  ws->start();
  CAF_REQUIRE(in.wait([&] { return in.opened; }));
  ws->send(kis::encode_subscription(key, kis::tr_type::subscribe, "H0STCNT0",
                                    "005930"));
  CAF_REQUIRE(!in.next(is_ack).empty());
  auto r = simu->inject_fault(R"({"kind":"drop","close_frame":true})");
  CAF_CHECK_EQUAL(r.status, 200);
  CAF_REQUIRE(in.wait([&] { return in.closed_count > 0; }));
  CAF_CHECK_EQUAL(in.closed_stage, "read");
  ws->close(); // after the end: no second report
  ws->send("x");
  CAF_CHECK(!in.wait([&] { return in.closed_count > 1; }, 200ms));
}

CAF_TEST(connecting to a closed port reports connect) {
  inbox in;
  net::ws_options w;
  CAF_REQUIRE_EQUAL(net::parse_url("ws://127.0.0.1:1/", w.endpoint), "");
  auto ws = net::make_ws_client(io, w, in.callbacks());
  ws->start();
  CAF_REQUIRE(in.wait([&] { return in.closed_count > 0; }));
  CAF_CHECK_EQUAL(in.closed_stage, "connect");
  CAF_CHECK(!in.opened);
}

CAF_TEST_FIXTURE_SCOPE_END()
