// SPDX-License-Identifier: Apache-2.0
// The races of the seed design, written as message orders on CAF's
// deterministic test coordinator.
#define CAF_SUITE actors.slot_arbiter
#include "tests/actors/arbiter_fixture.hpp"

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

using namespace kisrt;
using namespace kisrt::test;

namespace {

using cmds = std::vector<wire_command>;

// One session, up, notice active.
struct one_up : arbiter_fixture {
  one_up() {
    up(0);
    settle();
    events->clear();
  }
};

struct two_up : arbiter_fixture {
  two_up()
      : arbiter_fixture(2) {
    up(0);
    up(1);
    settle();
    events->clear();
  }
};

/// Every key is on at most one session, and no session is over its cap.
void check_wire_invariants(const slot_snapshot& snap) {
  std::map<slot_key, session_id> where;
  for (auto& s : snap.slots) {
    if (s.state != slot_state::pending && s.state != slot_state::active
        && s.state != slot_state::releasing)
      continue;
    CAF_CHECK(where.emplace(s.key, s.session).second);
  }
  for (auto& s : snap.sessions)
    CAF_CHECK_LESS_OR_EQUAL(s.used, std::min(s.cap, s.learned_cap));
}

/// Captures spdlog's default logger while alive.
struct log_capture {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> before = spdlog::default_logger();
  log_capture() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(text);
    sink->set_pattern("%l %v");
    auto lg = std::make_shared<spdlog::logger>("capture", sink);
    lg->set_level(spdlog::level::trace);
    spdlog::set_default_logger(lg);
  }
  ~log_capture() { spdlog::set_default_logger(before); }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(arbiter_one_session, one_up)

CAF_TEST(observers see a key granted then active) {
  push(holding_set{{"A"}});
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, asp("A")), sub(0, 1, cnt("A"))}));
  ack(0, asp("A"), "OPSP0000");
  ack(0, cnt("A"), "OPSP0002");
  auto ev = *events;
  CAF_REQUIRE_EQUAL(ev.size(), 4u);
  CAF_CHECK_EQUAL(std::get<slot_granted>(ev[0]),
                  (slot_granted{0, asp("A"), 1}));
  CAF_CHECK_EQUAL(std::get<slot_granted>(ev[1]),
                  (slot_granted{0, cnt("A"), 1}));
  CAF_CHECK_EQUAL(std::get<slot_active>(ev[2]), (slot_active{0, 1, asp("A")}));
  CAF_CHECK_EQUAL(std::get<slot_active>(ev[3]), (slot_active{0, 1, cnt("A")}));
}

CAF_TEST(a buy fill arrives while a picks refresh is unsubscribing) {
  push(pick_list{symbols(40, 0, "P")});
  settle();
  // The refresh drops P038 and P039 for N0 and N1: two unsubscribes go
  // out, the new picks wait for the room.
  auto refresh = symbols(38, 0, "P");
  refresh.push_back("N0");
  refresh.push_back("N1");
  push(pick_list{refresh});
  CAF_CHECK_EQUAL(take(0),
                  (cmds{unsub(0, 1, cnt("P038")), unsub(0, 1, cnt("P039"))}));
  // The fill lands before the server answered: the holding outranks the
  // new picks, and nothing is subscribed while the cap is in use.
  push(position_update{"H", 100});
  CAF_CHECK(take(0).empty());
  CAF_CHECK_EQUAL(used(0), 41u);
  CAF_CHECK(has(cnt("H"), slot_state::requested, 0));
  CAF_CHECK(has(cnt("N0"), slot_state::requested, no_session));
  ack(0, cnt("P038"), "OPSP0001");
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, asp("H"))}));
  ack(0, cnt("P039"), "OPSP0001");
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("H"))}));
  check_wire_invariants(snapshot());
  settle();
  CAF_CHECK(has(asp("H"), slot_state::active, 0));
  CAF_CHECK(has(cnt("H"), slot_state::active, 0));
  CAF_CHECK(!has(cnt("N0"), slot_state::active));
}

