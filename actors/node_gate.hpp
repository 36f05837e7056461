// SPDX-License-Identifier: Apache-2.0
// The node gate actor: what the gateway publishes to remote nodes. It
// forwards subscriptions to the hub and requests to the arbiter, holds each
// node to its policy (actors/node_gate_core.hpp) and, when a node
// disconnects or dies (down message), withdraws its requests and its
// listeners' subscriptions, leaving other nodes alone. Notice journal
// subscriptions go to the journal, which watches the listeners itself.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include <caf/actor_addr.hpp>

#include "actors/node_gate_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct node_gate_state {
  std::optional<node_gate_core<caf::actor_addr>> core;
  std::optional<hub_actor> hub;
  std::optional<slot_arbiter_actor> arbiter;
  /// The notice journal (none: notice subscriptions are refused).
  std::optional<notice_journal_actor> journal;
  /// Listeners each node subscribed, removed from the hub when it goes.
  std::map<caf::actor_addr, std::vector<market_listener_actor>> listeners;

  static inline const char* name = "node_gate";
};

node_gate_actor::behavior_type
node_gate(node_gate_actor::stateful_pointer<node_gate_state> self,
          node_gate_config cfg, hub_actor hub, slot_arbiter_actor arbiter,
          std::optional<notice_journal_actor> journal);

} // namespace kisrt
