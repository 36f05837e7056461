// SPDX-License-Identifier: Apache-2.0
// Publishing the node gate to remote nodes through CAF's middleman
// (docs/nodes.md): options from the `[publish]`, `[nodes]` and
// `[node.NAME]` sections, the actor system modules they need, and the
// publish call itself (plain TCP on loopback, mutual TLS anywhere, both
// through the relay of net/publish_relay.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actors/node_gate_core.hpp"
#include "apps/kisrt/config_file.hpp"
#include "messages/actors.hpp"

namespace caf {
class actor_system;
class actor_system_config;
} // namespace caf

namespace kisrt::net {
class io_runner;
class publish_relay;
} // namespace kisrt::net

namespace kisrt::app {

struct publish_options {
  bool enabled = false; ///< publish.listen is not "off"
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0: the OS chooses
  /// Mutual TLS (terminated by the relay) when a certificate is set;
  /// required off loopback.
  std::string certificate;
  std::string key;
  std::string cafile; ///< set: nodes must present a certificate signed by it
  std::string passphrase; ///< of the key, from publish.passphrase_env
  /// Middleman heartbeats, and the silence after which a peer counts as
  /// gone (kisrt-node sends heartbeats every 5 s).
  std::chrono::milliseconds heartbeat{std::chrono::seconds{5}};
  std::chrono::milliseconds timeout{std::chrono::seconds{30}};
  /// The relay (net/publish_relay.hpp): the largest BASP payload a node
  /// may declare, the time a new connection has for its TLS and BASP
  /// handshakes, and connections at once.
  std::uint32_t max_message = 4u << 20;
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds{10}};
  std::size_t max_connections = 64;
  node_gate_config nodes;

  bool tls() const noexcept { return !certificate.empty(); }
};

/// True for an IPv4 address in 127.0.0.0/8, ::1 and "localhost" (parsed,
/// so "127.evil.com" or "127.0.0.1.nip.io" are not loopback).
bool is_loopback(const std::string& host);

/// Reads `[publish]`, `[nodes]` and `[node.NAME]`; errors name the key.
publish_options read_publish_options(config_file& cfg,
                                     std::vector<std::string>& errors);

/// Loads the middleman (and the OpenSSL manager with the certificates for
/// TLS) into `cfg`; nothing when publishing is off.
void configure_publish(caf::actor_system_config& cfg,
                       const publish_options& opts);

/// Spawns the node gate in front of `hub`, `arbiter` and the notice
/// `journal` (none: nodes cannot ask for notices since a seq) and `feed`
/// (none: nodes get no slot events) and publishes
/// it; returns the bound port. Through `relay` (started here on `io`),
/// which terminates TLS when configured and hands each checked connection
/// to the middleman, so CAF itself listens on no port. With TLS a node's
/// name must be its certificate's CN. Throws std::runtime_error naming the
/// address.
std::uint16_t start_node_gate(caf::actor_system& sys, net::io_runner& io,
                              const publish_options& o, const hub_actor& hub,
                              const slot_arbiter_actor& arbiter,
                              node_gate_actor& gate,
                              std::unique_ptr<net::publish_relay>& relay,
                              std::optional<notice_journal_actor> journal = {},
                              std::optional<slot_feed_actor> feed = {});

} // namespace kisrt::app
