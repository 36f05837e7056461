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
#include "net/kis/layout.hpp"
#include "tests/common/loopback_io.hpp"
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

CAF_TEST(facade delivers a TR without a typed record as a generic record) {
  // H0NXPGM0 (NXT program trading) has a layout but no typed record; the
  // simulator feeds it during market hours.
  client_options o;
  o.sim = true;
  o.overrides = {"sim.kst_start=10:00:00"};
  client kis{o};
  std::vector<client_event> got; // only run()'s thread writes
  auto runner = std::async(std::launch::async, [&] { kis.run(); });
  kis.subscribe("H0NXPGM0", {"005930"}, [&](const client_event& ev) {
    got.push_back(ev);
    if (got.size() == 2)
      kis.close();
  });
  if (runner.wait_for(60s) != std::future_status::ready) {
    kis.close();
    runner.wait();
    CAF_FAIL("no H0NXPGM0 events within 60 s");
  }
  CAF_REQUIRE_EQUAL(got.size(), 2u);
  auto& ev = got[0];
  CAF_CHECK_EQUAL(ev.tr_id, "H0NXPGM0");
  CAF_CHECK_EQUAL(ev.key, "005930");
  CAF_REQUIRE(std::holds_alternative<kis::generic_record>(ev.data));
  auto& rec = std::get<kis::generic_record>(ev.data);
  auto* layout = kis::find_layout("H0NXPGM0");
  CAF_CHECK_EQUAL(rec.key, "005930");
  CAF_CHECK_EQUAL(rec.value(layout, "MKSC_SHRN_ISCD"), "005930");
  CAF_CHECK_GREATER_OR_EQUAL(rec.size(), layout->width);
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

CAF_TEST(facade on_slot reports a refused key with its msg_cd) {
  client_options o;
  o.sim = true;
  o.priority = 3;
  o.overrides = {"admin.listen=127.0.0.1:0"};
  client kis{o};
  // The embedded simulator refuses the next subscribe of 000660.
  auto sim = test::http_get(kis.admin_port(), "/sim");
  auto at = sim.find(R"("admin_port":)");
  CAF_REQUIRE(at != std::string::npos);
  auto fault = test::http_post(
      std::stoi(sim.substr(at + 13)), "/fault",
      R"({"kind":"reject","count":1,"msg_cd":"OPSP8992","tr_key":"000660"})");
  CAF_CHECK(fault.find(R"("ok":true)") != std::string::npos);
  std::vector<client_slot_event> seen; // only run()'s thread writes
  std::thread::id slot_thread;
  kis.on_slot([&](const client_slot_event& ev) {
    slot_thread = std::this_thread::get_id();
    seen.push_back(ev);
    if (ev.state == "rejected")
      kis.close();
  });
  std::thread::id run_thread;
  auto runner = std::async(std::launch::async, [&] {
    run_thread = std::this_thread::get_id();
    kis.run();
  });
  kis.subscribe("H0STCNT0", {"000660"}, [](const client_event&) {});
  if (runner.wait_for(60s) != std::future_status::ready) {
    kis.close();
    runner.wait();
    CAF_FAIL("no rejected slot event within 60 s");
  }
  CAF_REQUIRE(!seen.empty());
  auto& last = seen.back();
  CAF_CHECK_EQUAL(last.state, "rejected");
  CAF_CHECK_EQUAL(last.tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(last.key, "000660");
  CAF_CHECK_EQUAL(last.msg_cd, "OPSP8992");
  CAF_CHECK_EQUAL(int{last.priority}, 3);
  CAF_CHECK_EQUAL(last.session, 0u);
  CAF_CHECK(slot_thread == run_thread);
  // Only this client's keys: never the execution notice's.
  for (auto& ev : seen)
    CAF_CHECK_EQUAL(ev.key, "000660");
}
