// SPDX-License-Identifier: Apache-2.0
// KIS REST bodies (rest.md): building requests and reading responses.
// No sockets here; net/http_client carries them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/kis/error.hpp"

namespace kisrt::kis {

/// A REST failure as KIS reports it: gateway errors carry `error_code`
/// (EGW00133) or `msg_cd` (EGW00201); business errors `rt_cd` != "0".
struct rest_error {
  int http_status = 0;
  std::string code;    ///< EGW00133, EGW00201, msg_cd, ...
  std::string message; ///< error_description or msg1, trimmed
  bool empty() const noexcept { return code.empty() && message.empty(); }
  std::string to_string() const;
};

/// Reads the error of a response; empty when the response is a success
/// (HTTP 2xx and, when present, rt_cd "0" or "7" = no data).
rest_error read_rest_error(int http_status, std::string_view body);

struct access_token {
  std::string token;
  /// "YYYY-MM-DD HH:MM:SS" KST, as KIS sends it.
  std::string expires_at;
  std::int64_t expires_in = 0; ///< seconds
};

/// Parses a /oauth2/tokenP success body.
codec_error parse_token_response(std::string_view body, access_token& out);

/// Parses a /oauth2/Approval success body.
codec_error parse_approval_response(std::string_view body,
                                    std::string& approval_key);

/// One row of inquire-balance output1.
struct balance_row {
  std::string code;               ///< pdno
  std::string name;               ///< prdt_name
  std::int64_t qty = 0;           ///< hldg_qty
  std::int64_t orderable_qty = 0; ///< ord_psbl_qty
  std::string avg_price;          ///< pchs_avg_pric (decimal string)
  std::int64_t price = 0;         ///< prpr
};

struct balance_page {
  std::vector<balance_row> rows;
  std::string ctx_fk100;
  std::string ctx_nk100;
  /// tr_cont response header F/M: another page follows.
  bool more = false;
};

/// Parses an inquire-balance body; `tr_cont` is the response header.
/// Rows with hldg_qty 0 are kept (callers decide; they are not holdings).
codec_error parse_balance_response(std::string_view body,
                                   std::string_view tr_cont, balance_page& out);

/// One ranking row (fluctuation or volume ranking).
struct ranking_row {
  std::string code; ///< stck_shrn_iscd or mksc_shrn_iscd
  std::string name; ///< hts_kor_isnm
  int rank = 0;
  std::int64_t price = 0;
  std::string change_rate; ///< prdy_ctrt, decimal string
  std::int64_t volume = 0; ///< acml_vol
};

/// Parses either ranking body (the code field name differs between them).
codec_error parse_ranking_response(std::string_view body,
                                   std::vector<ranking_row>& out);

/// The query string of inquire-balance for `cano` (8 digits) and the
/// continuation keys of the previous page (empty for the first).
std::string balance_query(std::string_view cano, std::string_view fk100,
                          std::string_view nk100);

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view value);

/// The tr_id of a REST call on paper trading: T/J/C first letter -> V.
std::string paper_rest_tr_id(std::string_view tr_id);

} // namespace kisrt::kis
