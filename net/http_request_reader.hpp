// SPDX-License-Identifier: Apache-2.0
// Turns the bytes of an HTTP/1.1 connection into requests, within limits:
// the admin server feeds it what it reads, and so does the fuzz target
// (tests/fuzz/fuzz_http_request.cpp). Every malformed or oversized input
// ends as a status to answer (400, 413, 431), never as an exception.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "net/http_client.hpp"

namespace kisrt::net {

struct http_server_request {
  std::string method;
  std::string target; ///< path and query
  header_list headers;
  std::string body;
};

/// Per-request bounds. Memory held for one connection stays below
/// header_bytes + trailer_bytes + body_bytes plus one read.
struct http_limits {
  /// Request line and header fields together (431 past it).
  std::size_t header_bytes = 8 * 1024;
  /// The last chunk line and the trailer fields together, and any one
  /// chunk-size line (431 past it).
  std::size_t trailer_bytes = 8 * 1024;
  /// The body, chunked or not (413 past it).
  std::size_t body_bytes = 1024 * 1024;
};

class http_request_reader {
public:
  enum class state { need_more, done, failed };

  explicit http_request_reader(http_limits limits = {});
  ~http_request_reader();

  http_request_reader(const http_request_reader&) = delete;
  http_request_reader& operator=(const http_request_reader&) = delete;

  /// Appends `bytes` and parses as far as they go.
  state feed(std::string_view bytes);

  /// Parses what is already buffered (after take(): pipelined requests).
  state parse();

  /// After `done`: the request; the reader then starts on the next one
  /// with the bytes left over.
  http_server_request take();

  /// After `done`: whether the connection may carry another request.
  bool keep_alive() const noexcept;

  /// After `failed`: 400, 413 or 431, and why (never request content).
  int error_status() const noexcept { return error_status_; }
  const std::string& error() const noexcept { return error_; }

  /// Bytes received and not yet parsed (bounded: see http_limits).
  std::size_t buffered_bytes() const noexcept;

private:
  state fail(int status, std::string why);

  struct impl;
  std::unique_ptr<impl> impl_;
  int error_status_ = 0;
  std::string error_;
};

} // namespace kisrt::net
