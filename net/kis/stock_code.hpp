// SPDX-License-Identifier: Apache-2.0
// The KRX short code check: the one place that says what a domestic stock
// code looks like, for the picks store, the picks loader, the gateway's
// options and the node gate's key check.
#pragma once

#include <string_view>

namespace kisrt::kis {

/// A KRX short code: exactly 6 characters, each a digit or a capital letter
/// ("005930", "0008Z0").
constexpr bool is_stock_code(std::string_view code) noexcept {
  if (code.size() != 6)
    return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
      return false;
  return true;
}

} // namespace kisrt::kis
