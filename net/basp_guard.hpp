// SPDX-License-Identifier: Apache-2.0
// Checks the byte stream a node sends to the gateway's middleman (CAF 0.17.6
// BASP, caf/io/basp/header.hpp) before any of it reaches CAF: every header
// is read whole, and a payload larger than the limit, anything before the
// client handshake, a handshake for another node id, routed messages (which
// would let a node speak for another node or for the gateway's own actors) and
// monitor or down messages in another node's name close the connection. CAF
// 0.17.6 has no limit of its own: a header declaring 4 GiB made it allocate
// them. Plain C++, no sockets: the relay (net/publish_relay.hpp) feeds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kisrt::net {

/// BASP 0.17.6: operation (1), padding (2), flags (1), payload_len (4),
/// operation_data (8), source_actor (8), dest_actor (8), big-endian.
constexpr std::size_t basp_header_size = 32;

enum class basp_op : std::uint8_t {
  server_handshake = 0x00,
  client_handshake = 0x01,
  direct_message = 0x02,
  routed_message = 0x03,
  monitor_message = 0x04,
  down_message = 0x05,
  heartbeat = 0x06,
};

struct basp_guard_limits {
  /// Largest payload of one message (publish.max_message).
  std::uint32_t max_payload = 4u << 20;
  /// Largest client handshake payload (a serialized node id).
  std::uint32_t max_handshake = 1024;
};

class basp_guard {
public:
  explicit basp_guard(basp_guard_limits limits = {})
      : limits_(limits) {
    // nop
  }

  /// Takes `n` bytes from the node; appends the bytes that may go on to
  /// CAF to `out` (bytes of an unfinished header or of a payload prefix
  /// still being checked wait inside). False: close the connection now,
  /// `error()` says why; nothing of the offending message went out.
  bool feed(const char* data, std::size_t n, std::vector<char>& out);

  /// The node sent its client handshake.
  bool handshake_done() const noexcept { return !node_.empty(); }

  /// The node's serialized id, from its client handshake.
  std::string node_id() const { return {node_.begin(), node_.end()}; }

  const std::string& error() const noexcept { return error_; }

  /// Complete headers accepted so far.
  std::uint64_t headers() const noexcept { return headers_; }

private:
  bool on_header(std::vector<char>& out);
  bool on_checked_prefix(std::vector<char>& out);
  bool fail(std::string why);

  basp_guard_limits limits_;
  char header_[basp_header_size] = {};
  std::size_t have_ = 0;           ///< header bytes so far
  std::uint64_t payload_left_ = 0; ///< payload bytes still to pass
  std::uint8_t op_ = 0;
  std::size_t check_ = 0;  ///< payload bytes to hold and check first
  bool repeat_ = false;    ///< the handshake being checked is a repeat
  std::vector<char> held_; ///< header + payload prefix under check
  std::vector<char> node_; ///< the node's serialized id (its handshake)
  std::uint64_t headers_ = 0;
  std::string error_;
};

} // namespace kisrt::net
