// SPDX-License-Identifier: Apache-2.0
// The connection actor: one per app key. Runs connection_core's actions on
// real sockets (net/ws_client, net/http_client); frames go to the decoder,
// session up/down to the arbiter. The io thread talks to it only through
// messages (open/close/receive/put), and it talks to the io thread only by
// posting (ws_client::send/close).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actors/connection_core.hpp"
#include "messages/actors.hpp"
#include "net/http_client.hpp"
#include "net/io_runner.hpp"
#include "net/ws_client.hpp"

namespace kisrt {

struct connection_endpoints {
  std::string ws_url;   ///< ws://host:port/tryitout
  std::string rest_url; ///< https://host:port (approval key)
  net::tls_options rest_tls;
  net::tls_options ws_tls; ///< for wss:// only
  std::string app_key;
  /// Secret: sent in the approval request body, never logged.
  std::string app_secret;
};

struct connection_state {
  std::unique_ptr<connection_core> core;
  connection_endpoints ends;
  std::shared_ptr<net::io_runner> io;
  std::unique_ptr<net::http_client> rest;
  std::shared_ptr<net::ws_client> ws;
  std::uint64_t ws_transport = 0;
  slot_arbiter_actor arbiter;
  decoder_actor decoder;
  std::optional<mono_time> tick_at;
  connection_core::actions out; // reused
  /// Approval key answers, for (get, stats).
  std::uint64_t approvals = 0;
  std::uint64_t approval_failures = 0;

  /// The socket does not outlive the actor: a close frame on the way out.
  ~connection_state() {
    if (ws)
      ws->close();
  }

  static inline const char* name = "connection";
};

/// Throws std::runtime_error for bad URLs or TLS setup (caught at spawn by
/// the caller and reported with the session name).
connection_full_actor::behavior_type
connection(connection_full_actor::stateful_pointer<connection_state> self,
           connection_config cfg, connection_endpoints ends,
           std::shared_ptr<net::io_runner> io, slot_arbiter_actor arbiter,
           decoder_actor decoder, std::uint64_t seed);

} // namespace kisrt
