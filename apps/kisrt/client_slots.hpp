// SPDX-License-Identifier: Apache-2.0
// The callback facade's slot events: an actor that turns the slot feed's
// slot_events into client_slot_events for on_slot() callbacks.
#pragma once

#include <functional>

#include "apps/kisrt/client.hpp"
#include "messages/actors.hpp"

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt {

/// The facade's view of one slot event.
client_slot_event to_client_slot_event(const slot_outcome& ev);

/// Spawns a listener that calls `push` (on a CAF thread) for every slot
/// event it gets.
slot_outcome_listener_actor
spawn_client_slot_listener(caf::actor_system& sys,
                           std::function<void(client_slot_event)> push);

} // namespace kisrt
