// SPDX-License-Identifier: Apache-2.0
// The connection actor: one per app key. Runs connection_core's actions on
// a transport and an approval fetcher given from outside (connection_deps):
// in production a WebSocket and the REST client (kis_connection_deps), in
// the scenario runner its scripted KIS. Frames go to the decoder, session
// up/down to the arbiter. A transport talks to the actor only through
// messages (open/close/receive/put); the actor talks to it only through
// net::transport calls, which return at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actors/connection_core.hpp"
#include "messages/actors.hpp"
#include "net/io_runner.hpp"
#include "net/tls.hpp"
#include "net/transport.hpp"

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

/// What a connection needs from outside: how to open a transport and how to
/// get an approval key.
struct connection_deps {
  net::transport_factory make_transport;
  net::approval_fetcher fetch_approval;
};

/// The production deps: WebSockets to `ends.ws_url` and approval keys over
/// REST from `ends.rest_url`, both on `io`. Throws std::runtime_error for a
/// bad REST URL or TLS setup (a bad ws URL fails each connect instead).
connection_deps kis_connection_deps(const connection_endpoints& ends,
                                    std::shared_ptr<net::io_runner> io);

struct connection_state {
  std::unique_ptr<connection_core> core;
  connection_deps deps;
  std::unique_ptr<net::transport> link;
  std::uint64_t link_id = 0;
  slot_arbiter_actor arbiter;
  decoder_actor decoder;
  std::optional<mono_time> tick_at;
  connection_core::actions out; // reused
  /// Approval key answers, for (get, stats).
  std::uint64_t approvals = 0;
  std::uint64_t approval_failures = 0;

  /// The socket does not outlive the actor: a close frame on the way out.
  ~connection_state() {
    if (link)
      link->close();
  }

  static inline const char* name = "connection";
};

/// The connection over the transport and approval fetcher of `deps`. Its
/// timers (pacing, watchdog, answer timeouts, backoff) run on the actor
/// clock.
connection_full_actor::behavior_type
connection_with(connection_full_actor::stateful_pointer<connection_state> self,
                connection_config cfg, connection_deps deps,
                slot_arbiter_actor arbiter, decoder_actor decoder,
                std::uint64_t seed);

/// connection_with(kis_connection_deps(ends, io)): the production
/// connection. Throws std::runtime_error for bad URLs or TLS setup (caught
/// at spawn by the caller and reported with the session name).
connection_full_actor::behavior_type
connection(connection_full_actor::stateful_pointer<connection_state> self,
           connection_config cfg, connection_endpoints ends,
           std::shared_ptr<net::io_runner> io, slot_arbiter_actor arbiter,
           decoder_actor decoder, std::uint64_t seed);

} // namespace kisrt
