// SPDX-License-Identifier: Apache-2.0
// A deterministic actor system for the demand sources: a recording stand-in
// for the arbiter, scripted sources, and the actor clock anchored to KST.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <variant>
#include <vector>

#include "actors/kst_clock.hpp"
#include "messages/type_ids.hpp"
#include "tests/common/actor_fixture.hpp"

namespace kisrt::test {

using demand = std::variant<holding_set, position_update, pick_list,
                            scan_candidates, slot_request, slot_release>;
using demand_log = std::shared_ptr<std::vector<demand>>;

struct stub_state {
  static inline const char* name = "stub_arbiter";
};

/// Records the demand it receives; ignores the wire side.
inline slot_arbiter_actor::behavior_type
recording_arbiter(slot_arbiter_actor::stateful_pointer<stub_state>,
                  demand_log log) {
  return {
      [log](const holding_set& x) { log->emplace_back(x); },
      [log](const position_update& x) { log->emplace_back(x); },
      [log](const pick_list& x) { log->emplace_back(x); },
      [log](const scan_candidates& x) { log->emplace_back(x); },
      [log](const slot_request& x) { log->emplace_back(x); },
      [log](const slot_release& x) { log->emplace_back(x); },
      [](const session_up&) {},
      [](const session_down&) {},
      [](const sub_ack&) {},
      [](const answer_timeout&) {},
      [](const data_seen_batch&) {},
      [](atom::attach, session_id, const connection_actor&) {},
      [](caf::subscribe_atom, const slot_observer_actor&) {},
      [](caf::unsubscribe_atom, const slot_observer_actor&) {},
      [](const calendar_update&) {},
      [](caf::get_atom, atom::slots) { return slot_snapshot{}; },
      [](caf::tick_atom) {},
  };
}

/// Answers fetches when the test says so: each fetch waits in `pending`.
template <class Snapshot>
struct scripted {
  std::deque<std::function<void(Snapshot)>> pending;
  int fetches = 0;
  void fetch(std::function<void(Snapshot)> done) {
    ++fetches;
    pending.push_back(std::move(done));
  }
  /// Answers the oldest fetch.
  bool answer(Snapshot x) {
    if (pending.empty())
      return false;
    auto f = std::move(pending.front());
    pending.pop_front();
    f(std::move(x));
    return true;
  }
};

struct sources_fixture : actor_fixture<> {
  demand_log log = std::make_shared<std::vector<demand>>();
  slot_arbiter_actor arb;
  mono_time t0{0};

  sources_fixture() {
    t0 = now();
    arb = sys.spawn(recording_arbiter, log);
  }

  ~sources_fixture() {
    anon_send_exit(arb, caf::exit_reason::user_shutdown);
    drain();
  }

  /// KST anchored at the fixture's start (tests pass the date explicitly).
  kst_clock kst_at(int y, int mo, int d, int h, int mi, int s = 0) {
    return kst_clock::at_kst(t0, y, mo, d, h, mi, s);
  }

  template <class T>
  std::vector<T> take() {
    std::vector<T> xs;
    std::vector<demand> rest;
    for (auto& e : *log) {
      if (auto p = std::get_if<T>(&e))
        xs.push_back(*p);
      else
        rest.push_back(e);
    }
    *log = std::move(rest);
    return xs;
  }
};

} // namespace kisrt::test
