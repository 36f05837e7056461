// SPDX-License-Identifier: Apache-2.0
// One proxy per remote listener, owned by the node gate: the hub sees the
// proxy as its (local) subscriber, and the proxy forwards the events to the
// listener on the node with its own flow control (a window and confirmation
// requests, actors/hub_core.hpp). So the node never receives the hub's
// handle, as sender or content: its only addresses are the gate and its own
// proxies, and a proxy forwards only what the hub sent it, only to that
// node's listener (docs/security.md, P1 and P2).
//
// Events travel in batches (messages/event_batch.hpp): one middleman
// message per batch, sent when it holds `batch_max` events or `batch_delay`
// after its first event, whichever comes first. An execution notice sends
// its batch at once. Batches keep the hub's order.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "actors/hub_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct node_proxy_config {
  std::uint32_t window = 4096;
  std::uint32_t confirm_every = 64;
  std::size_t max_queue = 10000;
  /// Events per batch at most (1: every event on its own).
  std::uint32_t batch_max = 256;
  /// How long the first event of a batch may wait for more (0: a batch
  /// goes as soon as the events at hand are in it).
  std::chrono::microseconds batch_delay{200};
};

/// The proxy's own interface: a listener, plus its batch deadline.
using node_proxy_actor = market_listener_actor::extend<
    // Self-sent: the deadline of batch number `n` is due.
    caf::reacts_to<caf::tick_atom, std::uint64_t>>;

struct node_proxy_state {
  hub_core core{4096, 10000};
  hub_core::sub_id sub = 0;
  node_proxy_config cfg;
  caf::actor_addr hub;           ///< the only sender whose events are forwarded
  caf::actor remote;             ///< the node's listener
  std::uint64_t refused = 0;     ///< messages from anyone but the hub
  std::vector<hub_delivery> out; // reused
  /// The batch being filled, and the sequence numbers it spans.
  std::vector<caf::message> pending;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  /// Number of the batch being filled; a deadline names the batch it was
  /// set for, so one for a batch already sent does nothing.
  std::uint64_t batch_no = 0;
  bool deadline_set = false;
  std::uint64_t batches = 0; ///< batches sent

  static inline const char* name = "node_proxy";
};

node_proxy_actor::behavior_type
node_proxy(node_proxy_actor::stateful_pointer<node_proxy_state> self,
           node_proxy_config cfg, caf::actor_addr hub,
           remote_listener_actor remote);

} // namespace kisrt