CAF_TEST(scanner candidates arrive while all slots are pending) {
  push(pick_list{symbols(40, 0, "P")});
  auto pending = take(0);
  CAF_CHECK_EQUAL(pending.size(), 40u);
  push(scan_candidates{candidates(symbols(5, 0, "C"), now(), 9.0)});
  CAF_CHECK(take(0).empty());
  CAF_CHECK_EQUAL(used(0), 41u);
  CAF_CHECK(has(cnt("C000"), slot_state::requested, no_session));
  // A holding now needs the two worst picks; they are still pending, so
  // each is unsubscribed only after its subscribe is answered.
  push(position_update{"H", 1});
  CAF_CHECK(take(0).empty());
  ack(0, cnt("P039"), "OPSP0000");
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, cnt("P039"))}));
  ack(0, cnt("P038"), "OPSP0000");
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, cnt("P038"))}));
  for (size_t i = 0; i < 38; ++i)
    ack(pending[i], "OPSP0000");
  CAF_CHECK(take(0).empty());
  settle();
  CAF_CHECK(has(cnt("H"), slot_state::active, 0));
  CAF_CHECK(has(cnt("C000"), slot_state::requested, no_session));
  check_wire_invariants(snapshot());
}

CAF_TEST(a disconnect with subscribes in flight then old epoch acks) {
  push(holding_set{{"A", "B"}});
  auto old = take(0);
  CAF_CHECK_EQUAL(old.size(), 4u);
  down(0);
  CAF_CHECK_EQUAL(used(0), 0u);
  up(0); // epoch 2
  // Replay order: priority, then original grant time (A and B were
  // granted together, so by key).
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 2, notice_of(0)), sub(0, 2, asp("A")),
                                 sub(0, 2, asp("B")), sub(0, 2, cnt("A")),
                                 sub(0, 2, cnt("B"))}));
  CAF_CHECK_EQUAL(take_events<session_replayed>(),
                  (std::vector<session_replayed>{{0, 2, 5}}));
  // Answers of epoch 1 arrive late: success and cap errors alike are
  // ignored.
  ack(old[0], "OPSP0000");
  ack(old[1], "OPSP0008");
  ack(old[2], "OPSP0009");
  CAF_CHECK(take(0).empty());
  CAF_CHECK(events->empty());
  auto snap = snapshot();
  CAF_CHECK_EQUAL(snap.sessions[0].learned_cap, 41u);
  CAF_CHECK(has(asp("A"), slot_state::pending));
  CAF_CHECK(has(asp("B"), slot_state::pending));
  settle();
  CAF_CHECK(has(asp("A"), slot_state::active));
  CAF_CHECK_EQUAL(used(0), 5u);
}

CAF_TEST(OPSP0008 because the server cap is lower than configured) {
  push(pick_list{symbols(40, 0, "P")});
  auto sent = take(0);
  // The server allows 36 registrations: notice + 35 picks.
  for (size_t i = 0; i < sent.size(); ++i)
    ack(sent[i], i < 35 ? "OPSP0000" : "OPSP0008");
  auto snap = snapshot();
  CAF_CHECK_EQUAL(snap.sessions[0].cap, 41u);
  CAF_CHECK_EQUAL(snap.sessions[0].learned_cap, 36u);
  CAF_CHECK_EQUAL(snap.sessions[0].used, 36u);
  auto rej = take_events<slot_rejected>();
  CAF_CHECK_EQUAL(rej.size(), 5u);
  for (auto& r : rej)
    CAF_CHECK_EQUAL(r.msg_cd, "OPSP0008");
  CAF_CHECK(take(0).empty()); // no hammering against the cap
  CAF_CHECK(has(cnt("P039"), slot_state::rejected, no_session));
  // A holding under the learned cap: the two worst placed picks go.
  push(position_update{"H", 5});
  CAF_CHECK_EQUAL(take(0),
                  (cmds{unsub(0, 1, cnt("P033")), unsub(0, 1, cnt("P034"))}));
  settle();
  CAF_CHECK(has(asp("H"), slot_state::active));
  CAF_CHECK(has(cnt("H"), slot_state::active));
  CAF_CHECK_EQUAL(used(0), 36u);
}

