// SPDX-License-Identifier: Apache-2.0
// The production deps of a connection (net/kis_transport): the approval
// fetcher over REST and the WebSocket transport, against the simulator on
// loopback. Every wait is bounded.
#define CAF_SUITE netio.kis_transport
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "net/io_runner.hpp"
#include "net/kis/requests.hpp"
#include "net/kis_transport.hpp"
#include "sim/simulator.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

/// What a transport and an approval request report, from any thread.
struct inbox {
  std::mutex mx;
  std::condition_variable cv;
  bool opened = false;
  std::deque<std::string> messages;
  std::string closed;
  std::optional<std::pair<bool, std::string>> approval;

  net::transport_events events() {
    net::transport_events ev;
    ev.opened = [this] { update([this] { opened = true; }); };
    ev.message = [this](std::string&& m) {
      update([&] { messages.push_back(std::move(m)); });
    };
    ev.closed = [this](const std::string& stage, const std::string& why) {
      update([&] { closed = stage + ": " + why; });
    };
    return ev;
  }

  net::approval_done approval_done() {
    return [this](bool ok, std::string text) {
      update([&] { approval.emplace(ok, std::move(text)); });
    };
  }

  template <class F>
  void update(F f) {
    std::lock_guard<std::mutex> g{mx};
    f();
    cv.notify_all();
  }

  template <class Pred>
  bool wait(Pred pred) {
    std::unique_lock<std::mutex> g{mx};
    return cv.wait_for(g, 10s, pred);
  }
};

struct fixture {
  std::unique_ptr<sim::simulator> simu;
  sim::ports ports;
  std::shared_ptr<net::io_runner> io = std::make_shared<net::io_runner>();

  fixture() {
    sim::options o;
    o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
    o.kst_start = 10 * 3600;
    o.kst_date = 20250102;
    o.log_level = "off";
    o.rest_plain = true;
    simu = std::make_unique<sim::simulator>(o);
    ports = simu->start();
    io->start();
  }

  ~fixture() {
    io->stop();
    simu->stop();
  }

  std::string rest_url() const {
    return "http://127.0.0.1:" + std::to_string(ports.rest);
  }

  std::string ws_url() const {
    return "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(kis_transport_tests, fixture)

CAF_TEST(
    the approval fetcher gets a key and reports a refusal without secrets) {
  inbox box;
  auto fetch =
      net::rest_approval_fetcher(io, rest_url(), {}, "APPKEY1", "SECRET1");
  fetch(box.approval_done());
  CAF_REQUIRE(box.wait([&] { return box.approval.has_value(); }));
  CAF_CHECK(box.approval->first);
  CAF_CHECK(!box.approval->second.empty());
  inbox bad;
  auto wrong =
      net::rest_approval_fetcher(io, rest_url(), {}, "APPKEY1", "WRONG-SECRET");
  wrong(bad.approval_done());
  CAF_REQUIRE(bad.wait([&] { return bad.approval.has_value(); }));
  CAF_CHECK(!bad.approval->first);
  CAF_CHECK(!bad.approval->second.empty());
  CAF_CHECK_EQUAL(bad.approval->second.find("WRONG-SECRET"), std::string::npos);
}

CAF_TEST(a bad rest url is refused when the fetcher is made) {
  std::string what;
  try {
    net::rest_approval_fetcher(io, "ftp://x", {}, "APPKEY1", "SECRET1");
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CAF_CHECK_EQUAL(what.rfind("rest url 'ftp://x': ", 0), 0u);
}

CAF_TEST(the ws transport opens subscribes and closes) {
  inbox key;
  net::rest_approval_fetcher(io, rest_url(), {}, "APPKEY1",
                             "SECRET1")(key.approval_done());
  CAF_REQUIRE(key.wait([&] { return key.approval.has_value(); }));
  CAF_REQUIRE(key.approval->first);
  inbox box;
  auto make = net::ws_transport_factory(io, ws_url(), {});
  auto t = make(box.events());
  t->start();
  CAF_REQUIRE(box.wait([&] { return box.opened; }));
  t->send(kis::encode_subscription(
      key.approval->second, kis::tr_type::subscribe, "H0STCNT0", "005930"));
  CAF_REQUIRE(box.wait([&] {
    for (auto& m : box.messages)
      if (m.find("OPSP0000") != std::string::npos)
        return true;
    return false;
  }));
  t->close();
  CAF_CHECK(box.wait([&] { return !box.closed.empty(); }));
}

CAF_TEST(a bad ws url fails the connect like any other) {
  inbox box;
  auto t = net::ws_transport_factory(io, "not a url", {})(box.events());
  t->start();
  CAF_REQUIRE(box.wait([&] { return !box.closed.empty(); }));
  CAF_CHECK_EQUAL(box.closed.rfind("connect: bad ws url: ", 0), 0u);
  CAF_CHECK(!box.opened);
}

CAF_TEST_FIXTURE_SCOPE_END()
