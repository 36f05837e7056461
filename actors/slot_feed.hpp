// SPDX-License-Identifier: Apache-2.0
// The slot feed actor: observes the arbiter and hands its events, as
// slot_events, to the listeners that want them (the slot log, the live
// table, the callback facade, remote nodes through the node gate). It sends
// anonymously, so a remote listener never learns the feed's address.
#pragma once

#include <string>
#include <vector>

#include "actors/slot_feed_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct slot_feed_state {
  slot_feed_core core;
  struct listener {
    slot_outcome_listener_actor hdl;
    std::string owner; ///< empty: every event
  };
  std::vector<listener> listeners;
  std::vector<slot_outcome> out; // reused buffer

  /// Listeners beyond this are refused (with a warning).
  std::size_t max_listeners = default_max_listeners;
  static constexpr std::size_t default_max_listeners = 1024;

  static inline const char* name = "slot_feed";
};

/// `max_listeners`: slot_feed_state::default_max_listeners unless a test
/// wants fewer.
slot_feed_actor::behavior_type
slot_feed(slot_feed_actor::stateful_pointer<slot_feed_state> self,
          std::size_t max_listeners);

} // namespace kisrt
