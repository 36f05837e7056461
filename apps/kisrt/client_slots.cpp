// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/client_slots.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/type_ids.hpp"

namespace kisrt {

client_slot_event to_client_slot_event(const slot_outcome& ev) {
  client_slot_event out;
  out.session = ev.session;
  out.tr_id = ev.key.tr_id;
  out.key = ev.key.tr_key;
  out.priority = ev.level;
  out.state = to_string(ev.state);
  out.msg_cd = ev.msg_cd;
  out.reason = ev.reason;
  return out;
}

slot_outcome_listener_actor
spawn_client_slot_listener(caf::actor_system& sys,
                           std::function<void(client_slot_event)> push) {
  return sys.spawn(
      [push = std::move(push)]() -> slot_outcome_listener_actor::behavior_type {
        return {
            [push](const slot_outcome& ev) { push(to_client_slot_event(ev)); },
        };
      });
}

} // namespace kisrt
