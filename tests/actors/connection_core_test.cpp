// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.connection_core
#include <caf/test/unit_test.hpp>

#include <algorithm>

#include "actors/connection_core.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

using kind = conn_action::kind_t;

const std::string pingpong =
    R"({"header":{"tr_id":"PINGPONG","datetime":"20250101120000"}})";

std::size_t count(const connection_core::actions& xs, kind k) {
  return static_cast<std::size_t>(std::count_if(
      xs.begin(), xs.end(), [k](const conn_action& a) { return a.kind == k; }));
}

const conn_action* find(const connection_core::actions& xs, kind k) {
  for (auto& a : xs)
    if (a.kind == k)
      return &a;
  return nullptr;
}

struct fixture {
  connection_config cfg;
  std::unique_ptr<connection_core> core;
  connection_core::actions out;
  mono_time now = 1000s;

  fixture() {
    cfg.session = 1;
    core = std::make_unique<connection_core>(cfg, 42);
  }

  // Starts, approves and opens: epoch 1 on transport 1.
  void open() {
    core->start(now, out);
    core->approval_ok(now, "APPROVAL-KEY", out);
    core->opened(now, core->transport(), out);
    out.clear();
  }

  wire_command sub(const char* tr_key, epoch_t epoch = 1) {
    return wire_command{1, epoch, wire_op::subscribe, {"H0STCNT0", tr_key}};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(connection_core_tests, fixture)

CAF_TEST(start fetches an approval key then connects and reports up) {
  core->start(now, out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::fetch_approval);
  CAF_CHECK(core->state() == conn_state::approving);
  out.clear();
  core->approval_ok(now, "APPROVAL-KEY", out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::connect);
  CAF_CHECK_EQUAL(out[0].transport, 1u);
  out.clear();
  core->opened(now, 1, out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::up);
  CAF_CHECK_EQUAL(out[0].epoch, 1u);
  CAF_CHECK(core->state() == conn_state::open);
}

CAF_TEST(pingpong is echoed at once as the same text and not forwarded) {
  open();
  core->received(now, 1, pingpong, out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::send);
  CAF_CHECK_EQUAL(out[0].text, pingpong);
  CAF_CHECK_EQUAL(core->stats().pingpongs, 1u);
}

CAF_TEST(data and acks go to the decoder with the epoch) {
  open();
  core->received(now, 1, "0|H0STCNT0|001|x", out);
  core->received(now, 1,
                 kis::encode_ack("H0STCNT0", "005930", false, "OPSP0000"), out);
  CAF_CHECK_EQUAL(count(out, kind::forward), 2u);
  CAF_CHECK_EQUAL(out[0].epoch, 1u);
}

CAF_TEST(commands of another epoch are dropped and current ones sent) {
  open();
  core->command(now, sub("005930", 0), out);
  CAF_CHECK(out.empty());
  CAF_CHECK_EQUAL(core->stats().dropped_commands, 1u);
  core->command(now, sub("005930", 1), out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::send);
  CAF_CHECK_EQUAL(out[0].text, kis::encode_subscription("APPROVAL-KEY",
                                                        kis::tr_type::subscribe,
                                                        "H0STCNT0", "005930"));
  wire_command unsub{1, 1, wire_op::unsubscribe, {"H0STASP0", "000660"}};
  core->command(now, unsub, out);
  CAF_CHECK(out.back().text.find(R"("tr_type":"2")") != std::string::npos);
}

CAF_TEST(sends are paced by the token bucket) {
  open();
  for (int i = 0; i < 10; ++i)
    core->command(now, sub(std::to_string(100000 + i).c_str()), out);
  CAF_CHECK_EQUAL(count(out, kind::send), 5u); // the burst
  CAF_CHECK_EQUAL(core->queued(), 5u);
  auto wake = core->next_wakeup(now);
  CAF_REQUIRE(wake.has_value());
  CAF_CHECK_GREATER(*wake, now);
  CAF_CHECK_LESS_OR_EQUAL(*wake, now + 51ms);
  out.clear();
  core->tick(now + 50ms, out);
  CAF_CHECK_EQUAL(count(out, kind::send), 1u);
  out.clear();
  core->tick(now + 250ms, out); // 20/s: four more tokens
  CAF_CHECK_EQUAL(count(out, kind::send), 4u);
  CAF_CHECK_EQUAL(core->queued(), 0u);
  // A pingpong is never queued behind commands.
  for (int i = 0; i < 10; ++i)
    core->command(now + 250ms, sub("005930"), out);
  out.clear();
  core->received(now + 250ms, 1, pingpong, out);
  CAF_CHECK_EQUAL(count(out, kind::send), 1u);
}

CAF_TEST(a lost connection reports down and reconnects after backoff) {
  open();
  core->closed(now, 1, "read: end of stream", out);
  CAF_CHECK_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(find(out, kind::down)->epoch, 1u);
  CAF_CHECK(core->state() == conn_state::waiting);
  auto at = *core->next_wakeup(now);
  CAF_CHECK_GREATER_OR_EQUAL(at, now + 500ms);
  CAF_CHECK_LESS_OR_EQUAL(at, now + 1s);
  out.clear();
  core->tick(at - 1ms, out);
  CAF_CHECK(out.empty());
  core->tick(at, out);
  // The approval key is still fresh: connect directly.
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::connect);
  CAF_CHECK_EQUAL(out[0].transport, 2u);
  out.clear();
  // Late events of the old transport change nothing.
  core->closed(at, 1, "late", out);
  core->received(at, 1, pingpong, out);
  CAF_CHECK(out.empty());
  core->opened(at, 2, out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::up);
  CAF_CHECK_EQUAL(out[0].epoch, 2u);
}

CAF_TEST(backoff doubles to the cap and resets after a stable period) {
  open();
  std::vector<mono_time> delays;
  for (int i = 0; i < 9; ++i) {
    core->closed(now, core->transport(), "refused", out);
    auto at = *core->next_wakeup(now);
    delays.push_back(at - now);
    now = at;
    core->tick(now, out); // connect attempt; fails again below
  }
  // Base delays 1, 2, 4, ... 60 s, each jittered into [base/2, base].
  mono_time base = 1s;
  for (auto d : delays) {
    CAF_CHECK_GREATER_OR_EQUAL(d, base / 2);
    CAF_CHECK_LESS_OR_EQUAL(d, base);
    base = std::min<mono_time>(base * 2, 60s);
  }
  // Up for longer than the stable period: the next delay is short again.
  core->opened(now, core->transport(), out);
  now += 61s;
  core->closed(now, core->transport(), "restart", out);
  CAF_CHECK_LESS_OR_EQUAL(*core->next_wakeup(now) - now, 1s);
}

CAF_TEST(OPSP8996 drops the socket and waits at least the in use backoff) {
  open();
  core->received(now, 1, kis::encode_session_error("OPSP8996"), out);
  CAF_CHECK_EQUAL(count(out, kind::abort), 1u);
  CAF_CHECK_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(count(out, kind::forward), 0u);
  CAF_CHECK_GREATER_OR_EQUAL(*core->next_wakeup(now) - now, 30s);
  CAF_CHECK_EQUAL(core->stats().in_use, 1u);
}

CAF_TEST(the idle watchdog reconnects after 100 s of silence) {
  open();
  out.clear();
  core->tick(now + 90s, out);
  CAF_CHECK(out.empty());
  core->received(now + 90s, 1, pingpong, out); // any message resets it
  out.clear();
  core->tick(now + 189s, out);
  CAF_CHECK(out.empty());
  core->tick(now + 190s, out);
  CAF_CHECK_EQUAL(count(out, kind::abort), 1u);
  CAF_CHECK_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(core->stats().watchdog_fired, 1u);
}

CAF_TEST(an old approval key is reissued on reconnect) {
  open();
  now += 23h;
  core->closed(now, 1, "restart", out);
  out.clear();
  core->tick(*core->next_wakeup(now), out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::fetch_approval);
}

CAF_TEST(OPSP0011 fetches a new approval key and reconnects with a new epoch) {
  // The server restarted and forgot our approval key: every subscribe on
  // this socket is answered OPSP0011 while PINGPONG keeps it alive.
  open();
  core->command(now, sub("005930"), out);
  out.clear();
  core->received(now, 1,
                 kis::encode_ack("H0STCNT0", "005930", false, "OPSP0011"), out);
  CAF_CHECK(!core->has_approval());
  CAF_CHECK_EQUAL(count(out, kind::forward), 0u);
  CAF_CHECK_EQUAL(count(out, kind::abort), 1u);
  CAF_REQUIRE_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(find(out, kind::down)->epoch, 1u);
  CAF_REQUIRE_EQUAL(count(out, kind::warn), 1u);
  CAF_CHECK(find(out, kind::warn)->text.find("OPSP0011") != std::string::npos);
  CAF_CHECK(find(out, kind::warn)->text.find("APPROVAL-KEY")
            == std::string::npos);
  CAF_CHECK_EQUAL(core->stats().rekeys, 1u);
  CAF_CHECK(core->state() == conn_state::waiting);
  // Commands in between are dropped: nothing is sent without a key.
  out.clear();
  core->command(now, sub("000660"), out);
  CAF_CHECK_EQUAL(count(out, kind::send), 0u);
  // After the backoff: a new key first, then a new socket and epoch.
  core->tick(*core->next_wakeup(now), out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::fetch_approval);
  out.clear();
  core->approval_ok(now + 1s, "NEW-KEY", out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::connect);
  CAF_CHECK_EQUAL(out[0].transport, 2u);
  out.clear();
  core->opened(now + 1s, 2, out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::up);
  CAF_CHECK_EQUAL(out[0].epoch, 2u);
  out.clear();
  core->command(now + 1s, sub("005930", 2), out);
  CAF_REQUIRE_EQUAL(count(out, kind::send), 1u);
  CAF_CHECK_EQUAL(out[0].text,
                  kis::encode_subscription("NEW-KEY", kis::tr_type::subscribe,
                                           "H0STCNT0", "005930"));
}

CAF_TEST(an old approval key is renewed at a quiet moment with a new epoch) {
  bool quiet = false;
  cfg.quiet = [&quiet](mono_time) { return quiet; };
  cfg.idle_timeout = 48h; // no PINGPONG in this test
  core = std::make_unique<connection_core>(cfg, 42);
  open();
  auto t0 = now;
  // A young key is not renewed; the first check is due at its max age.
  CAF_CHECK_EQUAL(core->next_wakeup(t0).value().count(),
                  (t0 + cfg.approval_max_age).count());
  core->tick(t0 + 22h, out);
  CAF_CHECK(out.empty());
  // Old, but the market is open: the connection is kept, asked again later.
  core->tick(t0 + 23h, out);
  CAF_CHECK_EQUAL(count(out, kind::fetch_approval), 0u);
  CAF_CHECK_EQUAL(core->next_wakeup(t0 + 23h).value().count(),
                  (t0 + 23h + cfg.quiet_check).count());
  // Quiet: a new key is fetched while the connection stays open.
  quiet = true;
  auto t1 = t0 + 23h + cfg.quiet_check;
  core->tick(t1, out);
  CAF_REQUIRE_EQUAL(out.size(), 2u);
  CAF_CHECK(out[0].kind == kind::log);
  CAF_CHECK(out[0].text.find("APPROVAL-KEY") == std::string::npos);
  CAF_CHECK(out[1].kind == kind::fetch_approval);
  CAF_CHECK(core->state() == conn_state::open);
  out.clear();
  core->tick(t1 + 1s, out); // no second request while one is out
  CAF_CHECK_EQUAL(count(out, kind::fetch_approval), 0u);
  out.clear();
  // The new key: close, down, a new socket and a new epoch.
  core->approval_ok(t1 + 1s, "NEW-KEY", out);
  CAF_CHECK_EQUAL(count(out, kind::close), 1u);
  CAF_REQUIRE_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(find(out, kind::down)->epoch, 1u);
  CAF_REQUIRE_EQUAL(count(out, kind::connect), 1u);
  CAF_CHECK_EQUAL(find(out, kind::connect)->transport, 2u);
  CAF_CHECK_EQUAL(core->stats().renewals, 1u);
  out.clear();
  core->opened(t1 + 1s, 2, out);
  CAF_REQUIRE_EQUAL(count(out, kind::up), 1u);
  CAF_CHECK_EQUAL(find(out, kind::up)->epoch, 2u);
  // The new key is young again: the next check is a max age away.
  CAF_CHECK_EQUAL(core->next_wakeup(t1 + 1s).value().count(),
                  (t1 + 1s + cfg.approval_max_age).count());
  out.clear();
  core->command(t1 + 1s, sub("005930", 2), out);
  CAF_REQUIRE_EQUAL(count(out, kind::send), 1u);
  CAF_CHECK_EQUAL(find(out, kind::send)->text,
                  kis::encode_subscription("NEW-KEY", kis::tr_type::subscribe,
                                           "H0STCNT0", "005930"));
}

CAF_TEST(a failed renewal keeps the connection and its key) {
  cfg.quiet = [](mono_time) { return true; };
  cfg.idle_timeout = 48h;
  core = std::make_unique<connection_core>(cfg, 42);
  open();
  auto t = now + cfg.approval_max_age;
  core->tick(t, out);
  CAF_REQUIRE_EQUAL(count(out, kind::fetch_approval), 1u);
  out.clear();
  core->approval_failed(t, "connect: Connection refused", out);
  CAF_CHECK_EQUAL(count(out, kind::down), 0u);
  CAF_CHECK_EQUAL(count(out, kind::close), 0u);
  CAF_CHECK(core->state() == conn_state::open);
  CAF_CHECK(core->has_approval());
  out.clear();
  core->command(t, sub("005930"), out);
  CAF_CHECK_EQUAL(count(out, kind::send), 1u);
  out.clear();
  // Tried again after quiet_check.
  core->tick(t + cfg.quiet_check, out);
  CAF_CHECK_EQUAL(count(out, kind::fetch_approval), 1u);
}

CAF_TEST(without a quiet predicate a key is renewed only at reconnects) {
  cfg.idle_timeout = 48h;
  core = std::make_unique<connection_core>(cfg, 42);
  open();
  core->tick(now + 30h, out);
  CAF_CHECK_EQUAL(count(out, kind::fetch_approval), 0u);
  CAF_CHECK(core->state() == conn_state::open);
}

CAF_TEST(an empty approval key is never sent) {
  core->start(now, out);
  out.clear();
  core->approval_ok(now, "", out);
  CAF_CHECK_EQUAL(count(out, kind::connect), 0u);
  CAF_CHECK(core->state() == conn_state::waiting);
  CAF_CHECK(!core->has_approval());
  // The next attempt asks for a key again.
  out.clear();
  core->tick(*core->next_wakeup(now), out);
  CAF_REQUIRE_EQUAL(out.size(), 1u);
  CAF_CHECK(out[0].kind == kind::fetch_approval);
  // Through a re-key loop no frame ever carries an empty key.
  core->approval_ok(now, "K1", out);
  core->opened(now, core->transport(), out);
  core->command(now, sub("005930", core->epoch()), out);
  core->received(now, core->transport(),
                 kis::encode_ack("H0STCNT0", "005930", false, "OPSP0011"), out);
  core->command(now, sub("000660", core->epoch()), out);
  core->tick(now + 1min, out);
  core->approval_ok(now + 1min, "K2", out);
  core->opened(now + 1min, core->transport(), out);
  core->command(now + 1min, sub("000660", core->epoch()), out);
  std::size_t sends = 0;
  for (auto& a : out)
    if (a.kind == kind::send) {
      ++sends;
      CAF_CHECK(a.text.find(R"("approval_key":"")") == std::string::npos);
    }
  CAF_CHECK_EQUAL(sends, 2u);
}

CAF_TEST(an unanswered command is reported after the answer timeout) {
  open();
  core->command(now, sub("005930"), out);
  CAF_CHECK_EQUAL(core->unanswered(), 1u);
  CAF_CHECK(core->next_wakeup(now) == std::optional<mono_time>{now + 10s});
  out.clear();
  core->tick(now + 10s - 1ms, out);
  CAF_CHECK(out.empty());
  core->tick(now + 10s, out);
  CAF_REQUIRE_EQUAL(count(out, kind::timeout), 1u);
  CAF_CHECK_EQUAL(find(out, kind::timeout)->command, sub("005930"));
  CAF_CHECK_EQUAL(find(out, kind::timeout)->epoch, 1u);
  CAF_CHECK_EQUAL(count(out, kind::warn), 1u);
  CAF_CHECK_EQUAL(count(out, kind::abort), 0u); // one miss: no recycle
  CAF_CHECK_EQUAL(core->stats().answer_timeouts, 1u);
  CAF_CHECK_EQUAL(core->unanswered(), 0u);
  // An answer in time clears the deadline.
  out.clear();
  core->command(now + 10s, sub("000660"), out);
  core->received(now + 11s, 1,
                 kis::encode_ack("H0STCNT0", "000660", false, "OPSP0000"), out);
  CAF_CHECK_EQUAL(core->unanswered(), 0u);
  out.clear();
  core->tick(now + 30s, out);
  CAF_CHECK_EQUAL(count(out, kind::timeout), 0u);
}

CAF_TEST(the answer deadline counts from the send after pacing) {
  open();
  for (int i = 0; i < 6; ++i)
    core->command(now, sub(std::to_string(100000 + i).c_str()), out);
  CAF_CHECK_EQUAL(count(out, kind::send), 5u); // the burst; one is paced
  out.clear();
  core->tick(now + 50ms, out); // the sixth goes out now
  CAF_CHECK_EQUAL(count(out, kind::send), 1u);
  // Answers for the first five.
  for (int i = 0; i < 5; ++i)
    core->received(now + 1s, 1,
                   kis::encode_ack("H0STCNT0", std::to_string(100000 + i),
                                   false, "OPSP0000"),
                   out);
  out.clear();
  core->tick(now + 10s, out);
  CAF_CHECK_EQUAL(count(out, kind::timeout), 0u);
  core->tick(now + 10s + 50ms, out);
  CAF_REQUIRE_EQUAL(count(out, kind::timeout), 1u);
  CAF_CHECK_EQUAL(find(out, kind::timeout)->command, sub("100005"));
}

CAF_TEST(answers missing in a row recycle the connection) {
  open();
  core->command(now, sub("000001"), out);
  core->command(now, sub("000002"), out);
  out.clear();
  core->tick(now + 10s, out); // two misses: reported, no recycle yet
  CAF_CHECK_EQUAL(count(out, kind::timeout), 2u);
  CAF_CHECK_EQUAL(count(out, kind::abort), 0u);
  // An answer in between starts the count again.
  core->command(now + 10s, sub("000003"), out);
  core->command(now + 10s, sub("000004"), out);
  core->received(now + 11s, 1,
                 kis::encode_ack("H0STCNT0", "000004", false, "OPSP0000"), out);
  out.clear();
  core->tick(now + 20s, out);
  CAF_CHECK_EQUAL(count(out, kind::timeout), 1u);
  CAF_CHECK_EQUAL(count(out, kind::abort), 0u);
  // Three in a row: close, down, reconnect with a new epoch.
  core->command(now + 20s, sub("000005"), out);
  core->command(now + 20s, sub("000006"), out);
  out.clear();
  core->tick(now + 30s, out);
  CAF_CHECK_EQUAL(count(out, kind::timeout), 0u);
  CAF_CHECK_EQUAL(count(out, kind::abort), 1u);
  CAF_REQUIRE_EQUAL(count(out, kind::down), 1u);
  CAF_CHECK_EQUAL(find(out, kind::down)->epoch, 1u);
  CAF_CHECK_EQUAL(core->stats().recycled, 1u);
  CAF_CHECK(core->state() == conn_state::waiting);
  out.clear();
  core->tick(*core->next_wakeup(now + 30s), out);
  CAF_REQUIRE_EQUAL(count(out, kind::connect), 1u);
  core->opened(now + 31s, core->transport(), out);
  CAF_CHECK_EQUAL(find(out, kind::up)->epoch, 2u);
  CAF_CHECK_EQUAL(core->unanswered(), 0u);
}

CAF_TEST(stop closes with a close frame and ignores late events) {
  open();
  core->stop(now, out);
  CAF_CHECK_EQUAL(count(out, kind::close), 1u);
  CAF_CHECK_EQUAL(count(out, kind::down), 1u);
  out.clear();
  core->closed(now, 1, "closed", out);
  core->tick(now + 1h, out);
  CAF_CHECK(out.empty());
  CAF_CHECK(core->state() == conn_state::idle);
}

CAF_TEST_FIXTURE_SCOPE_END()
