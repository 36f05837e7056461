// SPDX-License-Identifier: Apache-2.0
// Slot outcomes for people: the slot feed's translation and ownership
// (plain class), and the arbiter -> feed -> slot log and listener chain on
// the test coordinator: a refusal with its msg_cd, an eviction and a
// starved holding reach the log and the listener of their owner; the log's
// rate limit keeps a burst to a few lines and one summary.
#define CAF_SUITE actors.slot_feed
#include <caf/test/dsl.hpp>

#include "actors/slot_feed.hpp"
#include "actors/slot_log.hpp"
#include "tests/actors/arbiter_fixture.hpp"

using namespace kisrt;
using namespace kisrt::test;

namespace {

const slot_key refused{"H0STCNT0", "999999"};
const slot_key mine{"H0STCNT0", "000660"};
const slot_key other{"H0STASP0", "005930"};

using outcome_log = std::shared_ptr<std::vector<slot_outcome>>;

slot_outcome_listener_actor::behavior_type
outcome_recorder(slot_outcome_listener_actor::stateful_pointer<recorder_state>,
                 outcome_log log) {
  return {
      [log](const slot_outcome& x) { log->push_back(x); },
  };
}

struct log_line {
  slot_log_level level;
  std::string text;
};

using line_log = std::shared_ptr<std::vector<log_line>>;

slot_log_config capturing(line_log lines) {
  slot_log_config cfg;
  cfg.session_names = {"s1"};
  cfg.enabled = [](slot_log_level x) { return x != slot_log_level::debug; };
  cfg.write = [lines](slot_log_level x, const std::string& text) {
    lines->push_back({x, text});
  };
  return cfg;
}

bool logged(const line_log& lines, slot_log_level level,
            const std::string& part) {
  for (auto& l : *lines)
    if (l.level == level && l.text.find(part) != std::string::npos)
      return true;
  return false;
}

std::vector<slot_outcome> with_state(const outcome_log& log,
                                     slot_outcome_state st) {
  std::vector<slot_outcome> out;
  for (auto& x : *log)
    if (x.state == st)
      out.push_back(x);
  return out;
}

// A session with room for three keys besides its execution notice.
slot_arbiter_config small_session() {
  slot_arbiter_config cfg;
  cfg.slots = sessions_with_notice(1, 4);
  return cfg;
}

struct feed_fixture : arbiter_fixture {
  slot_feed_actor feed;
  slot_log_actor slog;
  line_log lines = std::make_shared<std::vector<log_line>>();
  outcome_log alpha = std::make_shared<std::vector<slot_outcome>>();
  outcome_log everything = std::make_shared<std::vector<slot_outcome>>();
  slot_outcome_listener_actor alpha_l;
  slot_outcome_listener_actor all_l;

  feed_fixture()
      : arbiter_fixture(small_session()) {
    feed = sys.spawn(slot_feed, slot_feed_state::default_max_listeners);
    slog = sys.spawn(slot_log, capturing(lines));
    alpha_l = sys.spawn(outcome_recorder, alpha);
    all_l = sys.spawn(outcome_recorder, everything);
    self->send(feed, caf::subscribe_atom_v, slot_outcome_listener_actor{slog},
               std::string{});
    self->send(feed, caf::subscribe_atom_v, alpha_l, std::string{"node:alpha"});
    self->send(feed, caf::subscribe_atom_v, all_l, std::string{});
    self->send(arb, caf::subscribe_atom_v, slot_observer_actor{feed});
    drain();
  }

  ~feed_fixture() {
    for (auto x :
         {caf::actor_cast<caf::actor>(feed), caf::actor_cast<caf::actor>(slog),
          caf::actor_cast<caf::actor>(alpha_l),
          caf::actor_cast<caf::actor>(all_l)})
      anon_send_exit(x, caf::exit_reason::user_shutdown);
    drain();
  }

