// SPDX-License-Identifier: Apache-2.0
// Stand-ins for the arbiter and for market listeners in wire-side tests:
// they forward what they get to a probe actor (or drop it).
#pragma once

#include <caf/actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <functional>
#include <optional>

#include "messages/actors.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt::test {

struct stub_state {
  std::optional<connection_actor> conn;
  static inline const char* name = "stub";
};

/// An arbiter that forwards session up/down and acks to `probe` (if set)
/// and, when `on_up` is set, sends the commands it returns to the
/// connection on every session_up.
inline slot_arbiter_actor::behavior_type arbiter_stub(
    slot_arbiter_actor::stateful_pointer<stub_state> self, caf::actor probe,
    std::function<std::vector<wire_command>(const session_up&)> on_up = {}) {
  auto fwd = [probe](auto&& x) {
    if (probe)
      caf::anon_send(probe, std::forward<decltype(x)>(x));
  };
  return {
      [](holding_set&) {},
      [](position_update&) {},
      [](pick_list&) {},
      [](scan_candidates&) {},
      [](slot_request&) {},
      [](slot_release&) {},
      [self, fwd, on_up](session_up& x) {
        if (on_up && self->state.conn)
          for (auto& cmd : on_up(x))
            self->send(*self->state.conn, cmd);
        fwd(x);
      },
      [fwd](session_down& x) { fwd(x); },
      [fwd](sub_ack& x) { fwd(x); },
      [fwd](answer_timeout& x) { fwd(x); },
      [](data_seen_batch&) {},
      [self](atom::attach, session_id, connection_actor c) {
        self->state.conn = std::move(c);
      },
      [](caf::subscribe_atom, slot_observer_actor) {},
      [](caf::unsubscribe_atom, slot_observer_actor) {},
      [](caf::get_atom, atom::slots) { return slot_snapshot{}; },
      [](caf::tick_atom) {},
  };
}

/// A market listener forwarding every event to `probe` (or dropping all).
inline market_listener_actor::behavior_type
listener_stub(market_listener_actor::stateful_pointer<stub_state>,
              caf::actor probe) {
  auto fwd = [probe](const auto& x) {
    if (probe)
      caf::anon_send(probe, x);
  };
  return market_behavior<market_listener_actor::behavior_type>(fwd);
}

} // namespace kisrt::test
