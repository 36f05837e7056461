// SPDX-License-Identifier: Apache-2.0
// Typed records of the core TRs, decoded from record_views. Plain data:
// messages/ gives them inspect() so they can cross to remote nodes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

enum class side : std::uint8_t { none = 0, buy = 1, sell = 2 };

/// CCLD_DVSN / CNTG_CLS_CODE of a trade: 1 buy, 3 pre-open, 5 sell.
enum class trade_class : std::uint8_t {
  unknown = 0,
  buy = 1,
  pre_open = 3,
  sell = 5
};

/// H0STCNT0, H0UNCNT0, H0NXCNT0 (46 fields).
struct trade {
  std::string symbol;
  hms time;
  std::int32_t date = 0; ///< BSOP_DATE, YYYYMMDD
  std::int64_t price = 0;
  std::uint8_t sign = 0; ///< PRDY_VRSS_SIGN 1..5
  std::int64_t change = 0;
  fixed4 change_rate;
  std::int64_t open = 0;
  std::int64_t high = 0;
  std::int64_t low = 0;
  std::int64_t ask1 = 0;
  std::int64_t bid1 = 0;
  std::int64_t volume = 0;     ///< CNTG_VOL
  std::int64_t cum_volume = 0; ///< ACML_VOL
  std::int64_t cum_value = 0;  ///< ACML_TR_PBMN
  trade_class cls = trade_class::unknown;
  bool halted = false; ///< TRHT_YN
  friend bool operator==(const trade&, const trade&) noexcept;
};

struct book_level {
  std::int64_t price = 0;
  std::int64_t qty = 0;
  friend bool operator==(book_level a, book_level b) noexcept {
    return a.price == b.price && a.qty == b.qty;
  }
};

/// Mid-point orders resting in a venue's book (NXT and combined books).
struct book_mid {
  std::int64_t price = 0;     ///< KMID_PRC / NMID_PRC
  std::int64_t total_qty = 0; ///< KMID_TOTAL_RSQN / NMID_TOTAL_RSQN
  std::string cls;            ///< KMID_CLS_CODE / NMID_CLS_CODE, as sent
  friend bool operator==(const book_mid&, const book_mid&) noexcept;
};

/// H0STASP0 (59 known fields, 10 levels); H0NXASP0 and H0UNASP0 (65: the
/// same 59, then the KRX and NXT mid-point fields). A KRX book leaves the
/// mids zero.
struct order_book {
  std::string symbol;
  hms time;
  std::string hour_cls; ///< HOUR_CLS_CODE
  std::array<book_level, 10> asks;
  std::array<book_level, 10> bids;
  std::int64_t total_ask_qty = 0;
  std::int64_t total_bid_qty = 0;
  std::int64_t expected_price = 0; ///< ANTC_CNPR
  std::int64_t expected_qty = 0;   ///< ANTC_CNQN
  std::int64_t cum_volume = 0;
  book_mid krx_mid; ///< KMID_*: H0NXASP0, H0UNASP0 only
  book_mid nxt_mid; ///< NMID_*: H0NXASP0, H0UNASP0 only
  friend bool operator==(const order_book&, const order_book&) noexcept;
};

enum class notice_kind : std::uint8_t {
  ack = 1, ///< CNTG_YN 1: order/amend/cancel/reject acknowledgement
  fill = 2 ///< CNTG_YN 2: execution
};

/// H0STCNI0 / H0STCNI9 (26 fields). For acks KIS puts the order quantity
/// and price where fills carry the fill quantity and price; this struct
/// sorts that out.
struct exec_notice {
  std::string customer_id;
  std::string account;
  std::string order_no;
  std::string orig_order_no;
  side order_side = side::none; ///< SELN_BYOV_CLS 01 sell, 02 buy
  notice_kind kind = notice_kind::ack;
  bool rejected = false; ///< RFUS_YN 1
  bool accepted = false; ///< ACPT_YN
  std::string symbol;
  std::int64_t fill_qty = 0;   ///< 0 for acks
  std::int64_t fill_price = 0; ///< 0 for acks
  std::int64_t order_qty = 0;
  std::int64_t order_price = 0;
  hms time;
  std::string name;          ///< CNTG_ISNM40, UTF-8
  std::uint8_t exchange = 0; ///< ORD_EXG_GB 1 KRX, 2 NXT, 3/4 SOR
  std::string correction;    ///< RCTF_CLS
  friend bool operator==(const exec_notice&, const exec_notice&) noexcept;
};

/// H0STPGM0 (11 fields).
struct program_trade {
  std::string symbol;
  hms time;
  std::int64_t sell_qty = 0;
  std::int64_t sell_value = 0;
  std::int64_t buy_qty = 0;
  std::int64_t buy_value = 0;
  std::int64_t net_qty = 0;
  std::int64_t net_value = 0;
  std::int64_t sell_rsqn = 0;
  std::int64_t buy_rsqn = 0;
  std::int64_t whole_net_qty = 0;
  friend bool operator==(const program_trade&, const program_trade&) noexcept;
};

/// H0STANC0 (45 fields): the expected (indicative) price before the open.
struct expected_trade {
  std::string symbol;
  hms time;
  std::int64_t price = 0;
  std::uint8_t sign = 0;
  std::int64_t change = 0;
  fixed4 change_rate;
  std::int64_t volume = 0;
  std::int64_t cum_volume = 0;
  friend bool operator==(const expected_trade&, const expected_trade&) noexcept;
};