  // What the node gate and the facade do: the request to the arbiter, a
  // copy to the feed.
  void request(const std::string& owner, const slot_key& k, priority level) {
    self->send(feed, slot_request{owner, k, level});
    drain();
    push(slot_request{owner, k, level});
  }

  void release(const std::string& owner, const slot_key& k) {
    self->send(feed, slot_release{owner, k});
    drain();
    push(slot_release{owner, k});
  }
};

} // namespace

CAF_TEST(the core gives each outcome its priority and reason) {
  slot_feed_core core;
  std::vector<slot_outcome> out;
  core.on(slot_granted{0, mine, 3}, out);
  core.on(slot_rejected{0, mine, "OPSP8992", true}, out);
  core.on(slot_evicted{0, mine, evict_reason::preempted}, out);
  core.on(slot_stale{0, mine, std::chrono::seconds{120}}, out);
  core.on(session_replayed{0, 4, 12}, out);
  CAF_REQUIRE_EQUAL(out.size(), 5u);
  CAF_CHECK_EQUAL(
      out[0], (slot_outcome{0, mine, 3, slot_outcome_state::granted, "", ""}));
  CAF_CHECK_EQUAL(out[1],
                  (slot_outcome{0, mine, 3, slot_outcome_state::rejected,
                                "OPSP8992", "permanent"}));
  CAF_CHECK_EQUAL(out[2], (slot_outcome{0, mine, 3, slot_outcome_state::evicted,
                                        "", "preempted"}));
  CAF_CHECK_EQUAL(out[3].reason, "silent for 120 s");
  CAF_CHECK_EQUAL(out[4], (slot_outcome{0,
                                        {},
                                        lowest_priority,
                                        slot_outcome_state::replayed,
                                        "",
                                        "12 subscribes replayed (epoch 4)"}));
}

CAF_TEST(a starved key is reported once while it stays starved) {
  slot_feed_core core;
  std::vector<slot_outcome> out;
  core.on(slots_starved{{mine}}, out);
  core.on(slots_starved{{mine, other}}, out);
  core.on(slots_starved{{}}, out);
  core.on(slots_starved{{mine}}, out);
  CAF_REQUIRE_EQUAL(out.size(), 3u);
  CAF_CHECK_EQUAL(out[0].key, mine);
  CAF_CHECK_EQUAL(out[0].session, no_session);
  CAF_CHECK_EQUAL(out[0].level, holding_priority);
  CAF_CHECK_EQUAL(out[1].key, other);
  CAF_CHECK_EQUAL(out[2].key, mine);
}

CAF_TEST(an owner follows its own keys until their eviction is out) {
  slot_feed_core core;
  core.request(slot_request{"node:alpha", mine, 3});
  auto ev = slot_outcome{0, mine, 3, slot_outcome_state::active, "", ""};
  auto theirs = slot_outcome{0, other, 3, slot_outcome_state::active, "", ""};
  CAF_CHECK(core.wants("node:alpha", ev));
  CAF_CHECK(!core.wants("node:alpha", theirs));
  CAF_CHECK(!core.wants("node:beta", ev));
  CAF_CHECK(core.wants("", theirs));
  // No key, no owner: a replay is for those who follow everything.
  CAF_CHECK(!core.wants(
      "node:alpha",
      slot_outcome{0, {}, 255, slot_outcome_state::replayed, "", ""}));
  core.release(slot_release{"node:alpha", {}});
  auto gone =
      slot_outcome{0, mine, 3, slot_outcome_state::evicted, "", "released"};
  CAF_CHECK(core.wants("node:alpha", gone));
  core.settle(gone);
  CAF_CHECK(!core.wants("node:alpha", ev));
}

CAF_TEST_FIXTURE_SCOPE(slot_feed_tests, feed_fixture)

