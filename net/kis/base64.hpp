// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kisrt::kis {

/// Standard base64 (RFC 4648, '+' '/', '=' padding) into `out` (replaced).
void base64_encode(std::string_view in, std::string& out);

/// Strict decoding into `out` (replaced): the length must be a multiple of
/// four, padding only at the end. Returns npos on success, else the offset
/// of the first offending character (or `in.size()` for a bad length).
std::size_t base64_decode(std::string_view in, std::string& out);

} // namespace kisrt::kis
