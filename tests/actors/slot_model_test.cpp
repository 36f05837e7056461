// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE actors.slot_model
#include <caf/test/unit_test.hpp>

#include <limits>

#include "messages/type_ids.hpp"
#include "tests/actors/slot_model_fixture.hpp"

using namespace kisrt;
using namespace kisrt::test;

namespace {

using cmds = std::vector<wire_command>;

struct one_session : model_fixture {
  one_session()
      : model_fixture(sessions_with_notice(1)) {
    up(0);
    settle(); // the notice
    clear();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(slot_model_tests, one_session)

// -- keys, classes and capacity -----------------------------------------------

CAF_TEST(the notice is subscribed first and counts against the cap) {
  model_fixture f{sessions_with_notice(1)};
  f.holdings({"005930"});
  CAF_CHECK(f.take_commands().empty()); // session not up yet
  f.up(0);
  CAF_CHECK_EQUAL(f.take_commands(),
                  (cmds{sub(0, 1, notice_of(0)), sub(0, 1, asp("005930")),
                        sub(0, 1, cnt("005930"))}));
  CAF_CHECK_EQUAL(f.m.used(0), 3u);
}

CAF_TEST(each class subscribes its configured TRs per symbol) {
  holdings({"A"});
  picks({"B"});
  scan({"C"});
  auto all = settle();
  CAF_CHECK_EQUAL(all, (cmds{sub(0, 1, asp("A")), sub(0, 1, cnt("A")),
                             sub(0, 1, cnt("B")), sub(0, 1, cnt("C"))}));
  auto cfg = slot_config::with_sessions(1);
  cfg.pick_trs = {"H0STCNT0", "H0STPGM0"};
  model_fixture f{cfg};
  f.up(0);
  f.picks({"B"});
  CAF_CHECK_EQUAL(f.take_commands(),
                  (cmds{sub(0, 1, cnt("B")), sub(0, 1, {"H0STPGM0", "B"})}));
}

CAF_TEST(overseas holdings and picks take the overseas TRs) {
  // An overseas key (D or R + exchange + symbol) is never registered under
  // H0STCNT0/H0STASP0: KIS would refuse it (OPSP8992) and the slot would
  // be spent on nothing.
  holdings({"005930", "DNASAAPL"});
  picks({"RBAQAAPL", "000660"});
  auto all = settle();
  CAF_CHECK_EQUAL(
      all, (cmds{sub(0, 1, asp("005930")), sub(0, 1, cnt("005930")),
                 sub(0, 1, {"HDFSCNT0", "DNASAAPL"}), sub(0, 1, cnt("000660")),
                 sub(0, 1, {"HDFSCNT0", "RBAQAAPL"})}));
  auto cfg = slot_config::with_sessions(1);
  cfg.overseas_pick_trs = {"HDFSCNT0", "HDFSASP0"};
  model_fixture f{cfg};
  f.up(0);
  f.picks({"RHKS00003"});
  CAF_CHECK_EQUAL(f.settle(), (cmds{sub(0, 1, {"HDFSASP0", "RHKS00003"}),
                                    sub(0, 1, {"HDFSCNT0", "RHKS00003"})}));
  // Withdrawn from the same TRs.
  f.picks({});
  auto gone = f.settle();
  CAF_CHECK_EQUAL(gone.size(), 2u);
  for (auto& c : gone)
    CAF_CHECK_EQUAL(c.key.tr_key, "RHKS00003");
}

CAF_TEST(price and order book of one symbol are separate slots) {
  holdings({"A"});
  settle();
  CAF_CHECK(has(cnt("A"), slot_state::active));
  CAF_CHECK(has(asp("A"), slot_state::active));
  CAF_CHECK_EQUAL(m.used(0), 3u);
}

CAF_TEST(pending counts against the cap) {
  // 45 candidates while nothing is acked: 40 subscribes (41 minus the
  // notice) and not one more.
  scan(symbols(45));
  auto sent = take_commands();
  CAF_CHECK_EQUAL(sent.size(), 40u);
  CAF_CHECK_EQUAL(m.used(0), 41u);
  CAF_CHECK_EQUAL(count(slot_state::pending, 0), 40u);
  scan(symbols(5, 100));
  CAF_CHECK(take_commands().empty());
  ack_all(sent);
  CAF_CHECK(take_commands().empty());
  CAF_CHECK_EQUAL(m.used(0), 41u);
}

CAF_TEST(without a notice key the reservation stays free on the wire) {
  model_fixture f{slot_config::with_sessions(1)};
  f.up(0);
  f.scan(symbols(45));
  CAF_CHECK_EQUAL(f.take_commands().size(), 40u);
  CAF_CHECK_EQUAL(f.m.used(0), 40u);
  auto cfg = slot_config::with_sessions(1);
  cfg.sessions[0].reserve_notice = false;
  model_fixture g{cfg};
  g.up(0);
  g.scan(symbols(45));
  CAF_CHECK_EQUAL(g.take_commands().size(), 41u);
}

// -- owners -------------------------------------------------------------------

CAF_TEST(a holding and a pick share a slot; dropping the pick keeps it) {
  holdings({"A"});
  picks({"A"});
  auto sent = settle();
  CAF_CHECK_EQUAL(sent, (cmds{sub(0, 1, asp("A")), sub(0, 1, cnt("A"))}));
  auto s = find(cnt("A"));
  CAF_REQUIRE(s);
  CAF_CHECK_EQUAL(s->level, holding_priority);
  CAF_CHECK_EQUAL(s->owners.size(), 2u);
  picks({});
  CAF_CHECK(take_commands().empty());
  s = find(cnt("A"));
  CAF_REQUIRE(s);
  CAF_CHECK_EQUAL(s->state, slot_state::active);
  CAF_CHECK_EQUAL(s->level, holding_priority);
  CAF_CHECK_EQUAL(s->owners,
                  (std::vector<owner_ref>{{owner_kind::holding, "", 1}}));
}

CAF_TEST(a slot is freed only when its last owner leaves) {
  holdings({"A"});
  m.request(slot_request{"node-1", cnt("A"), 4}, now, out);
  settle();
  holdings({});
  CAF_CHECK_EQUAL(take_commands(), (cmds{unsub(0, 1, asp("A"))}));
  ack(0, asp("A"), "OPSP0001");
  CAF_CHECK(has(cnt("A"), slot_state::active));
  CAF_CHECK(!find(asp("A")));
  m.release(slot_release{"node-1", {}}, now, out);
  CAF_CHECK_EQUAL(take_commands(), (cmds{unsub(0, 1, cnt("A"))}));
}

CAF_TEST(explicit requests rank by level then arrival) {
  model_fixture f{slot_config::with_sessions(1, 3)}; // 2 data slots
  f.up(0);
  f.m.request(slot_request{"a", cnt("X"), 5}, f.now, f.out);
  f.m.request(slot_request{"b", cnt("Y"), 5}, f.now, f.out);
  f.m.request(slot_request{"c", cnt("Z"), 5}, f.now, f.out);
  f.settle();
  CAF_CHECK(f.has(cnt("X"), slot_state::active));
  CAF_CHECK(f.has(cnt("Y"), slot_state::active));
  CAF_CHECK(f.has(cnt("Z"), slot_state::requested));
  f.m.request(slot_request{"d", cnt("W"), 4}, f.now, f.out);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{unsub(0, 1, cnt("Y"))}));
}

// -- eviction -----------------------------------------------------------------

CAF_TEST(scanner slots go before picks and picks before holdings) {
  model_fixture f{slot_config::with_sessions(1, 4)}; // 3 data slots
  f.up(0);
  f.scan({"C"});
  f.picks({"B"});
  f.m.request(slot_request{"n", cnt("R"), 9}, f.now, f.out);
  f.settle();
  CAF_CHECK(f.has(cnt("R"), slot_state::active));
  f.holdings({"A"}); // two slots needed: R (level 9), then C (scan)
  auto sent = f.take_commands();
  CAF_CHECK_EQUAL(sent, (cmds{unsub(0, 1, cnt("C")), unsub(0, 1, cnt("R"))}));
  f.ack_all(sent);
  auto ev = f.events_of<slot_evicted>();
  CAF_CHECK_EQUAL(ev.size(), 2u);
  for (auto& e : ev)
    CAF_CHECK_EQUAL(e.reason, evict_reason::preempted);
  f.settle();
  CAF_CHECK(f.has(cnt("B"), slot_state::active));
  CAF_CHECK(f.has(cnt("A"), slot_state::active));
  CAF_CHECK(f.has(asp("A"), slot_state::active));
}

CAF_TEST(among picks the lowest rank goes first) {
  model_fixture f{slot_config::with_sessions(1, 4)};
  f.up(0);
  f.picks({"P0", "P1", "P2"});
  f.settle();
  f.holdings({"H"}); // needs two: P2 then P1
  auto first = f.take_commands();
  CAF_CHECK_EQUAL(first,
                  (cmds{unsub(0, 1, cnt("P1")), unsub(0, 1, cnt("P2"))}));
  f.ack_all(first);
  f.settle();
  f.clear();
  f.picks({"P2", "P0", "P1"}); // P2 now ranks first and takes P0's slot
  auto second = f.take_commands();
  CAF_CHECK_EQUAL(second, (cmds{unsub(0, 1, cnt("P0"))}));
  f.ack_all(second);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("P2"))}));
}