CAF_TEST(a refused key reaches the log and its owner with the msg_cd) {
  request("node:alpha", refused, 3);
  up(0);
  ack(0, notice_of(0), "OPSP0000");
  ack(0, refused, "OPSP8992");
  auto rejected = with_state(alpha, slot_outcome_state::rejected);
  CAF_REQUIRE_EQUAL(rejected.size(), 1u);
  CAF_CHECK_EQUAL(rejected[0],
                  (slot_outcome{0, refused, 3, slot_outcome_state::rejected,
                                "OPSP8992", "permanent"}));
  CAF_CHECK(logged(lines, slot_log_level::warn,
                   "slot rejected: s1 H0STCNT0 999999 priority 3 OPSP8992 "
                   "(permanent)"));
  // The notice's outcomes are not alpha's.
  for (auto& x : *alpha)
    CAF_CHECK_EQUAL(x.key, refused);
  CAF_CHECK(with_state(everything, slot_outcome_state::replayed).size() == 1);
}

CAF_TEST(a refused holding is logged as an error) {
  push(holding_set{{"000001"}});
  up(0);
  ack(0, notice_of(0), "OPSP0000");
  ack(0, slot_key{"H0STCNT0", "000001"}, "OPSP8992");
  CAF_CHECK(logged(lines, slot_log_level::error,
                   "slot rejected: s1 H0STCNT0 000001 priority 1 OPSP8992 "
                   "(permanent)"));
  // Nobody asked for it by name: only the listeners of everything hear it.
  CAF_CHECK(alpha->empty());
  CAF_CHECK_EQUAL(with_state(everything, slot_outcome_state::rejected).size(),
                  1u);
}

CAF_TEST(an eviction and a starved holding reach the log and listeners) {
  request("node:alpha", mine, 3);
  up(0);
  settle();
  CAF_CHECK_EQUAL(with_state(alpha, slot_outcome_state::active).size(), 1u);
  // Two holdings (price and order book each) for three places: alpha's key
  // is preempted, one holding key starves.
  push(holding_set{{"000001", "000002"}});
  auto evicted = with_state(alpha, slot_outcome_state::evicted);
  CAF_REQUIRE_EQUAL(evicted.size(), 1u);
  CAF_CHECK_EQUAL(
      evicted[0],
      (slot_outcome{0, mine, 3, slot_outcome_state::evicted, "", "preempted"}));
  CAF_CHECK(logged(lines, slot_log_level::info,
                   "slot evicted: s1 H0STCNT0 000660 priority 3 (preempted)"));
  auto starved = with_state(everything, slot_outcome_state::starved);
  CAF_REQUIRE_EQUAL(starved.size(), 1u);
  CAF_CHECK_EQUAL(starved[0].session, no_session);
  CAF_CHECK_EQUAL(starved[0].level, holding_priority);
  CAF_CHECK(logged(lines, slot_log_level::warn, "slot starved: no session"));
  // Holdings are not alpha's.
  CAF_CHECK(with_state(alpha, slot_outcome_state::starved).empty());
}

CAF_TEST(a burst is a few lines and one summary) {
  lines->clear();
  for (int i = 0; i < 41; ++i)
    self->send(slog, slot_outcome{0, slot_key{"H0STCNT0", std::to_string(i)}, 3,
                                  slot_outcome_state::evicted, "", "moved"});
  drain();
  CAF_CHECK_EQUAL(lines->size(), 8u);
  advance(std::chrono::seconds{1});
  CAF_REQUIRE_EQUAL(lines->size(), 9u);
  CAF_CHECK_EQUAL(lines->back().text,
                  "33 more slot events in 1 s not logged one by one: "
                  "33 evicted");
  CAF_CHECK(lines->back().level == slot_log_level::info);
  // The next window logs again.
  self->send(slog, slot_outcome{0, refused, 3, slot_outcome_state::rejected,
                                "OPSP8992", "permanent"});
  drain();
  CAF_CHECK_EQUAL(lines->size(), 10u);
  CAF_CHECK(lines->back().level == slot_log_level::warn);
}

CAF_TEST_FIXTURE_SCOPE_END()
