// SPDX-License-Identifier: Apache-2.0
// The current price of one key by REST (rest.md, "Current price"):
// inquire-price (FHKST01010100) for domestic stocks and the overseas price
// call (HHDFS00000300) for overseas keys. The answer becomes a
// price_snapshot: the fields a trade carries, flagged as a snapshot, so a
// subscriber has a price before the key's first trade.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

/// A key's price as REST reported it when it became active.
struct price_snapshot {
  /// The key it was asked for: "005930", or the RSYM "DNASAAPL".
  std::string symbol;
  /// KST time of the answer (REST carries none; the asker's clock).
  hms time;
  fixed4 price;
  std::uint8_t sign = 0;       ///< PRDY_VRSS_SIGN / sign: 1..5
  fixed4 change;               ///< prdy_vrss / diff, as KIS sends it
  fixed4 change_rate;          ///< prdy_ctrt / rate, percent
  std::int64_t cum_volume = 0; ///< acml_vol / tvol
  /// Always true: a price asked for, not a trade that happened.
  bool snapshot = true;
  friend bool operator==(const price_snapshot& a,
                         const price_snapshot& b) noexcept {
    return a.symbol == b.symbol && a.time == b.time && a.price == b.price
           && a.sign == b.sign && a.change == b.change
           && a.change_rate == b.change_rate && a.cum_volume == b.cum_volume
           && a.snapshot == b.snapshot;
  }
};

/// A REST call that asks for one key's price.
struct price_call {
  std::string target; ///< path and query
  std::string tr_id;  ///< FHKST01010100 or HHDFS00000300
  bool overseas = false;
};

/// The call for `key`: a 6-character domestic code, or an overseas RSYM
/// ('D' or 'R', a 3-letter exchange, the symbol). False for anything else.
bool price_call_of(std::string_view key, price_call& out);

/// A snapshot comes from REST, never from a frame: always an error (the
/// decoder's dispatch over the list of events needs one per record).
codec_error decode(const record_view& r, price_snapshot& out);

/// Parses an inquire-price body into `out` (symbol and time untouched).
codec_error parse_domestic_price(std::string_view body, price_snapshot& out);

/// Parses an overseas price body into `out` (symbol and time untouched).
/// An empty `last` (no trade yet, or an unknown symbol) is an error.
codec_error parse_overseas_price(std::string_view body, price_snapshot& out);

} // namespace kisrt::kis
