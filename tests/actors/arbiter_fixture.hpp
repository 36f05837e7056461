// SPDX-License-Identifier: Apache-2.0
// A slot_arbiter on CAF's deterministic test coordinator, with recording
// stand-ins for the connections and an observer.
#pragma once

#include <memory>
#include <vector>

#include <caf/test/dsl.hpp>

#include "actors/slot_arbiter.hpp"
#include "messages/type_ids.hpp"
#include "slot_model_fixture.hpp"

namespace kisrt::test {

struct arbiter_test_config : caf::actor_system_config {
  arbiter_test_config() { add_message_types<caf::id_block::kisrt>(); }
};

using command_log = std::shared_ptr<std::vector<wire_command>>;
using event_log = std::shared_ptr<std::vector<slot_event>>;

struct recorder_state {
  static inline const char* name = "recorder";
};

inline connection_actor::behavior_type
recording_connection(connection_actor::stateful_pointer<recorder_state>,
                     command_log log) {
  return {
      [log](const wire_command& x) { log->push_back(x); },
  };
}

inline slot_observer_actor::behavior_type
recording_observer(slot_observer_actor::stateful_pointer<recorder_state>,
                   event_log log) {
  return {
      [log](const slot_granted& x) { log->emplace_back(x); },
      [log](const slot_active& x) { log->emplace_back(x); },
      [log](const slot_evicted& x) { log->emplace_back(x); },
      [log](const slot_rejected& x) { log->emplace_back(x); },
      [log](const slots_starved& x) { log->emplace_back(x); },
      [log](const session_replayed& x) { log->emplace_back(x); },
      [log](const slot_stale& x) { log->emplace_back(x); },
  };
}

struct arbiter_fixture : test_coordinator_fixture<arbiter_test_config> {
  std::vector<command_log> wire;
  event_log events = std::make_shared<std::vector<slot_event>>();
  std::vector<connection_actor> conns;
  slot_observer_actor obs;
  slot_arbiter_actor arb;
  std::vector<epoch_t> epochs;

  /// The actor clock when the fixture started (CAF's test clock does not
  /// start at zero).
  mono_time t0{0};

  static slot_arbiter_config default_config(std::uint32_t sessions) {
    slot_arbiter_config cfg;
    cfg.slots = sessions_with_notice(sessions);
    return cfg;
  }

  mono_time now() { return now_of(sched.clock()); }

  explicit arbiter_fixture(std::uint32_t sessions = 1)
      : arbiter_fixture(default_config(sessions)) {
    // nop
  }

  /// Starts at Monday 2025-01-06 08:00 KST unless `cfg` names a clock.
  explicit arbiter_fixture(slot_arbiter_config cfg) {
    t0 = now();
    if (!cfg.kst)
      cfg.kst = kst_clock::at_kst(t0, 2025, 1, 6, 8, 0, 0);
    auto n = cfg.slots.sessions.size();
    arb = sys.spawn(slot_arbiter, std::move(cfg));
    obs = sys.spawn(recording_observer, events);
    self->send(arb, caf::subscribe_atom_v, obs);
    for (size_t i = 0; i < n; ++i) {
      wire.push_back(std::make_shared<std::vector<wire_command>>());
      conns.push_back(sys.spawn(recording_connection, wire.back()));
      self->send(arb, atom::attach_v, static_cast<session_id>(i), conns[i]);
    }
    epochs.resize(n, 0);
    drain();
  }

  ~arbiter_fixture() {
    anon_send_exit(arb, caf::exit_reason::user_shutdown);
    anon_send_exit(obs, caf::exit_reason::user_shutdown);
    for (auto& c : conns)
      anon_send_exit(c, caf::exit_reason::user_shutdown);
    drain();
  }

  /// Delivers every queued message but fires no timer: the arbiter's
  /// periodic tick would otherwise run forever (run() triggers timeouts).
  /// Time moves only through advance().
  void drain() {
    while (sched.try_run_once()) {
      // nop
    }
  }

  /// Moves the actor clock, fires what is due and delivers the results.
  void advance(mono_time d) {
    advance_time(d);
    drain();
  }

  /// Delivers `x` to the arbiter as the next message, then lets its
  /// outputs reach the recorders.
  template <class T>
  void push(T x) {
    self->send(arb, std::move(x));
    expect((T), from(self).to(arb));
    drain();
  }

  void up(session_id s) { push(session_up{s, ++epochs[s]}); }

  void down(session_id s) { push(session_down{s, epochs[s]}); }

  void ack(session_id s, const slot_key& k, const std::string& code) {
    push(sub_ack{s, epochs[s], k, code});
  }

  void ack(const wire_command& c, const std::string& code) {
    push(sub_ack{c.session, c.epoch, c.key, code});
  }

  /// Answers every outstanding command like a healthy server until the
  /// wire is quiet (commands already taken by the test included).
  void settle() {
    for (int i = 0; i < 100; ++i) {
      auto snap = snapshot();
      std::vector<sub_ack> acks;
      for (auto& s : snap.slots) {
        if (s.state == slot_state::pending)
          acks.push_back(
              sub_ack{s.session, epochs[s.session], s.key, "OPSP0000"});
        else if (s.state == slot_state::releasing)
          acks.push_back(
              sub_ack{s.session, epochs[s.session], s.key, "OPSP0001"});
      }
      if (acks.empty())
        break;
      for (auto& x : acks)
        push(x);
    }
    for (auto& w : wire)
      w->clear();
  }

  std::vector<wire_command> take(session_id s) {
    auto xs = std::move(*wire[s]);
    wire[s]->clear();
    return xs;
  }

  template <class T>
  std::vector<T> take_events() {
    std::vector<T> xs;
    for (auto& e : *events)
      if (auto p = std::get_if<T>(&e))
        xs.push_back(*p);
    events->clear();
    return xs;
  }

  slot_snapshot snapshot() {
    self->send(arb, caf::get_atom_v, atom::slots_v);
    expect((caf::get_atom, atom::slots), from(self).to(arb));
    slot_snapshot result;
    self->receive([&](slot_snapshot& x) { result = std::move(x); });
    return result;
  }

  std::optional<slot_info> find(const slot_key& k) {
    for (auto& s : snapshot().slots)
      if (s.key == k)
        return s;
    return std::nullopt;
  }

  bool has(const slot_key& k, slot_state st, session_id s = no_session) {
    auto x = find(k);
    return x && x->state == st && (s == no_session || x->session == s);
  }

  std::uint32_t used(session_id s) { return snapshot().sessions.at(s).used; }
};

} // namespace kisrt::test
