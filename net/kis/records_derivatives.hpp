// SPDX-License-Identifier: Apache-2.0
// Typed records of KOSPI200 index futures and options (KRX day session):
// trades H0IFCNT0 and H0IOCNT0, books H0IFASP0 and H0IOASP0. Prices carry
// two decimals on the wire ("367.35") and are kept exact as fixed4.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

/// H0IFCNT0 (50 fields): one futures trade. Key: the futures short code as
/// KIS writes it (e.g. 101W09 or A01606).
struct futures_trade {
  std::string symbol; ///< FUTS_SHRN_ISCD
  hms time;           ///< BSOP_HOUR
  fixed4 price;       ///< FUTS_PRPR
  std::uint8_t sign = 0;
  fixed4 change; ///< FUTS_PRDY_VRSS
  fixed4 change_rate;
  fixed4 open, high, low;
  std::int64_t volume = 0;               ///< LAST_CNQN
  std::int64_t cum_volume = 0;           ///< ACML_VOL
  std::int64_t cum_value = 0;            ///< ACML_TR_PBMN, as KIS sends it
  fixed4 theoretical;                    ///< HTS_THPR
  fixed4 market_basis;                   ///< MRKT_BASIS
  fixed4 theoretical_basis;              ///< THPR_BASIS
  fixed4 disparity;                      ///< DPRT, percent
  std::int64_t open_interest = 0;        ///< HTS_OTST_STPL_QTY
  std::int64_t open_interest_change = 0; ///< OTST_STPL_QTY_ICDC
  fixed4 ask1, bid1;
  std::int64_t ask1_qty = 0;
  std::int64_t bid1_qty = 0;
  std::int64_t total_ask_qty = 0;
  std::int64_t total_bid_qty = 0;
  fixed4 upper_limit; ///< DYNM_MXPR, the real-time upper limit
  fixed4 lower_limit; ///< DYNM_LLAM
  friend bool operator==(const futures_trade&, const futures_trade&) noexcept;
};

/// H0IOCNT0 (58 fields): one options trade. Key: the option short code
/// (e.g. 201W09340). Greeks and volatilities are model outputs with more
/// decimals than prices: they are doubles.
struct option_trade {
  std::string symbol; ///< OPTN_SHRN_ISCD
  hms time;
  fixed4 price; ///< OPTN_PRPR
  std::uint8_t sign = 0;
  fixed4 change;
  fixed4 change_rate;
  fixed4 open, high, low;
  std::int64_t volume = 0; ///< LAST_CNQN
  std::int64_t cum_volume = 0;
  std::int64_t cum_value = 0;
  fixed4 theoretical; ///< HTS_THPR
  std::int64_t open_interest = 0;
  std::int64_t open_interest_change = 0;
  fixed4 intrinsic_value; ///< INVL_VAL
  fixed4 time_value;      ///< TMVL_VAL
  double delta = 0, gamma = 0, vega = 0, theta = 0, rho = 0;
  double implied_vol = 0; ///< HTS_INTS_VLTL, percent
  fixed4 ask1, bid1;
  std::int64_t ask1_qty = 0;
  std::int64_t bid1_qty = 0;
  std::int64_t total_ask_qty = 0;
  std::int64_t total_bid_qty = 0;
  fixed4 upper_limit; ///< DYNM_MXPR
  fixed4 lower_limit; ///< DYNM_LLAM
  friend bool operator==(const option_trade&, const option_trade&) noexcept;
};

/// One price level of a futures or options book.
struct derivative_level {
  fixed4 price;
  std::int64_t qty = 0;   ///< *_RSQN
  std::int64_t count = 0; ///< *_CSNU, number of orders
  friend bool operator==(const derivative_level&,
                         const derivative_level&) noexcept;
};

/// H0IFASP0 and H0IOASP0 (38 fields each, the same positions): five levels
/// each side with order counts.
struct derivative_book {
  std::string symbol;
  hms time;
  std::array<derivative_level, 5> asks;
  std::array<derivative_level, 5> bids;
  std::int64_t total_ask_count = 0;
  std::int64_t total_bid_count = 0;
  std::int64_t total_ask_qty = 0;
  std::int64_t total_bid_qty = 0;
  std::int64_t total_ask_qty_change = 0; ///< TOTAL_ASKP_RSQN_ICDC
  std::int64_t total_bid_qty_change = 0; ///< TOTAL_BIDP_RSQN_ICDC
  friend bool operator==(const derivative_book&,
                         const derivative_book&) noexcept;
};

// Same contract as the decode() overloads of net/kis/records.hpp.
codec_error decode(const record_view& r, futures_trade& out);
codec_error decode(const record_view& r, option_trade& out);
codec_error decode(const record_view& r, derivative_book& out);

} // namespace kisrt::kis
