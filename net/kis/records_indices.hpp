// SPDX-License-Identifier: Apache-2.0
// Typed records of computed values: a domestic index tick (H0UPCNT0) and an
// ETF's net asset value (H0STNAV0). Both carry two decimals on the wire and
// are kept exact as fixed4.
#pragma once

#include <cstdint>
#include <string>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

/// H0UPCNT0 (30 fields): one index tick. Key: the four-digit index code
/// (BSTP_CLS_CODE: 0001 KOSPI, 1001 KOSDAQ, 2001 KOSPI200).
struct index_trade {
  std::string code; ///< BSTP_CLS_CODE
  hms time;         ///< BSOP_HOUR
  fixed4 level;     ///< PRPR_NMIX
  std::uint8_t sign = 0;
  fixed4 change;      ///< BSTP_NMIX_PRDY_VRSS
  fixed4 change_rate; ///< PRDY_CTRT
  fixed4 open, high, low;
  std::int64_t volume = 0;            ///< PCAS_VOL, this tick
  std::int64_t value = 0;             ///< PCAS_TR_PBMN, this tick
  std::int64_t cum_volume = 0;        ///< ACML_VOL, as KIS sends it
  std::int64_t cum_value = 0;         ///< ACML_TR_PBMN, as KIS sends it
  std::int32_t upper_limit_count = 0; ///< UPLM_ISSU_CNT
  std::int32_t up_count = 0;          ///< ASCN_ISSU_CNT
  std::int32_t flat_count = 0;        ///< STNR_ISSU_CNT
  std::int32_t down_count = 0;        ///< DOWN_ISSU_CNT
  std::int32_t lower_limit_count = 0; ///< LSLM_ISSU_CNT
  friend bool operator==(const index_trade&, const index_trade&) noexcept;
};

/// H0STNAV0 (12 fields): an ETF's NAV. The layout starts with four
/// response fields (RT_CD, MSG_CD, OUTPUT1, MSG1) before the symbol; the
/// record has no time of its own. Key: the ETF's six-digit code.
struct etf_nav {
  std::string symbol; ///< MKSC_SHRN_ISCD
  fixed4 nav;         ///< NAV
  std::uint8_t sign = 0;
  fixed4 change;      ///< NAV_PRDY_VRSS
  fixed4 change_rate; ///< NAV_PRDY_CTRT
  fixed4 open;        ///< OPRC_NAV
  fixed4 high;        ///< HPRC_NAV
  fixed4 low;         ///< LPRC_NAV
  friend bool operator==(const etf_nav&, const etf_nav&) noexcept;
};

// Same contract as the decode() overloads of net/kis/records.hpp.
codec_error decode(const record_view& r, index_trade& out);
codec_error decode(const record_view& r, etf_nav& out);

} // namespace kisrt::kis
