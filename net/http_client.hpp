// SPDX-License-Identifier: Apache-2.0
// An asynchronous HTTP(S) client for KIS REST calls, without Beast in this
// header. One connection per request: REST calls here are rare (auth,
// balance polls, rankings) and a fresh connection never carries a stale
// state.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/tls.hpp"
#include "net/url.hpp"

namespace kisrt::net {

class io_runner;

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
  std::string method = "GET";
  std::string target = "/"; ///< path and query
  header_list headers;
  std::string body;
};

struct http_response {
  /// 0 when the request failed before a status line arrived.
  int status = 0;
  header_list headers;
  std::string body;
  /// Transport failure naming its stage ("connect: Connection refused");
  /// empty on success. Never contains request headers or bodies (they may
  /// carry secrets).
  std::string error;

  /// First header named `name`, compared case-insensitively; empty if none.
  std::string_view header(std::string_view name) const noexcept;
};

struct http_options {
  url base; ///< http:// or https:// host and port; target comes per request
  tls_options tls;
  std::chrono::milliseconds timeout{10000};
  std::size_t max_body = 8 * 1024 * 1024;
};

class http_client {
public:
  /// Throws std::runtime_error for a bad TLS setup (e.g. unreadable CA file).
  http_client(io_runner& io, http_options opts);
  ~http_client();

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Starts a request; `done` runs once on the io thread. Thread-safe.
  void async_request(http_request req, std::function<void(http_response)> done);

  const http_options& options() const noexcept;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt::net
