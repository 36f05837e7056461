// SPDX-License-Identifier: Apache-2.0
// What a stream client may send (docs/stream.md), parsed and bounded: one
// JSON object per text frame with an "op" and its fields. Plain C++; the
// JSON parser stays in the .cpp file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kisrt::net {

enum class stream_op_kind {
  hello,
  subscribe,
  unsubscribe,
  request,
  release,
  slots,
};

/// The op's name as the client writes it ("hello", ...).
const char* to_string(stream_op_kind k) noexcept;

struct stream_op {
  stream_op_kind kind = stream_op_kind::hello;
  std::string name;              ///< hello
  std::string tr_id;             ///< subscribe, unsubscribe, request, release
  std::vector<std::string> keys; ///< subscribe, unsubscribe (empty: all)
  std::string key;               ///< request, release
  int priority = 3;              ///< request (default: a scanner's level)
};

/// Bounds on one op (hostile input never costs more than these).
struct stream_op_limits {
  std::size_t max_depth = 4;   ///< JSON nesting
  std::size_t max_keys = 256;  ///< "keys" of one subscribe
  std::size_t max_string = 64; ///< any string value
  std::size_t max_members = 8; ///< members of the object
};

/// Parses one frame into `out`. Returns empty on success, else why not
/// (printable, without the frame's content beyond the op's name when
/// known). `op` is set to the op's name whenever one could be read, for the
/// error event.
std::string parse_stream_op(std::string_view text, stream_op& out,
                            std::string& op, const stream_op_limits& lim = {});

} // namespace kisrt::net
