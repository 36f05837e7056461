// SPDX-License-Identifier: Apache-2.0
// One proxy per remote listener, owned by the node gate: the hub sees the
// proxy as its (local) subscriber, and the proxy forwards the events to the
// listener on the node with its own flow control (a window and confirmation
// requests, actors/hub_core.hpp). So the node never receives the hub's
// handle, as sender or content: its only addresses are the gate and its own
// proxies, and a proxy forwards only what the hub sent it, only to that
// node's listener (docs/security.md, P1 and P2).
#pragma once

#include <cstdint>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "actors/hub_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct node_proxy_config {
  std::uint32_t window = 4096;
  std::uint32_t confirm_every = 64;
  std::size_t max_queue = 10000;
};

struct node_proxy_state {
  hub_core core{4096, 10000};
  hub_core::sub_id sub = 0;
  node_proxy_config cfg;
  caf::actor_addr hub;           ///< the only sender whose events are forwarded
  caf::actor remote;             ///< the node's listener
  std::uint64_t refused = 0;     ///< messages from anyone but the hub
  std::vector<hub_delivery> out; // reused

  static inline const char* name = "node_proxy";
};

market_listener_actor::behavior_type
node_proxy(market_listener_actor::stateful_pointer<node_proxy_state> self,
           node_proxy_config cfg, caf::actor_addr hub,
           market_listener_actor remote);

} // namespace kisrt
