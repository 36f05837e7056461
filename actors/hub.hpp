// SPDX-License-Identifier: Apache-2.0
// The hub actor: subscriptions by (tr_id, symbol) or everything, bounded
// delivery per subscriber (actors/hub_core.hpp), and last-data times for the
// arbiter's staleness rules, in batches.
#pragma once

#include <map>
#include <optional>

#include "actors/hub_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct hub_config {
  /// Events in flight per subscriber in another process (a kisrt-node
  /// behind the middleman) before the hub queues (and conflates) them.
  std::uint32_t window = 4096;
  /// The same for subscribers in this actor system (0: `window`). Larger:
  /// a confirmation answers through the hub's own mailbox, behind every
  /// event queued there, so in a burst a fast local subscriber would look
  /// slow with a small window (docs/benchmarks.md, "End to end"). Still a
  /// bound: a stuck local subscriber holds at most this many events plus
  /// `max_queue` queued ones.
  std::uint32_t local_window = 65536;
  std::size_t max_queue = 10000;
  /// Every n-th delivery is a request whose (automatic) answer confirms
  /// that the subscriber got that far.
  std::uint32_t confirm_every = 64;
  overflow_policy policy = overflow_policy::conflate;
  /// How often last-data times go to the arbiter.
  mono_time seen_interval = std::chrono::seconds{1};
};

struct hub_state {
  hub_core core{4096, 10000};
  hub_config cfg;
  std::optional<slot_arbiter_actor> arbiter;
  std::map<caf::actor_addr, hub_core::sub_id> by_addr;
  std::map<hub_core::sub_id, caf::actor> listeners;
  /// Last data per (session, key) since the previous flush.
  std::map<session_id, std::map<slot_key, mono_time>> seen;
  std::vector<hub_delivery> out; // reused

  static inline const char* name = "hub";
};

hub_actor::behavior_type hub(hub_actor::stateful_pointer<hub_state> self,
                             hub_config cfg,
                             std::optional<slot_arbiter_actor> arbiter);

} // namespace kisrt
