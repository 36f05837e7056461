// SPDX-License-Identifier: Apache-2.0
// The overseas balance (GET /uapi/overseas-stock/v1/trading/inquire-balance,
// TTTS3012R, VTTS3012R on paper): the query, the answer, and the key a
// holding takes in the real-time overseas TRs (HDFSCNT0).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/kis/error.hpp"

namespace kisrt::kis {

/// One row of the overseas balance's output1.
struct overseas_balance_row {
  std::string symbol;   ///< ovrs_pdno (AAPL)
  std::string exchange; ///< ovrs_excg_cd (NASD, NYSE, AMEX, SEHK, ...)
  std::string name;     ///< ovrs_item_name
  std::int64_t qty = 0; ///< ovrs_cblc_qty
};

struct overseas_balance_page {
  std::vector<overseas_balance_row> rows;
  std::string ctx_fk200;
  std::string ctx_nk200;
  /// tr_cont response header F/M: another page follows.
  bool more = false;
};

/// Rows per answer at most (a hostile body is refused past it).
constexpr std::size_t max_overseas_balance_rows = 1000;

/// Parses an overseas inquire-balance body; `tr_cont` is the response
/// header.
codec_error parse_overseas_balance_response(std::string_view body,
                                            std::string_view tr_cont,
                                            overseas_balance_page& out);

/// The query of the overseas inquire-balance for `cano` on the balance
/// exchange `exchange` (NASD, NYSE, AMEX, SEHK, SHAA, SZAA, TKSE, HASE,
/// VNSE) in its trading currency.
std::string overseas_balance_query(std::string_view cano,
                                   std::string_view exchange,
                                   std::string_view fk200,
                                   std::string_view nk200);

/// True for an exchange code the balance call takes.
bool is_balance_exchange(std::string_view exchange) noexcept;

/// The real-time key of a holding: `D` + the exchange's real-time code
/// (NASD -> NAS, NYSE -> NYS, AMEX -> AMS, SEHK -> HKS, SHAA -> SHS,
/// SZAA -> SZS, TKSE -> TSE, HASE -> HNX, VNSE -> HSX) + the symbol, e.g.
/// DNASAAPL. Empty for an unknown exchange or an unusable symbol.
std::string overseas_realtime_key(std::string_view exchange,
                                  std::string_view symbol);

} // namespace kisrt::kis