/// H0STMKO0 (11 fields).
struct market_status {
  std::string symbol;
  bool halted = false;
  std::string suspension_reason;
  std::string op_code;          ///< MKOP_CLS_CODE
  std::string expected_op_code; ///< ANTC_MKOP_CLS_CODE
  std::string treatment_code;   ///< MRKT_TRTM_CLS_CODE
  std::string vi_code;          ///< VI_CLS_CODE
  std::string overtime_vi_code; ///< OVTM_VI_CLS_CODE
  std::string exchange_code;    ///< EXCH_CLS_CODE
  friend bool operator==(const market_status&, const market_status&) noexcept;
};

/// HDFSCNT0 (26 fields).
struct overseas_trade {
  std::string rsym; ///< e.g. DNASAAPL
  std::string symbol;
  std::int32_t decimals = 0; ///< ZDIV
  std::int32_t local_date = 0;
  hms local_time;
  std::int32_t kr_date = 0;
  hms kr_time;
  fixed4 open, high, low, last;
  std::uint8_t sign = 0;
  fixed4 change;
  fixed4 change_rate;
  fixed4 bid, ask;
  std::int64_t bid_qty = 0;
  std::int64_t ask_qty = 0;
  std::int64_t volume = 0;     ///< EVOL
  std::int64_t cum_volume = 0; ///< TVOL
  fixed4 cum_value;            ///< TAMT
  friend bool operator==(const overseas_trade&, const overseas_trade&) noexcept;
};

struct overseas_level {
  fixed4 bid, ask;
  std::int64_t bid_qty = 0;
  std::int64_t ask_qty = 0;
  std::int64_t bid_qty_change = 0;
  std::int64_t ask_qty_change = 0;
  friend bool operator==(const overseas_level&, const overseas_level&) noexcept;
};

/// HDFSASP0 / HDFSASP1: 11 + 6 x levels fields (1 level documented, US
/// books may carry 10). The level count comes from the record width.
struct overseas_book {
  std::string rsym;
  std::string symbol;
  std::int32_t decimals = 0;
  std::int32_t local_date = 0;
  hms local_time;
  std::int32_t kr_date = 0;
  hms kr_time;
  std::int64_t total_bid_qty = 0;
  std::int64_t total_ask_qty = 0;
  std::int64_t total_bid_change = 0;
  std::int64_t total_ask_change = 0;
  std::uint8_t level_count = 0;
  std::array<overseas_level, 10> levels;
  friend bool operator==(const overseas_book&, const overseas_book&) noexcept;
};

/// Markets whose overseas notices imply decimals in CNTG_UNPR.
enum class overseas_market : std::uint8_t { us, jp, cn, hk, vn };

/// The market of a KIS exchange code (the exchange of an overseas key:
/// NAS NYS AMS BAQ BAY BAA us, TSE jp, SHS SZS SHI SZI cn, HKS hk, HSX HNX
/// vn); false when unknown.
bool market_of_exchange(std::string_view exchange,
                        overseas_market& out) noexcept;

/// The market of an overseas notice's symbol (STCK_SHRN_ISCD), which the
/// notice does not name: 5 digits HK (00700), 6 digits CN (600519), 4
/// characters starting with 3 digits JP (7203, 130A), else US. Vietnamese
/// tickers look like US ones: a caller that knows the market passes it.
overseas_market market_of_symbol(std::string_view symbol) noexcept;

/// Implied price decimals of H0GSCNI0's CNTG_UNPR: US 4, JP 1, CN 3, HK 3,
/// VN 0.
constexpr int implied_decimals(overseas_market m) noexcept {
  switch (m) {
    case overseas_market::us: return 4;
    case overseas_market::jp: return 1;
    case overseas_market::cn: return 3;
    case overseas_market::hk: return 3;
    case overseas_market::vn: return 0;
  }
  return 4;
}

/// H0GSCNI0 / H0GSCNI9 (25 fields, CNTG_YN at index 12).
struct overseas_notice {
  std::string customer_id;
  std::string account;
  std::string order_no;
  std::string orig_order_no;
  side order_side = side::none;
  notice_kind kind = notice_kind::ack;
  bool rejected = false;
  bool accepted = false;
  std::string symbol;
  std::int64_t fill_qty = 0;
  fixed4 fill_price;
  std::int64_t order_qty = 0;
  hms time;
  std::string name;
  friend bool operator==(const overseas_notice&,
                         const overseas_notice&) noexcept;
};

// -- decoding -----------------------------------------------------------------
// Each function fills `out` from a record of a frame already checked
// against its layout (so the known fields exist). Required fields (symbol,
// time, price, quantity) must parse; optional numeric fields may be empty
// (then 0). An error names the field index and name.

codec_error decode(const record_view& r, trade& out);
codec_error decode(const record_view& r, order_book& out);
codec_error decode(const record_view& r, exec_notice& out);
codec_error decode(const record_view& r, program_trade& out);
codec_error decode(const record_view& r, expected_trade& out);
codec_error decode(const record_view& r, market_status& out);
codec_error decode(const record_view& r, overseas_trade& out);
codec_error decode(const record_view& r, overseas_book& out);
/// The fill price's decimals follow `market`; without it, the market of
/// the notice's symbol (market_of_symbol).
codec_error decode(const record_view& r, overseas_notice& out,
                   overseas_market market);
codec_error decode(const record_view& r, overseas_notice& out);

} // namespace kisrt::kis
