// SPDX-License-Identifier: Apache-2.0
// The guard in front of the gateway's publish port. It accepts
// the nodes' TCP connections itself and hands CAF only the gateway's end
// of a socket pair per connection (CAF never listens on a port, so nothing
// bypasses the guard). Bytes from the node pass a basp_guard
// (net/basp_guard.hpp): an oversized header closes the connection before
// anything is allocated; so does a node that has not sent its handshake
// within the handshake timeout, and connections past a limit are closed
// at once. With TLS it terminates mutual TLS itself and reports each
// node's certificate subject. Bytes to the node pass unchanged. Asio and
// OpenSSL inside; no CAF here.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace kisrt::net {

class io_runner;

struct publish_relay_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0: the OS chooses
  std::uint32_t max_message = 4u << 20;
  /// For the TLS handshake (with TLS) and the BASP client handshake.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds{10}};
  std::size_t max_connections = 64;
  /// Mutual TLS, terminated here: the relay presents `certificate`
  /// (`key`, `passphrase`) and requires a node certificate signed by
  /// `cafile`; CAF only ever sees connections that passed. Empty
  /// certificate: plain TCP.
  std::string certificate;
  std::string key;
  std::string cafile;
  std::string passphrase;

  bool tls() const noexcept { return !certificate.empty(); }
};

struct publish_relay_stats {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> busy{0};      ///< closed: too many connections
  std::atomic<std::uint64_t> refused{0};   ///< closed by the guard
  std::atomic<std::uint64_t> timed_out{0}; ///< no handshake in time
  std::atomic<std::uint64_t> forwarded{0}; ///< bytes node -> gateway
};

/// Takes the gateway's end of a new connection's socket pair (ownership
/// of the file descriptor included); false: it could not.
using relay_attach = std::function<bool(int fd)>;

/// Called with a one-line reason for each connection the relay closes
/// (for the log; no peer data in it beyond numbers).
using relay_report = std::function<void(const std::string&)>;

/// A node's identity: its serialized BASP node id (from its client
/// handshake) and its certificate's subject CN (empty without TLS).
/// Called with `up` before any byte after the handshake reaches CAF, and
/// with `!up` when that connection ends.
using relay_identity = std::function<void(const std::string& node_id,
                                          const std::string& subject, bool up)>;

class publish_relay {
public:
  /// Binds `host:port`. Throws std::runtime_error naming the address.
  publish_relay(io_runner& io, publish_relay_options opts, relay_attach attach,
                relay_report report = {}, relay_identity identity = {});
  ~publish_relay();

  publish_relay(const publish_relay&) = delete;
  publish_relay& operator=(const publish_relay&) = delete;

  std::uint16_t port() const noexcept;

  const publish_relay_stats& stats() const noexcept;

  /// Stops accepting and closes every connection.
  void stop();

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt::net
