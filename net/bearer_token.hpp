// SPDX-License-Identifier: Apache-2.0
// The bearer token of the admin API and the stream: kept as a SHA-256
// digest, an Authorization header compared in constant time, so neither
// the token's content nor its length leaks through timing.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace kisrt::net {

class bearer_token {
public:
  bearer_token() = default;

  /// Empty `token`: every request passes.
  explicit bearer_token(std::string_view token);

  bool empty() const noexcept { return empty_; }

  /// Empty when `authorization` (the header's value; null: no header)
  /// carries the token or none is required; else why not (never the token).
  std::string check(const std::string_view* authorization) const;

private:
  bool empty_ = true;
  std::array<unsigned char, 32> digest_{};
};

/// ASCII case-insensitive equality (header names, the "Bearer " scheme).
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;

} // namespace kisrt::net
