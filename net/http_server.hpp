// SPDX-License-Identifier: Apache-2.0
// A small asynchronous HTTP/1.1 server for the gateway's admin API (JSON).
// Handlers answer later through a `respond` callback, so they can ask
// actors first without blocking the io thread. Hostile input is answered
// (400, 401, 413, 431) or the socket is closed; sizes, time and
// connections are bounded (docs/security.md, "Admin HTTP").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http_client.hpp"
#include "net/http_request_reader.hpp"

namespace kisrt::net {

class io_runner;

/// Sends the response; callable from any thread, once.
using http_respond = std::function<void(http_response)>;

using http_handler =
    std::function<void(http_server_request, http_respond respond)>;

struct http_server_options {
  http_limits limits;
  /// A request must arrive whole within this time after the connection
  /// opened or the previous answer went out (and an answer must be taken
  /// within it); else the socket is closed.
  std::chrono::milliseconds request_timeout{std::chrono::seconds{10}};
  /// Open connections at most; past it a new one is closed at once.
  std::size_t max_connections = 64;
  /// Pause before accepting again after accept failed (out of file
  /// descriptors: EMFILE, ENFILE; ENOBUFS, ENOMEM; anything but a
  /// connection reset before it was taken); doubles while failures go on,
  /// up to 16 times this.
  std::chrono::milliseconds accept_backoff{100};
  /// Non-empty: every request needs `Authorization: Bearer <token>`;
  /// otherwise 401. Compared in constant time; never logged.
  std::string bearer_token;
  /// Receives one line per notable event (refused requests, accept
  /// pauses), on the io thread; never request content or the token.
  std::function<void(const std::string&)> log;
};

class http_server {
public:
  /// Binds `host:port` (numeric host; port 0: the OS chooses). Throws
  /// std::runtime_error naming the address when binding fails.
  http_server(io_runner& io, const std::string& host, std::uint16_t port,
              http_handler handler, http_server_options opts = {});
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const noexcept;

  /// Stops accepting; open connections finish their current request.
  void stop();

  /// Counters for tests and metrics.
  struct counters {
    std::uint64_t accept_attempts = 0; ///< accept calls started
    std::uint64_t accept_failures = 0; ///< accepts that returned an error
    std::uint64_t open_connections = 0;
    std::uint64_t accept_pause_ms = 0; ///< the current pause (0: none)
  };
  counters stats() const noexcept;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt::net