CAF_TEST(among scanner slots the oldest grant goes first) {
  model_fixture f{slot_config::with_sessions(1, 4)};
  f.up(0);
  f.scan({"Z"});
  f.advance(1s);
  f.scan({"Y"});
  f.advance(1s);
  f.scan({"X"});
  f.settle();
  f.picks({"P"});
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{unsub(0, 1, cnt("Z"))}));
}

CAF_TEST(a scanner slot is kept for the minimum hold time) {
  model_fixture f{slot_config::with_sessions(1, 2)}; // one data slot
  f.up(0);
  f.scan({"A"});
  f.settle();
  // A lapses (candidate lifetime 5 min from its last sighting) and B waits.
  f.advance(5min);
  f.scan({"B"});
  CAF_CHECK(f.take_commands().empty()); // lapsed candidates go at the tick
  f.m.tick(f.now, false, f.out);
  auto sent = f.take_commands();
  CAF_CHECK_EQUAL(sent, (cmds{unsub(0, 1, cnt("A"))}));
  // A fresh grant within its hold is not displaced by another candidate.
  f.ack_all(sent);
  f.settle();
  CAF_CHECK(f.has(cnt("B"), slot_state::active));
  f.advance(30s);
  f.scan({"C"}, 99.0);
  CAF_CHECK(f.take_commands().empty());
  // B's candidate lapses while B is still held: kept until the hold ends.
  auto cfg = slot_config::with_sessions(1, 2);
  cfg.candidate_ttl = 10s;
  model_fixture g{cfg};
  g.up(0);
  g.scan({"B"});
  g.settle();
  g.advance(30s);
  g.m.tick(g.now, false, g.out);
  CAF_CHECK(g.has(cnt("B"), slot_state::active));
  g.advance(30s);
  g.m.tick(g.now, false, g.out);
  CAF_CHECK_EQUAL(g.take_commands(), (cmds{unsub(0, 1, cnt("B"))}));
}

