// SPDX-License-Identifier: Apache-2.0
// KIS's domestic holiday call (국내휴장일조회): GET
// /uapi/domestic-stock/v1/quotations/chk-holiday, tr_id CTCA0903R. KIS
// asks callers to make it about once a day. Each row is one date from
// BASS_DT on, with `opnd_yn` (the exchange opens) among other flags.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/kis/error.hpp"

namespace kisrt::kis {

/// Target path of the holiday call (the query follows).
inline constexpr std::string_view holiday_path =
    "/uapi/domestic-stock/v1/quotations/chk-holiday";

/// tr_id of the holiday call (real trading only).
inline constexpr std::string_view holiday_tr_id = "CTCA0903R";

/// One row: a date and whether the exchange opens on it.
struct holiday_row {
  std::int32_t date = 0; ///< bass_dt, YYYYMMDD
  bool open = false;     ///< opnd_yn == "Y"
};

struct holiday_page {
  std::vector<holiday_row> rows;
  std::string ctx_fk;
  std::string ctx_nk;
  /// tr_cont response header F/M: another page follows.
  bool more = false;
};

/// At most this many rows are read from one page; more is an error.
inline constexpr std::size_t max_holiday_rows = 400;

/// The query of the holiday call from `date` (YYYYMMDD) with the previous
/// page's continuation keys (empty for the first page).
std::string holiday_query(std::int32_t date, std::string_view fk,
                          std::string_view nk);

/// Parses a holiday body; `tr_cont` is the response header. A row without
/// a valid date or `opnd_yn` is an error (a partial calendar is worse than
/// none: the caller falls back).
codec_error parse_holiday_response(std::string_view body,
                                   std::string_view tr_cont, holiday_page& out);

} // namespace kisrt::kis
