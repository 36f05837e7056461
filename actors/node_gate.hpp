// SPDX-License-Identifier: Apache-2.0
// The node gate actor: what the gateway publishes to remote nodes. It holds
// each node to its policy (actors/node_gate_core.hpp), forwards requests to
// the arbiter and subscribes, for every remote listener, a proxy of its own
// at the hub (actors/node_gate_proxy.hpp), so that no node ever learns the
// hub's or the arbiter's address. When a node disconnects or dies (down
// message) it withdraws the node's requests and ends its proxies, leaving
// other nodes alone. Notice journal subscriptions go to the journal, which
// watches the listeners itself; slot event subscriptions to the slot feed,
// which does too.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/node_id.hpp>

#include "actors/node_gate_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct node_gate_state {
  std::optional<node_gate_core<caf::actor_addr, caf::node_id>> core;
  std::optional<hub_actor> hub;
  std::optional<slot_arbiter_actor> arbiter;
  /// One proxy per remote listener a node subscribed (and how many keys it
  /// subscribed through it).
  struct proxy_entry {
    market_listener_actor proxy;
    std::size_t keys = 0;
  };
  std::map<caf::actor_addr, std::map<caf::actor_addr, proxy_entry>> proxies;
  /// proxy -> (node, listener), to forget a proxy that ends on its own.
  std::map<caf::actor_addr, std::pair<caf::actor_addr, caf::actor_addr>>
      proxy_owner;
  /// The notice journal (none: notice subscriptions are refused).
  std::optional<notice_journal_actor> journal;
  /// The slot feed (none: slot event subscriptions are refused). Gets a
  /// copy of every request and release the gate sends to the arbiter.
  std::optional<slot_feed_actor> feed;
  /// Slot event listeners of each node (at most max_listeners).
  std::map<caf::actor_addr, std::set<caf::actor_addr>> slot_listeners;
  /// Takes today's picks from nodes allowed to set them (none: refused).
  std::optional<picks_loader_actor> picks_loader;

  static inline const char* name = "node_gate";
};

node_gate_actor::behavior_type
node_gate(node_gate_actor::stateful_pointer<node_gate_state> self,
          node_gate_config cfg, hub_actor hub, slot_arbiter_actor arbiter,
          std::optional<notice_journal_actor> journal,
          std::optional<slot_feed_actor> feed);

} // namespace kisrt