CAF_TEST(a higher priority evicts a scanner slot within its hold) {
  model_fixture f{slot_config::with_sessions(1, 2)};
  f.up(0);
  f.scan({"A"});
  f.settle();
  f.advance(1s);
  f.picks({"P"});
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{unsub(0, 1, cnt("A"))}));
}

CAF_TEST(a scanner update that cannot change the plan is not planned) {
  model_fixture f{slot_config::with_sessions(1, 5)}; // four data slots
  f.up(0);
  f.holdings({"H"}); // two keys
  f.scan({"A", "B"}, 5.0);
  f.settle();
  CAF_REQUIRE(f.has(cnt("A"), slot_state::active));
  CAF_REQUIRE(f.has(cnt("B"), slot_state::active));
  f.clear();
  // Every place is taken by keys a waiting candidate cannot displace.
  f.scan({"C"}, 9.0);
  f.scan({"D"}, 3.0);
  f.scan({"A"}, 1.0); // a placed candidate's new score changes nothing
  CAF_CHECK(f.take_commands().empty());
  CAF_CHECK(f.take_events().empty());
  CAF_CHECK_EQUAL(f.m.plans_skipped(), 3u);
  CAF_CHECK(f.has(cnt("C"), slot_state::requested));
  CAF_CHECK(f.has(cnt("D"), slot_state::requested));
  // Selling H frees two places: the waiting candidates, parked outside
  // the plan's walk, take them.
  f.m.update_position(position_update{"H", 0}, f.now, f.out);
  auto sent = f.settle();
  CAF_CHECK(std::count(sent.begin(), sent.end(), sub(0, 1, cnt("C"))) == 1);
  CAF_CHECK(std::count(sent.begin(), sent.end(), sub(0, 1, cnt("D"))) == 1);
  CAF_CHECK(f.has(cnt("C"), slot_state::active));
  CAF_CHECK(f.has(cnt("D"), slot_state::active));
  CAF_CHECK_EQUAL(f.m.plans_skipped(), 3u);
}

