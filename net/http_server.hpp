// SPDX-License-Identifier: Apache-2.0
// A small asynchronous HTTP/1.1 server for the gateway's admin API (loopback
// JSON). Handlers answer later through a `respond` callback, so they can ask
// actors first without blocking the io thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http_client.hpp"

namespace kisrt::net {

class io_runner;

struct http_server_request {
  std::string method;
  std::string target; ///< path and query
  header_list headers;
  std::string body;
};

/// Sends the response; callable from any thread, once.
using http_respond = std::function<void(http_response)>;

using http_handler =
    std::function<void(http_server_request, http_respond respond)>;

class http_server {
public:
  /// Binds `host:port` (port 0: the OS chooses). Throws std::runtime_error
  /// naming the address when binding fails.
  http_server(io_runner& io, const std::string& host, std::uint16_t port,
              http_handler handler);
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const noexcept;

  /// Stops accepting; open connections finish their current request.
  void stop();

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt::net
