// SPDX-License-Identifier: Apache-2.0
// A WebSocket client on Boost.Beast, without Beast in this header.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "net/tls.hpp"
#include "net/url.hpp"

namespace kisrt::net {

class io_runner;

struct ws_options {
  url endpoint; ///< ws:// (KIS) or wss:// (users who tunnel)
  tls_options tls;
  /// Largest message accepted; KIS batches exceed 8 KiB.
  std::size_t max_message = 8 * 1024 * 1024;
  /// Limit for resolve+connect+handshake, and for the closing handshake
  /// on close().
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds close_timeout{1500};
  /// Non-empty: sent as `Authorization: Bearer <token>` in the upgrade
  /// request (the gateway's stream; KIS takes none).
  std::string bearer_token;
};

/// Callbacks run on the io thread; keep them short (send an actor
/// message and return).
struct ws_callbacks {
  std::function<void()> opened;
  std::function<void(std::string&&)> message;
  /// Called exactly once when the connection ends for any reason; `stage`
  /// names where ("resolve", "connect", "tls", "handshake", "read",
  /// "write", "close"), `reason` says why.
  std::function<void(const std::string& stage, const std::string& reason)>
      closed;
};

/// One WebSocket connection: one strand, one write in flight with a queue,
/// no client-initiated pings (KIS drops clients that ping), pongs to server
/// pings answered by Beast.
class ws_client {
public:
  virtual ~ws_client();

  /// Resolves, connects and reads until closed. Call once.
  virtual void start() = 0;

  /// Queues a text frame; thread-safe (posts to the strand).
  virtual void send(std::string text) = 0;

  /// Sends a close frame and ends the connection; thread-safe.
  virtual void close() = 0;

  /// Drops the TCP connection without a close frame; thread-safe.
  virtual void abort() = 0;
};

/// Creates a client; throws std::runtime_error for a bad TLS setup.
std::shared_ptr<ws_client> make_ws_client(io_runner& io, ws_options opts,
                                          ws_callbacks cbs);

} // namespace kisrt::net
