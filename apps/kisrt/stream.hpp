// SPDX-License-Identifier: Apache-2.0
// The WebSocket JSON stream of the gateway (docs/stream.md): its options
// from `[stream]` (with the node policy of `[nodes]` and `[node.NAME]`),
// the exposure rule off loopback, and its start: the server
// (net/stream_server.hpp) on its own io thread, wired to the stream gate
// (actors/stream_gate.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/node_gate_core.hpp"
#include "actors/stream_gate.hpp"
#include "apps/kisrt/config_file.hpp"
#include "messages/actors.hpp"

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt::net {
class io_runner;
class stream_server;
} // namespace kisrt::net

namespace kisrt::app {

struct stream_options {
  bool enabled = false; ///< stream.listen is not "off"
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool loopback = true;
  /// TLS (wss): `stream.certificate`/`stream.key`, else the publish
  /// certificate and key. Passphrase from stream.passphrase_env (else
  /// publish.passphrase_env's).
  std::string certificate;
  std::string key;
  std::string passphrase;
  /// From the variable named by `stream.token_env`; a secret.
  std::string token;
  bool allow_plaintext_remote = false;
  std::size_t max_clients = 64;
  std::size_t max_frame = 16 * 1024;
  std::size_t max_queue = 20000;
  std::size_t max_subscriptions = 256;
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds{10}};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
  /// `nodes.*` and `node.NAME.*` (set by read_options from the publish
  /// options); with a token, clients count as authenticated.
  node_gate_config policy;

  bool tls() const noexcept { return !certificate.empty(); }
};

/// Why a stream on a non-loopback address may not serve as configured, or
/// empty: off loopback it needs TLS and a bearer token, unless
/// `allow_plaintext_remote` is set.
std::string check_stream_exposure(bool loopback, bool tls, bool token,
                                  bool allow_plaintext_remote);

/// Reads `[stream]`; `env` gives the token and passphrase variables.
/// Errors name the key. The policy is left to the caller.
stream_options read_stream_options(
    config_file& cfg,
    const std::function<std::optional<std::string>(const char*)>& env);

/// The running stream: server, its io thread and the gate.
struct stream_handles {
  std::shared_ptr<net::io_runner> io;
  std::shared_ptr<net::stream_server> server;
  stream_gate_actor gate;
};

/// Spawns the gate and starts the server; throws std::runtime_error naming
/// the address or file. `session_names` names sessions in `/slots`.
stream_handles start_stream(caf::actor_system& sys, const stream_options& o,
                            const hub_actor& hub,
                            const slot_arbiter_actor& arbiter,
                            const slot_feed_actor& feed,
                            std::vector<std::string> session_names);

/// Stops the server (clients get a close frame) and the gate.
void stop_stream(stream_handles& h, std::chrono::milliseconds grace);

} // namespace kisrt::app