CAF_TEST(a holding and a pick share a slot and the pick is dropped) {
  push(holding_set{{"A"}});
  push(pick_list{{"A", "B"}});
  settle();
  push(pick_list{{"B"}});
  disallow((wire_command), from(arb).to(conns[0]));
  CAF_CHECK(take(0).empty());
  auto s = find(cnt("A"));
  CAF_REQUIRE(s);
  CAF_CHECK_EQUAL(s->state, slot_state::active);
  CAF_CHECK_EQUAL(s->level, holding_priority);
  CAF_CHECK_EQUAL(s->owners,
                  (std::vector<owner_ref>{{owner_kind::holding, "", 1}}));
}

CAF_TEST(a sell to zero while the holding slot is pending) {
  push(holding_set{{"A"}});
  take(0);
  push(position_update{"A", 0});
  CAF_CHECK(take(0).empty()); // one command in flight per key
  CAF_CHECK(has(asp("A"), slot_state::pending));
  ack(0, asp("A"), "OPSP0000");
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, asp("A"))}));
  ack(0, cnt("A"), "OPSP0008"); // failed anyway: nothing to undo
  CAF_CHECK(take(0).empty());
  CAF_CHECK(!find(cnt("A")));
  ack(0, asp("A"), "OPSP0001");
  CAF_CHECK(!find(asp("A")));
  CAF_CHECK_EQUAL(used(0), 1u);
  auto ev = take_events<slot_evicted>();
  CAF_REQUIRE_EQUAL(ev.size(), 2u);
  CAF_CHECK_EQUAL(ev[0].reason, evict_reason::released);
}

CAF_TEST(forty scans spread over time fill the session and one more waits) {
  // One TR per holding so "the 41st" is one registration, as in the seed.
  push(scan_candidates{candidates({"C00"}, now())});
  for (int i = 1; i < 40; ++i) {
    advance(std::chrono::seconds{1});
    push(scan_candidates{candidates(symbols(1, i, "C"), now())});
  }
  settle();
  CAF_CHECK_EQUAL(used(0), 41u);
  events->clear();
  push(scan_candidates{candidates({"X"}, now(), 100.0)});
  CAF_CHECK(take(0).empty());
  CAF_CHECK(has(cnt("X"), slot_state::requested, no_session));
  CAF_CHECK(take_events<slot_granted>().empty());
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

struct seed_plan : arbiter_fixture {
  static slot_arbiter_config one_tr_holdings() {
    auto cfg = default_config(1);
    cfg.slots.holding_trs = {"H0STCNT0"};
    return cfg;
  }
  seed_plan()
      : arbiter_fixture(one_tr_holdings()) {
    up(0);
    settle();
    for (int i = 0; i < 40; ++i) {
      push(scan_candidates{candidates(symbols(1, i, "C"), now())});
      advance(std::chrono::seconds{1});
    }
    settle();
    events->clear();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(arbiter_seed_plan, seed_plan)

CAF_TEST(a 41st scanner request fails and a 41st holding evicts the oldest) {
  CAF_CHECK_EQUAL(used(0), 41u);
  push(scan_candidates{candidates({"X"}, now(), 99.0)});
  CAF_CHECK(take(0).empty());
  CAF_CHECK(has(cnt("X"), slot_state::requested, no_session));
  push(position_update{"H", 10});
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, cnt("C000"))}));
  auto ev = take_events<slot_evicted>();
  CAF_REQUIRE_EQUAL(ev.size(), 1u);
  CAF_CHECK_EQUAL(ev[0],
                  (slot_evicted{0, cnt("C000"), evict_reason::preempted}));
  ack(0, cnt("C000"), "OPSP0001");
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("H"))}));
  ack(0, cnt("H"), "OPSP0000");
  CAF_CHECK(has(cnt("H"), slot_state::active, 0));
  CAF_CHECK_EQUAL(used(0), 41u);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(arbiter_two_sessions, two_up)