CAF_TEST(a timer that fell due makes the next scanner update plan) {
  model_fixture f{slot_config::with_sessions(1, 3)}; // two data slots
  f.up(0);
  f.scan({"A"});
  f.settle();
  f.advance(1s);
  f.scan({"B"});
  f.settle();
  f.m.tick(f.now, true, f.out); // market open; both slots within their hold
  f.settle();
  f.clear();
  f.scan({"C"}, 9.0);
  CAF_CHECK(f.take_commands().empty());
  CAF_CHECK_EQUAL(f.m.plans_skipped(), 1u);
  // No tick since: the hold ended and A went silent (scan_silence 2 min)
  // in between, so the update is planned and C recycles the oldest grant.
  f.advance(4min);
  f.scan({"C"}, 9.0);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{unsub(0, 1, cnt("A"))}));
  CAF_CHECK_EQUAL(f.m.plans_skipped(), 1u);
}

CAF_TEST(a candidate with free room is planned at once) {
  model_fixture f{slot_config::with_sessions(1, 5)};
  f.up(0);
  f.scan({"A"});
  f.settle();
  f.scan({"B"});
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("B"))}));
  CAF_CHECK_EQUAL(f.m.plans_skipped(), 0u);
}

CAF_TEST(a candidate without a score ranks last) {
  model_fixture f{slot_config::with_sessions(1, 2)}; // one data slot
  f.up(0);
  auto nan = std::numeric_limits<double>::quiet_NaN();
  f.m.add_candidates({scan_candidate{"N", nan, f.now},
                      scan_candidate{"A", -5.0, f.now},
                      scan_candidate{"M", nan, f.now}},
                     f.now, f.out);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("A"))}));
}

CAF_TEST(holdings are never evicted and a shortfall is reported) {
  model_fixture f{slot_config::with_sessions(1, 6)}; // 5 data slots
  f.up(0);
  f.holdings({"A", "B"});
  f.settle();
  f.clear();
  f.holdings({"A", "B", "C"}); // 6 keys for 5 slots
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, asp("C"))}));
  auto starved = f.events_of<slots_starved>();
  CAF_REQUIRE_EQUAL(starved.size(), 1u);
  CAF_CHECK_EQUAL(starved[0].keys, (std::vector<slot_key>{cnt("C")}));
  CAF_CHECK(f.has(asp("C"), slot_state::pending));
  CAF_CHECK(f.has(cnt("A"), slot_state::active));
  // A sale makes room; the starved key is placed and the report clears.
  f.clear();
  f.m.update_position(position_update{"A", 0}, f.now, f.out);
  starved = f.events_of<slots_starved>();
  CAF_REQUIRE_EQUAL(starved.size(), 1u);
  CAF_CHECK(starved[0].keys.empty());
}

// -- acknowledgements ---------------------------------------------------------

CAF_TEST(OPSP0000 and OPSP0002 both make a slot active) {
  holdings({"A"});
  take_commands();
  ack(0, asp("A"), "OPSP0000");
  ack(0, cnt("A"), "OPSP0002");
  CAF_CHECK(has(asp("A"), slot_state::active));
  CAF_CHECK(has(cnt("A"), slot_state::active));
  CAF_CHECK_EQUAL(events_of<slot_active>().size(), 2u);
}

