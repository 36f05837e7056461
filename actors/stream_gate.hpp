// SPDX-License-Identifier: Apache-2.0
// The WebSocket stream's actors (docs/stream.md). The gate reads each
// client's ops (net/stream_ops.hpp), holds the client to the node policy
// (actors/node_gate_core.hpp: `nodes.*`, `node.NAME.*`), forwards its slot
// requests to the arbiter and subscribes, per client, one stream_client
// at the hub (its events) and at the slot feed (its slot outcomes). The
// client actor writes each event as the JSON object kisrt-node prints
// (actors/event_json.hpp) to its socket through net::stream_out. When a
// client goes away its requests are released and its actor ends. The
// arbiter stays the only owner of slot state: the gate keeps only what
// the policy counts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "actors/node_gate_core.hpp"
#include "messages/actors.hpp"
#include "net/stream_ops.hpp"
#include "net/stream_server.hpp"

namespace kisrt {

/// One stream client's end: the hub's events and the slot feed's outcomes,
/// written as JSON to its WebSocket.
using stream_client_actor =
    market_listener_actor::extend_with<slot_outcome_listener_actor>;

/// The stream's gate: what the clients of the WebSocket stream send, held
/// to the node policy; told by the stream server's io thread, by client id.
using stream_gate_actor = caf::typed_actor<
    // A client connected (its id, its peer address).
    caf::reacts_to<caf::open_atom, std::uint64_t, std::string>,
    // One text frame of a client: one op.
    caf::reacts_to<caf::receive_atom, std::uint64_t, std::string>,
    // A client is gone, with why: its requests are released.
    caf::reacts_to<caf::close_atom, std::uint64_t, std::string>>;

/// Owner name of a stream client's requests at the arbiter: "stream:NAME"
/// (apart from a node of the same name, "node:NAME").
std::string stream_owner(const std::string& name);

/// True for events a stream client must get all of (trades, notices): an
/// event of another kind may be replaced by a newer one of its key while it
/// waits in a slow client's queue.
bool stream_keeps_all(std::string_view event_name, std::string_view tr_id);

struct stream_gate_config {
  /// `nodes.*` and `node.NAME.*`; `max_nodes` bounds the named clients.
  node_gate_config policy;
  /// (tr_id, tr_key) subscriptions of one client.
  std::size_t max_subscriptions = 256;
  net::stream_op_limits limits;
};

struct stream_gate_deps {
  hub_actor hub;
  slot_arbiter_actor arbiter;
  slot_feed_actor feed;
  std::shared_ptr<net::stream_out> out;
  /// The `/slots` document of a snapshot (apps/kisrt/slots_json.hpp).
  std::function<std::string(const slot_snapshot&)> slots_json;
};

struct stream_gate_state {
  std::optional<node_gate_core<std::uint64_t>> core;
  std::optional<stream_gate_deps> deps;
  std::size_t max_subscriptions = 0;
  net::stream_op_limits limits;
  struct client {
    std::string peer;
    std::optional<std::string> name; ///< after hello
    stream_client_actor actor;
    std::set<slot_key> subs;
  };
  std::map<std::uint64_t, client> clients;
  /// The clients' actors, shared with the gate's exit functor: CAF 0.17
  /// destroys the state before attached functors run.
  std::shared_ptr<std::map<std::uint64_t, caf::actor>> client_actors =
      std::make_shared<std::map<std::uint64_t, caf::actor>>();

  static inline const char* name = "stream_gate";
};

stream_gate_actor::behavior_type
stream_gate(stream_gate_actor::stateful_pointer<stream_gate_state> self,
            stream_gate_config cfg, stream_gate_deps deps);

struct stream_client_state {
  std::uint64_t id = 0;
  std::shared_ptr<net::stream_out> out;
  std::string buf; // reused

  static inline const char* name = "stream_client";
};

/// Writes the events and slot outcomes it receives to client `id`.
stream_client_actor::behavior_type
stream_client(stream_client_actor::stateful_pointer<stream_client_state> self,
              std::uint64_t id, std::shared_ptr<net::stream_out> out);

} // namespace kisrt
