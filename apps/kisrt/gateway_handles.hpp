// SPDX-License-Identifier: Apache-2.0
// The running gateway's actors, for code that embeds it in its own
// caf::actor_system (docs/embedding.md): subscribe a listener to `hub`,
// declare demand to `arbiter`, read slots from `arbiter`.
#pragma once

#include "messages/actors.hpp"

namespace kisrt::app {

struct gateway_handles {
  /// Owns every slot: send it slot_request/slot_release, ask it for slots.
  slot_arbiter_actor arbiter;
  /// Fans out typed market events: subscribe a market_listener_actor.
  hub_actor hub;
  /// Decodes frames; execution notices can also be taken from here.
  decoder_actor decoder;
  /// Slot outcomes as slot_events: subscribe a slot_outcome_listener_actor
  /// with an owner name (its requests' events) or empty (all of them).
  slot_feed_actor slot_feed;
};

} // namespace kisrt::app