CAF_TEST(OPSP0008 rejects the slot and learns the cap) {
  scan(symbols(40));
  auto sent = take_commands();
  // The server holds only 38: the last two subscribes fail.
  for (size_t i = 0; i < sent.size(); ++i)
    ack(0, sent[i].key, i < 37 ? "OPSP0000" : "OPSP0008");
  auto snap = m.snapshot();
  CAF_CHECK_EQUAL(snap.sessions[0].learned_cap, 38u);
  CAF_CHECK_EQUAL(snap.sessions[0].cap, 41u);
  CAF_CHECK_EQUAL(m.used(0), 38u);
  CAF_CHECK(has(sent[37].key, slot_state::rejected));
  auto rej = events_of<slot_rejected>();
  CAF_CHECK_EQUAL(rej.size(), 3u);
  CAF_CHECK_EQUAL(rej.back().msg_cd, "OPSP0008");
  CAF_CHECK(!rej.back().permanent);
  CAF_CHECK(take_commands().empty()); // no retry loop against the cap
  // A pick re-plans under the learned cap: the oldest scanner slot goes.
  clear();
  picks({"P"});
  auto cmd = take_commands();
  CAF_REQUIRE_EQUAL(cmd.size(), 1u);
  CAF_CHECK_EQUAL(cmd[0].op, wire_op::unsubscribe);
  ack(0, cmd[0].key, "OPSP0001");
  CAF_CHECK_EQUAL(take_commands(), (cmds{sub(0, 1, cnt("P"))}));
}

CAF_TEST(OPSP0001 and OPSP0003 free a releasing slot) {
  holdings({"A"});
  settle();
  holdings({});
  take_commands();
  CAF_CHECK(has(cnt("A"), slot_state::releasing));
  ack(0, cnt("A"), "OPSP0001");
  ack(0, asp("A"), "OPSP0003");
  CAF_CHECK(!find(cnt("A")));
  CAF_CHECK(!find(asp("A")));
  CAF_CHECK_EQUAL(m.used(0), 1u);
}

CAF_TEST(retryable codes retry with a growing backoff on the actor clock) {
  for (auto code : {"OPSP0007", "OPSP0009", "OPSP8999"}) {
    model_fixture f{slot_config::with_sessions(1)};
    f.up(0);
    f.picks({"A"});
    f.take_commands();
    f.ack(0, cnt("A"), code);
    CAF_CHECK(f.has(cnt("A"), slot_state::rejected));
    CAF_CHECK_EQUAL(f.m.used(0), 0u);
    f.advance(999ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK(f.take_commands().empty());
    f.advance(1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("A"))}));
    f.ack(0, cnt("A"), code); // second failure: 2 s
    f.advance(1999ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK(f.take_commands().empty());
    f.advance(1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("A"))}));
    f.ack(0, cnt("A"), "OPSP0000");
    CAF_CHECK(f.has(cnt("A"), slot_state::active));
  }
}

CAF_TEST(permanent codes reject for good and are reported) {
  // Requests (and scanner keys) stay refused until the demand goes.
  for (auto code : {"OPSP8991", "OPSP8992", "OPSP9999", "XXXX0000"}) {
    model_fixture f{slot_config::with_sessions(1)};
    f.up(0);
    f.m.request(slot_request{"node", cnt("A"), 3}, f.now, f.out);
    f.take_commands();
    f.ack(0, cnt("A"), code);
    auto rej = f.events_of<slot_rejected>();
    CAF_REQUIRE_EQUAL(rej.size(), 1u);
    CAF_CHECK_EQUAL(rej[0], (slot_rejected{0, cnt("A"), code, true}));
    f.advance(1h);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK(f.take_commands().empty());
    CAF_CHECK(f.has(cnt("A"), slot_state::rejected));
    CAF_CHECK_EQUAL(f.m.used(0), 0u);
    // Withdrawing the demand forgets the key; asking again tries again.
    f.m.release(slot_release{"node", cnt("A")}, f.now, f.out);
    CAF_CHECK(!f.find(cnt("A")));
    f.m.request(slot_request{"node", cnt("A"), 3}, f.now, f.out);
    CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, cnt("A"))}));
  }
}

