// SPDX-License-Identifier: Apache-2.0
// What the connection actor needs from outside, as plain C++: a transport
// (one WebSocket connection to KIS, or a scripted one) and a way to get an
// approval key. Production builds them on Beast and the REST client
// (net/kis_transport.hpp); the scenario runner on its scripted KIS.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace kisrt::net {

/// Where a transport reports to. The connection actor builds these so that
/// each one only sends the actor a message: they may run on any thread
/// (an io thread, or the caller's, inside start() or send()).
struct transport_events {
  std::function<void()> opened;
  std::function<void(std::string&&)> message;
  /// Called at most once when the connection ends for any reason; `stage`
  /// names where ("connect", "handshake", "read", ...), `reason` says why.
  std::function<void(const std::string& stage, const std::string& reason)>
      closed;
};

/// One connection to the server: start() once, then send text frames until
/// close() or abort(). Every call returns at once; results come back as
/// transport_events.
class transport {
public:
  virtual ~transport() = default;

  /// Connects; reports opened, or closed with the failing stage.
  virtual void start() = 0;

  /// Queues a text frame.
  virtual void send(std::string text) = 0;

  /// Sends a close frame and ends the connection.
  virtual void close() = 0;

  /// Drops the connection without a close frame.
  virtual void abort() = 0;
};

/// Makes a new, not yet started transport reporting to `events`. May throw
/// std::runtime_error (e.g. a bad TLS setup).
using transport_factory =
    std::function<std::unique_ptr<transport>(transport_events events)>;

/// The answer to an approval-key request: `ok` with the key, or not `ok`
/// with why. The key is a secret: never logged.
using approval_done = std::function<void(bool ok, std::string key_or_error)>;

/// Starts an approval-key request; `done` runs once, on any thread.
using approval_fetcher = std::function<void(approval_done done)>;

} // namespace kisrt::net
