// SPDX-License-Identifier: Apache-2.0
// Slot outcomes for people: the slot feed follows the arbiter and the slot
// log follows the feed (docs/operations.md, "Slot events"). The live table,
// the callback facade and the node gate subscribe to the same feed.
#pragma once

#include <string>
#include <vector>

#include "messages/actors.hpp"

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt::app {

struct slot_event_actors {
  slot_feed_actor feed;
  slot_log_actor log;
};

/// Spawns the feed and the slot log (sessions named by `session_names`),
/// the log subscribed to the feed. The caller attaches the feed to the
/// arbiter's events (core_spec::observers), before any demand.
slot_event_actors start_slot_events(caf::actor_system& sys,
                                    std::vector<std::string> session_names);

} // namespace kisrt::app
