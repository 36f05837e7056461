// SPDX-License-Identifier: Apache-2.0
// `HOST:PORT` of a listening socket, as the configuration writes it:
// an IPv4 address, `localhost`, or an IPv6 address in brackets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kisrt::net {

struct listen_address {
  std::string host; ///< numeric, without brackets: "127.0.0.1", "::1"
  std::uint16_t port = 0;
  /// 127.0.0.0/8 or ::1, judged on the parsed address.
  bool loopback = false;
};

/// Parses `127.0.0.1:8080`, `localhost:0` (127.0.0.1), `[::1]:8080`,
/// `0.0.0.0:0`, `[::]:0`. Returns why not (naming the part at fault), or
/// empty on success. No name lookup: a host other than `localhost` must
/// be an address.
std::string parse_listen_address(std::string_view text, listen_address& out);

/// Whether `ip` (numeric, no brackets) is in 127.0.0.0/8 or is ::1; false
/// for anything that is not an address.
bool is_loopback_address(const std::string& ip);

} // namespace kisrt::net