CAF_TEST(holdings migrate off a down session and come back) {
  auto hs = symbols(5, 0, "H"); // 10 keys
  push(holding_set{hs});
  push(scan_candidates{candidates(symbols(70, 0, "C"), now())});
  settle();
  auto before = snapshot();
  check_wire_invariants(before);
  std::map<slot_key, session_id> home;
  for (auto& s : before.slots)
    if (!s.owners.empty() && s.owners[0].kind == owner_kind::holding)
      home[s.key] = s.session;
  CAF_REQUIRE_EQUAL(home.size(), 10u);
  CAF_CHECK_EQUAL(before.sessions[0].used, 41u);
  CAF_CHECK_EQUAL(before.sessions[1].used, 41u);
  // Session 0 drops: its holdings move to session 1, which evicts scanner
  // slots for them (unsubscribes first, subscribes after the answers).
  size_t on0 = 0;
  for (auto& kv : home)
    on0 += kv.second == 0 ? 1 : 0;
  CAF_REQUIRE_GREATER(on0, 0u);
  down(0);
  auto evict = take(1);
  CAF_CHECK_EQUAL(evict.size(), on0);
  for (auto& c : evict)
    CAF_CHECK_EQUAL(c.op, wire_op::unsubscribe);
  settle();
  auto during = snapshot();
  check_wire_invariants(during);
  for (auto& kv : home) {
    auto x = find(kv.first);
    CAF_REQUIRE(x);
    CAF_CHECK_EQUAL(x->session, 1u);
    CAF_CHECK_EQUAL(x->state, slot_state::active);
  }
  // Session 0 returns: the holdings go home (unsubscribe on 1 first, so a
  // key is never on two sessions) and stay there.
  up(0);
  settle();
  auto after = snapshot();
  check_wire_invariants(after);
  for (auto& kv : home) {
    auto x = find(kv.first);
    CAF_REQUIRE(x);
    CAF_CHECK_EQUAL(x->session, kv.second);
    CAF_CHECK_EQUAL(x->state, slot_state::active);
  }
  CAF_CHECK_EQUAL(after.sessions[0].used, 41u);
  CAF_CHECK_EQUAL(after.sessions[1].used, 41u);
  // No flapping: time passes, nothing moves.
  for (int i = 0; i < 5; ++i) {
    advance(std::chrono::seconds{10});
  }
  CAF_CHECK(take(0).empty());
  CAF_CHECK(take(1).empty());
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

struct clocked : arbiter_fixture {
  clocked() {
    up(0);
    settle();
    push(holding_set{{"A"}});
    settle();
    events->clear();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(arbiter_clocked, clocked)

CAF_TEST(silence is stale only during market hours and resubscribes once) {
  using namespace std::chrono_literals;
  auto keys_of = [](const std::vector<slot_stale>& xs) {
    std::vector<slot_key> out;
    for (auto& x : xs)
      out.push_back(x.key);
    return out;
  };
  // 08:00 KST: silent for an hour before the open is normal.
  advance(59min);
  advance(59s); // 08:59:59
  CAF_CHECK(take_events<slot_stale>().empty());
  CAF_CHECK(take(0).empty());
  // The hub reports data for the trade TR only.
  push(data_seen_batch{0, {{cnt("A"), now()}}});
  advance(31s); // 09:00:30, market open
  auto stale = take_events<slot_stale>();
  CAF_CHECK_EQUAL(keys_of(stale), (std::vector<slot_key>{asp("A")}));
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, asp("A"))}));
  ack(0, asp("A"), "OPSP0001");
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, asp("A"))}));
  ack(0, asp("A"), "OPSP0000");
  CAF_CHECK(has(asp("A"), slot_state::active));
  // Still silent ten minutes later: the order book was re-subscribed once
  // and is not again; the trade TR, silent since 08:59:59, now is.
  advance(10min); // 09:10:30
  CAF_CHECK_EQUAL(keys_of(take_events<slot_stale>()),
                  (std::vector<slot_key>{cnt("A")}));
  settle();
  events->clear();
  // Data for both just before the close, then silence after it: normal.
  advance(6h + 18min); // 15:28:30
  push(data_seen_batch{0, {{cnt("A"), now()}, {asp("A"), now()}}});
  advance(2min); // 15:30:30, closed, silent for 2 min
  advance(2h);
  CAF_CHECK(take_events<slot_stale>().empty());
  CAF_CHECK(take(0).empty());
}

