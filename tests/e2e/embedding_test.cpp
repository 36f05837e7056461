// SPDX-License-Identifier: Apache-2.0
// The two embedding levels (docs/embedding.md): the example apps as real
// processes, and the callback facade called from several threads. Waits
// are bounded (poll on pipes, futures with a deadline); nothing sleeps.
#define CAF_SUITE e2e.embedding
#include <caf/test/unit_test.hpp>

#include <future>
#include <mutex>
#include <thread>

#include "apps/kisrt/client.hpp"
#include "tests/e2e/process.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

CAF_TEST(the typed actor example prints events of its own actor) {
  auto r = test::run_binary("kisrt-example-actors",
                            {"--events", "5", "H0STASP0", "000660"}, 60s);
  CAF_CHECK(!r.timed_out);
  CAF_CHECK_EQUAL(r.exit_code, 0);
  CAF_CHECK_GREATER_OR_EQUAL(test::count_of(r.out, "H0STASP0 000660 ask "), 5u);
  CAF_CHECK(r.out.find("received 5 events") != std::string::npos);
}

CAF_TEST(the callback example prints events and closes from its callback) {
  auto r =
      test::run_binary("kisrt-example-callbacks",
                       {"--events", "6", "H0STASP0", "005930", "000660"}, 60s);
  CAF_CHECK(!r.timed_out);
  CAF_CHECK_EQUAL(r.exit_code, 0);
  CAF_CHECK_EQUAL(test::count_of(r.out, "H0STASP0 "), 6u);
  CAF_CHECK(r.out.find("received 6 events") != std::string::npos);
}

CAF_TEST(the callback example names a bad configuration key) {
  auto r = test::run_binary("kisrt-example-callbacks",
                            {"--config", "/nonexistent/kisrt.conf"}, 30s);
  CAF_CHECK(!r.timed_out);
  CAF_CHECK_EQUAL(r.exit_code, 1);
}

CAF_TEST(facade callbacks run on the run thread and unsubscribe stops them) {
  client_options o;
  o.sim = true;
  client kis{o};
  std::mutex mtx;
  int a_calls = 0; // 005930: unsubscribes itself after 3 calls
  int b_calls = 0; // 000660: closes after 5 calls
  std::thread::id cb_thread;
  bool one_thread = true;
  bool right_events = true; // checked after run() (CAF checks are not
                            // thread-safe)
  client::subscription a = 0;
  auto note_thread = [&] {
    if (cb_thread == std::thread::id{})
      cb_thread = std::this_thread::get_id();
    one_thread = one_thread && cb_thread == std::this_thread::get_id();
  };
  std::promise<void> a_done;
  // Subscriptions come from this thread while run() runs on another.
  auto runner = std::async(std::launch::async, [&] { kis.run(); });
  {
    std::lock_guard<std::mutex> guard{mtx};
    a = kis.subscribe("H0STASP0", {"005930"}, [&](const client_event& ev) {
      note_thread();
      right_events = right_events && ev.key == "005930"
                     && std::holds_alternative<kis::order_book>(ev.data);
      if (++a_calls == 3) {
        std::lock_guard<std::mutex> guard{mtx}; // `a` is assigned
        kis.unsubscribe(a);                     // from inside a callback
        a_done.set_value();
      }
    });
  }
  CAF_REQUIRE(a_done.get_future().wait_for(30s) == std::future_status::ready);
  kis.subscribe("H0STASP0", {"000660"}, [&](const client_event& ev) {
    note_thread();
    right_events = right_events && ev.key == "000660";
    if (++b_calls == 5)
      kis.close();
  });
  CAF_REQUIRE(runner.wait_for(30s) == std::future_status::ready);
  CAF_CHECK_EQUAL(a_calls, 3); // nothing after unsubscribe
  CAF_CHECK_EQUAL(b_calls, 5);
  CAF_CHECK(one_thread);
  CAF_CHECK(right_events);
  CAF_CHECK(cb_thread != std::this_thread::get_id());
}

CAF_TEST(facade refuses a bad configuration naming the key) {
  client_options o;
  o.sim = true;
  o.overrides = {"slots.cap=0"};
  std::string what;
  try {
    client kis{o};
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CAF_CHECK(what.find("slots.cap") != std::string::npos);
}