CAF_TEST(a refused holding or pick is subscribed again after reject_retry) {
  auto cfg = slot_config::with_sessions(1);
  cfg.reject_retry = 5min;
  cfg.holding_trs = {"H0STCNT0"};
  for (bool holding : {true, false}) {
    model_fixture f{cfg};
    f.up(0);
    if (holding)
      f.holdings({"A"});
    else
      f.picks({"A"});
    f.take_commands();
    f.advance(1s);
    f.ack(0, cnt("A"), "OPSP8992");
    CAF_CHECK_EQUAL(f.events_of<slot_rejected>(),
                    (std::vector<slot_rejected>{
                        slot_rejected{0, cnt("A"), "OPSP8992", true}}));
    // Visible as rejected since the refusal.
    auto x = f.find(cnt("A"));
    CAF_REQUIRE(x.has_value());
    CAF_CHECK_EQUAL(x->state, slot_state::rejected);
    CAF_CHECK_EQUAL(x->since, 1s);
    // Reconnects do not lift the refusal early.
    f.down(0);
    f.up(0);
    CAF_CHECK(f.take_commands().empty());
    f.advance(5min - 1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK(f.take_commands().empty());
    CAF_CHECK(f.has(cnt("A"), slot_state::rejected));
    f.advance(1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 2, cnt("A"))}));
    // Refused again: the next try is another reject_retry later.
    f.ack(0, cnt("A"), "OPSP8992");
    f.advance(5min - 1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK(f.take_commands().empty());
    f.advance(1ms);
    f.m.tick(f.now, false, f.out);
    CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 2, cnt("A"))}));
    f.ack(0, cnt("A"), "OPSP0000");
    CAF_CHECK(f.has(cnt("A"), slot_state::active));
  }
}

CAF_TEST(a refused execution notice is subscribed again after reject_retry) {
  // Without the notice fills are lost: a refusal (a passing server error,
  // or the soak's reject fault) must not keep it off for good.
  auto cfg = sessions_with_notice(1, 8);
  cfg.reject_retry = 5min;
  model_fixture f{cfg};
  f.up(0);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, notice_of(0))}));
  f.advance(1s);
  f.ack(0, notice_of(0), "OPSP8992");
  CAF_CHECK(f.has(notice_of(0), slot_state::rejected));
  f.advance(5min - 1ms);
  f.m.tick(f.now, false, f.out);
  CAF_CHECK(f.take_commands().empty());
  f.advance(1ms);
  f.m.tick(f.now, false, f.out);
  CAF_CHECK_EQUAL(f.take_commands(), (cmds{sub(0, 1, notice_of(0))}));
  f.ack(0, notice_of(0), "OPSP0000");
  CAF_CHECK(f.has(notice_of(0), slot_state::active));
}