CAF_TEST(retries back off on the actor clock) {
  using namespace std::chrono_literals;
  push(pick_list{{"P"}});
  ack(0, cnt("P"), "OPSP0009");
  take(0);
  auto rej = take_events<slot_rejected>();
  CAF_REQUIRE_EQUAL(rej.size(), 1u);
  CAF_CHECK(!rej[0].permanent);
  // The first retry is due 1 s later, the second 2 s after the next
  // failure; the periodic tick (1 s) sends them.
  advance(1s);
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("P"))}));
  ack(0, cnt("P"), "OPSP8999");
  advance(1s);
  CAF_CHECK(take(0).empty());
  advance(1s);
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("P"))}));
  ack(0, cnt("P"), "OPSP0000");
  CAF_CHECK(has(cnt("P"), slot_state::active));
}

CAF_TEST(a refused holding is reported and retried later) {
  using namespace std::chrono_literals;
  log_capture log;
  push(holding_set{{"A", "B"}}); // A is held already
  take(0);
  advance(1s);
  events->clear();
  ack(0, cnt("B"), "OPSP8992");
  // Reported as an event; the slot log writes the line (as an error for a
  // holding: tests/actors/slot_feed_test.cpp), the arbiter writes none.
  CAF_CHECK_EQUAL(take_events<slot_rejected>(),
                  (std::vector<slot_rejected>{
                      slot_rejected{0, cnt("B"), "OPSP8992", true}}));
  CAF_CHECK_EQUAL(log.text.str(), "");
  // The snapshot shows it rejected since the refusal (for /healthz).
  auto x = find(cnt("B"));
  CAF_REQUIRE(x.has_value());
  CAF_CHECK_EQUAL(x->state, slot_state::rejected);
  CAF_CHECK_EQUAL(x->since, now());
  // The default reject_retry is 5 min; the periodic tick sends it then.
  advance(4min + 59s);
  CAF_CHECK(take(0).empty());
  advance(1s);
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("B"))}));
  ack(0, cnt("B"), "OPSP0000");
  CAF_CHECK(has(cnt("B"), slot_state::active));
}

CAF_TEST(an answer timeout from the connection re - sends the command) {
  push(pick_list{{"P"}});
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("P"))}));
  push(answer_timeout{0, 1, wire_op::subscribe, cnt("P")});
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("P"))}));
  CAF_CHECK(has(cnt("P"), slot_state::pending));
  ack(0, cnt("P"), "OPSP0002");
  CAF_CHECK(has(cnt("P"), slot_state::active));
  // A stall swallowed the unsubscribe answer: sent again, still counted.
  auto used_before = used(0);
  push(pick_list{{}});
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, cnt("P"))}));
  push(answer_timeout{0, 1, wire_op::unsubscribe, cnt("P")});
  CAF_CHECK_EQUAL(take(0), (cmds{unsub(0, 1, cnt("P"))}));
  CAF_CHECK(has(cnt("P"), slot_state::releasing));
  CAF_CHECK_EQUAL(used(0), used_before);
  ack(0, cnt("P"), "OPSP0003");
  CAF_CHECK(!find(cnt("P")));
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

struct driven : arbiter_fixture {
  static slot_arbiter_config no_timer() {
    auto cfg = default_config(1);
    cfg.tick_interval = mono_time{0};
    return cfg;
  }
  driven()
      : arbiter_fixture(no_timer()) {
    up(0);
    settle();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(arbiter_driven, driven)

CAF_TEST(without a timer retries wait for a tick from the driver) {
  using namespace std::chrono_literals;
  push(pick_list{{"P"}});
  ack(0, cnt("P"), "OPSP0007");
  take(0);
  advance(10s);
  CAF_CHECK(take(0).empty()); // no timer fired
  self->send(arb, caf::tick_atom_v);
  expect((caf::tick_atom), from(self).to(arb));
  drain();
  CAF_CHECK_EQUAL(take(0), (cmds{sub(0, 1, cnt("P"))}));
  // The driver's tick did not start a periodic timer either.
  ack(0, cnt("P"), "OPSP0007");
  advance(1min);
  CAF_CHECK(take(0).empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
