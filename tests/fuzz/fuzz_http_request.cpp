// SPDX-License-Identifier: Apache-2.0
// The admin server's request reader (net/http_request_reader.hpp), fed as
// the server feeds it: the bytes of one connection in pieces. The first
// three bytes pick the header and trailer limits and the piece size, so
// the limit paths are reached with short inputs. Any exception, sanitizer
// report or broken bound is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/http_request_reader.hpp"

using namespace kisrt::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < 3)
    return 0;
  http_limits limits;
  limits.header_bytes = 32 + std::size_t{data[0]} * 16;
  limits.trailer_bytes = 32 + std::size_t{data[1]} * 16;
  limits.body_bytes = 4096;
  std::size_t piece = 1 + std::size_t{data[2]} * 8;
  std::string_view in{reinterpret_cast<const char*>(data) + 3, size - 3};
  http_request_reader reader{limits};
  // Waiting for more, the reader holds less than one window.
  auto bound = std::max(limits.header_bytes, limits.trailer_bytes);
  while (!in.empty()) {
    auto n = std::min(piece, in.size());
    auto st = reader.feed(in.substr(0, n));
    in.remove_prefix(n);
    while (st == http_request_reader::state::done) {
      auto req = reader.take();
      if (req.body.size() > limits.body_bytes)
        std::abort();
      st = reader.parse();
    }
    if (st == http_request_reader::state::failed) {
      auto s = reader.error_status();
      if ((s != 400 && s != 413 && s != 431) || reader.buffered_bytes() != 0)
        std::abort();
      return 0;
    }
    if (reader.buffered_bytes() >= bound)
      std::abort();
  }
  return 0;
}
