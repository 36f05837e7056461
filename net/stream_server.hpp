// SPDX-License-Identifier: Apache-2.0
// The gateway's WebSocket JSON stream (docs/stream.md), on Beast without
// Beast in this header. It accepts clients (TLS when a certificate is set,
// a bearer token in the upgrade request when one is set), hands their text
// frames to a callback and writes what the owner queues for each client:
// one bounded queue per client where a frame with a conflation key
// replaces the queued frame of the same key, and any other frame is never
// dropped; a client whose queue passes its bound is closed with a reason.
// No actors here: apps/kisrt wires the callbacks to actors/stream_gate.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace kisrt::net {

class io_runner;

/// Where a stream's frames go: the server, or a fake in tests.
class stream_out {
public:
  virtual ~stream_out();

  /// Queues a text frame for client `id`; thread-safe. With a non-empty
  /// `conflate_key`, a frame of that key still queued is replaced (its
  /// place in the queue kept); without, the frame is never dropped. A
  /// client whose queue holds more than its bound is closed with a
  /// reason. Unknown or closed clients: nothing happens.
  virtual void send(std::uint64_t id, std::string text,
                    std::string_view conflate_key = {}) = 0;

  /// Sends what is queued, then closes client `id` with close code 1008
  /// and `reason` (cut to 120 bytes); thread-safe.
  virtual void close(std::uint64_t id, std::string reason) = 0;
};

struct stream_server_options {
  std::string host = "127.0.0.1"; ///< numeric
  std::uint16_t port = 0;         ///< 0: the OS chooses
  /// TLS (wss) when set: the server's certificate chain and key (PEM).
  std::string certificate;
  std::string key;
  std::string passphrase;
  /// Non-empty: the upgrade request needs `Authorization: Bearer <token>`
  /// (else 401). Compared in constant time; never logged.
  std::string bearer_token;
  std::size_t max_clients = 64;
  /// Largest text frame a client may send.
  std::size_t max_frame = 16 * 1024;
  /// Largest upgrade request (its header).
  std::size_t max_header = 8 * 1024;
  /// Frames queued for one client before it counts as too slow.
  std::size_t max_queue = 20000;
  /// For the TLS and WebSocket handshakes, and for the close handshake.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds{10}};
  /// A client silent this long gets a ping; one silent twice as long is
  /// closed (Beast's idle timeout with keep-alive pings).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};

  bool tls() const noexcept { return !certificate.empty(); }
};

struct stream_server_stats {
  std::atomic<std::uint64_t> accepted{0};  ///< upgraded to WebSocket
  std::atomic<std::uint64_t> busy{0};      ///< closed: max_clients reached
  std::atomic<std::uint64_t> refused{0};   ///< bad upgrade, TLS or token
  std::atomic<std::uint64_t> slow{0};      ///< closed: queue past max_queue
  std::atomic<std::uint64_t> sent{0};      ///< frames written
  std::atomic<std::uint64_t> conflated{0}; ///< frames replaced by newer ones
  std::atomic<std::uint64_t> open{0};      ///< clients connected now
};

/// Callbacks run on the io thread; keep them short (send an actor message).
struct stream_callbacks {
  /// A client finished its handshake; `peer` is "address:port".
  std::function<void(std::uint64_t id, const std::string& peer)> opened;
  /// One text frame of client `id`.
  std::function<void(std::uint64_t id, std::string&& text)> message;
  /// Client `id` is gone (once per opened client), with why.
  std::function<void(std::uint64_t id, const std::string& reason)> closed;
  /// One line per refused connection (no peer data beyond numbers).
  std::function<void(const std::string&)> log;
};

class stream_server : public stream_out {
public:
  /// Binds `host:port` and starts accepting on `io`. Throws
  /// std::runtime_error naming the address or the file that failed.
  stream_server(io_runner& io, stream_server_options opts,
                stream_callbacks cbs);
  ~stream_server() override;

  stream_server(const stream_server&) = delete;
  stream_server& operator=(const stream_server&) = delete;

  std::uint16_t port() const noexcept;

  void send(std::uint64_t id, std::string text,
            std::string_view conflate_key = {}) override;

  void close(std::uint64_t id, std::string reason) override;

  /// Stops accepting and closes every client. Idempotent.
  void stop();

  const stream_server_stats& stats() const noexcept;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt::net