CAF_TEST(the learned cap is probed upward while demand waits) {
  // Configured 8 (notice included), the server holds 5: OPSP0008.
  auto cfg = sessions_with_notice(1, 8);
  cfg.cap_probe = 60s;
  model_fixture f{cfg};
  f.up(0);
  f.settle(); // the notice
  f.picks(symbols(9));
  auto sent = f.take_commands();
  CAF_REQUIRE_EQUAL(sent.size(), 7u);
  for (size_t i = 0; i < sent.size(); ++i)
    f.ack(0, sent[i].key, i < 4 ? "OPSP0000" : "OPSP0008");
  f.settle();
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 5u);
  CAF_CHECK_EQUAL(f.m.used(0), 5u);
  // Ticks every second; one probe after 60 s, none in between.
  auto tick_until = [&](mono_time d) {
    std::vector<wire_command> xs;
    for (auto end = f.now + d; f.now < end;) {
      f.advance(1s);
      f.m.tick(f.now, false, f.out);
      for (auto& c : f.take_commands())
        xs.push_back(c);
    }
    return xs;
  };
  CAF_CHECK(tick_until(59s).empty());
  auto probe = tick_until(1s);
  CAF_REQUIRE_EQUAL(probe.size(), 1u);
  CAF_CHECK_EQUAL(probe[0].op, wire_op::subscribe);
  CAF_CHECK_EQUAL(f.m.used(0), 6u);
  CAF_CHECK_EQUAL(f.m.cap_probes(), 1u);
  // The server still holds 5: OPSP0008 keeps the learned cap.
  f.ack(0, probe[0].key, "OPSP0008");
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 5u);
  CAF_CHECK(f.take_commands().empty());
  CAF_CHECK(tick_until(59s).empty());
  // The server went back up: the next probe succeeds and raises the cap.
  probe = tick_until(1s);
  CAF_REQUIRE_EQUAL(probe.size(), 1u);
  f.ack(0, probe[0].key, "OPSP0000");
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 6u);
  CAF_CHECK_EQUAL(f.m.used(0), 6u);
  CAF_CHECK(tick_until(59s).empty());
  probe = tick_until(1s);
  CAF_REQUIRE_EQUAL(probe.size(), 1u);
  f.ack(0, probe[0].key, "OPSP0000");
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 7u);
  probe = tick_until(60s);
  CAF_REQUIRE_EQUAL(probe.size(), 1u);
  f.ack(0, probe[0].key, "OPSP0000");
  // Up to the configured cap, never beyond.
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 8u);
  CAF_CHECK_EQUAL(f.m.used(0), 8u);
  CAF_CHECK(tick_until(5min).empty());
  CAF_CHECK_EQUAL(f.m.cap_probes(), 4u);
}

CAF_TEST(no probe without waiting demand) {
  auto cfg = sessions_with_notice(1, 8);
  model_fixture f{cfg};
  f.up(0);
  f.settle();
  f.picks(symbols(7));
  auto sent = f.take_commands();
  CAF_REQUIRE_EQUAL(sent.size(), 7u);
  for (size_t i = 0; i < sent.size(); ++i)
    f.ack(0, sent[i].key, i < 4 ? "OPSP0000" : "OPSP0008");
  f.settle();
  CAF_CHECK_EQUAL(f.m.effective_cap(0), 5u);
  // The refused picks are dropped: nothing waits any more.
  f.picks(symbols(4));
  f.settle();
  for (int i = 0; i < 300; ++i) {
    f.advance(1s);
    f.m.tick(f.now, false, f.out);
  }
  CAF_CHECK(f.take_commands().empty());
  CAF_CHECK_EQUAL(f.m.cap_probes(), 0u);
}

CAF_TEST(an unanswered command is sent again and keeps its place) {
  holdings({"A"});
  auto sent = take_commands();
  CAF_REQUIRE_EQUAL(sent.size(), 2u);
  auto used = m.used(0);
  // No answer to the subscribe: the same command again, still pending.
  m.on_answer_timeout(answer_timeout{0, 1, wire_op::subscribe, cnt("A")}, now,
                      out);
  CAF_CHECK_EQUAL(take_commands(), (cmds{sub(0, 1, cnt("A"))}));
  CAF_CHECK(has(cnt("A"), slot_state::pending));
  CAF_CHECK_EQUAL(m.used(0), used);
  // OPSP0002 to the re-send: the first one had registered.
  ack(0, cnt("A"), "OPSP0002");
  CAF_CHECK(has(cnt("A"), slot_state::active));
  ack(0, asp("A"), "OPSP0000");
  // A timeout that matches nothing outstanding, of another op or epoch,
  // is ignored.
  m.on_answer_timeout(answer_timeout{0, 1, wire_op::subscribe, cnt("A")}, now,
                      out);
  m.on_answer_timeout(answer_timeout{0, 1, wire_op::unsubscribe, cnt("A")}, now,
                      out);
  CAF_CHECK(take_commands().empty());
  holdings({});
  take_commands();
  m.on_answer_timeout(answer_timeout{0, 0, wire_op::unsubscribe, cnt("A")}, now,
                      out);
  CAF_CHECK(take_commands().empty());
  // No answer to the unsubscribe: sent again; OPSP0003 frees it.
  m.on_answer_timeout(answer_timeout{0, 1, wire_op::unsubscribe, cnt("A")}, now,
                      out);
  CAF_CHECK_EQUAL(take_commands(),
                  (cmds{wire_command{0, 1, wire_op::unsubscribe, cnt("A")}}));
  CAF_CHECK(has(cnt("A"), slot_state::releasing));
  ack(0, cnt("A"), "OPSP0003");
  CAF_CHECK(!find(cnt("A")));
}

CAF_TEST(an answer that matches nothing outstanding is ignored) {
  holdings({"A"});
  settle();
  clear();
  ack(0, cnt("A"), "OPSP0008"); // duplicate, slot is active
  ack(0, cnt("Q"), "OPSP0000"); // unknown key
  m.on_ack(sub_ack{5, 1, cnt("A"), "OPSP0001"}, now, out); // unknown session
  CAF_CHECK(has(cnt("A"), slot_state::active));
  CAF_CHECK(out.commands.empty() && out.events.empty());
}

// -- sessions and epochs ------------------------------------------------------

CAF_TEST(down keeps the plan and up replays it by priority then grant) {
  scan({"C"});
  advance(1s);
  picks({"B"});
  advance(1s);
  holdings({"A"});
  settle();
  down(0);
  CAF_CHECK_EQUAL(m.used(0), 0u);
  CAF_CHECK_EQUAL(count(slot_state::requested, 0), 5u);
  CAF_CHECK(take_commands().empty());
  clear();
  up(0);
  CAF_CHECK_EQUAL(
      take_commands(),
      (cmds{sub(0, 2, notice_of(0)), sub(0, 2, asp("A")), sub(0, 2, cnt("A")),
            sub(0, 2, cnt("B")), sub(0, 2, cnt("C"))}));
  CAF_CHECK_EQUAL(events_of<session_replayed>(),
                  (std::vector<session_replayed>{{0, 2, 5}}));
}

CAF_TEST(answers from an older epoch are ignored) {
  holdings({"A"});
  auto sent = take_commands(); // pending in epoch 1
  down(0);
  up(0); // epoch 2 replays
  auto replay = take_commands();
  CAF_CHECK_EQUAL(replay.size(), 3u);
  for (auto& c : sent)
    m.on_ack(sub_ack{0, 1, c.key, "OPSP0008"}, now, out);
  CAF_CHECK(has(cnt("A"), slot_state::pending));
  auto snap = m.snapshot(); // the check macro keeps a reference
  CAF_CHECK_EQUAL(snap.sessions[0].learned_cap, 41u);
  ack_all(replay);
  CAF_CHECK(has(cnt("A"), slot_state::active));
  // An up with an old or equal epoch, or a down of an old epoch, changes
  // nothing.
  m.on_up(0, 1, now, out);
  m.on_down(0, 1, now, out);
  CAF_CHECK(has(cnt("A"), slot_state::active));
}

CAF_TEST(the snapshot names sessions and slots) {
  holdings({"A"});
  settle();
  advance(5s);
  picks({"A", "B"});
  auto snap = m.snapshot();
  CAF_REQUIRE_EQUAL(snap.sessions.size(), 1u);
  CAF_CHECK_EQUAL(snap.sessions[0], (session_info{0, true, 1, 41, 41, 4}));
  CAF_REQUIRE_EQUAL(snap.slots.size(), 4u);
  CAF_CHECK_EQUAL(snap.slots[0], (slot_info{0,
                                            asp("A"),
                                            slot_state::active,
                                            1,
                                            {{owner_kind::holding, "", 1}},
                                            0s}));
  CAF_CHECK_EQUAL(snap.slots[1], (slot_info{0,
                                            notice_of(0),
                                            slot_state::active,
                                            0,
                                            {{owner_kind::notice, "", 0}},
                                            0s}));
  CAF_CHECK_EQUAL(snap.slots[2], (slot_info{0,
                                            cnt("A"),
                                            slot_state::active,
                                            1,
                                            {{owner_kind::holding, "", 1},
                                             {owner_kind::pick, "", 2}},
                                            0s}));
  CAF_CHECK_EQUAL(snap.slots[3], (slot_info{0,
                                            cnt("B"),
                                            slot_state::pending,
                                            2,
                                            {{owner_kind::pick, "", 2}},
                                            5s}));
}

CAF_TEST_FIXTURE_SCOPE_END()
