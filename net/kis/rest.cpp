// SPDX-License-Identifier: Apache-2.0
#include "net/kis/rest.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include "net/kis/numbers.hpp"

namespace kisrt::kis {

namespace json = boost::json;

namespace {

constexpr std::size_t max_rest_depth = 16;

bool parse_object(std::string_view body, json::value& out, std::string& why) {
  json::parse_options opts;
  opts.max_depth = max_rest_depth;
  boost::system::error_code ec;
  out = json::parse(body, ec, {}, opts);
  if (ec) {
    why = ec.message();
    return false;
  }
  if (!out.is_object()) {
    why = "not a JSON object";
    return false;
  }
  return true;
}

std::string str(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end())
    return {};
  if (it->value().is_string())
    return std::string{it->value().get_string()};
  if (it->value().is_int64())
    return std::to_string(it->value().get_int64());
  return {};
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ')
    ++i;
  return s.substr(i);
}

std::int64_t num(const json::object& o, std::string_view key) {
  std::int64_t v = 0;
  auto s = trim(str(o, key));
  return parse_int(s, v) ? v : 0;
}

} // namespace

std::string rest_error::to_string() const {
  std::string out = "HTTP " + std::to_string(http_status);
  if (!code.empty())
    out += " " + code;
  if (!message.empty())
    out += ": " + message;
  return out;
}

rest_error read_rest_error(int http_status, std::string_view body) {
  rest_error err;
  err.http_status = http_status;
  json::value doc;
  std::string why;
  bool ok2xx = http_status >= 200 && http_status < 300;
  if (!parse_object(body, doc, why)) {
    if (!ok2xx)
      err.message = "non-JSON error body";
    else {
      err.code = "BAD_JSON";
      err.message = why;
    }
    return err;
  }
  const auto& o = doc.get_object();
  auto error_code = str(o, "error_code");
  auto rt_cd = str(o, "rt_cd");
  if (!error_code.empty()) {
    err.code = error_code;
    err.message = trim(str(o, "error_description"));
    return err;
  }
  if (!rt_cd.empty() && rt_cd != "0" && rt_cd != "7") {
    err.code = str(o, "msg_cd");
    err.message = trim(str(o, "msg1"));
    return err;
  }
  if (!ok2xx) {
    err.code = str(o, "msg_cd");
    err.message = trim(str(o, "msg1"));
    if (err.empty())
      err.message = "HTTP error";
  }
  return err;
}

codec_error parse_token_response(std::string_view body, access_token& out) {
  json::value doc;
  std::string why;
  if (!parse_object(body, doc, why))
    return make_error(errc::bad_json, {}, "token response: " + why);
  const auto& o = doc.get_object();
  out.token = str(o, "access_token");
  out.expires_at = str(o, "access_token_token_expired");
  auto it = o.find("expires_in");
  out.expires_in = 0;
  if (it != o.end()) {
    if (it->value().is_int64())
      out.expires_in = it->value().get_int64();
    else if (it->value().is_string())
      parse_int(std::string{it->value().get_string()}, out.expires_in);
  }
  if (out.token.empty())
    return make_error(errc::bad_control, {}, "token response: no access_token");
  return {};
}

codec_error parse_approval_response(std::string_view body,
                                    std::string& approval_key) {
  json::value doc;
  std::string why;
  if (!parse_object(body, doc, why))
    return make_error(errc::bad_json, {}, "approval response: " + why);
  approval_key = str(doc.get_object(), "approval_key");
  if (approval_key.empty())
    return make_error(errc::bad_control, {},
                      "approval response: no approval_key");
  return {};
}

codec_error parse_balance_response(std::string_view body,
                                   std::string_view tr_cont,
                                   balance_page& out) {
  out = balance_page{};
  json::value doc;
  std::string why;
  if (!parse_object(body, doc, why))
    return make_error(errc::bad_json, {}, "balance response: " + why);
  const auto& o = doc.get_object();
  auto it = o.find("output1");
  if (it == o.end() || !it->value().is_array())
    return make_error(errc::bad_control, {},
                      "balance response: no output1 array");
  for (const auto& row : it->value().get_array()) {
    if (!row.is_object())
      return make_error(errc::bad_control, {},
                        "balance response: output1 row is not an object");
    const auto& r = row.get_object();
    balance_row b;
    b.code = trim(str(r, "pdno"));
    b.name = trim(str(r, "prdt_name"));
    b.qty = num(r, "hldg_qty");
    b.orderable_qty = num(r, "ord_psbl_qty");
    b.avg_price = trim(str(r, "pchs_avg_pric"));
    b.price = num(r, "prpr");
    if (b.code.empty())
      return make_error(errc::bad_control, {},
                        "balance response: row without pdno");
    out.rows.push_back(std::move(b));
  }
  out.ctx_fk100 = str(o, "ctx_area_fk100");
  out.ctx_nk100 = str(o, "ctx_area_nk100");
  out.more = tr_cont == "F" || tr_cont == "M";
  return {};
}

codec_error parse_ranking_response(std::string_view body,
                                   std::vector<ranking_row>& out) {
  out.clear();
  json::value doc;
  std::string why;
  if (!parse_object(body, doc, why))
    return make_error(errc::bad_json, {}, "ranking response: " + why);
  const auto& o = doc.get_object();
  auto it = o.find("output");
  if (it == o.end() || !it->value().is_array())
    return make_error(errc::bad_control, {},
                      "ranking response: no output array");
  for (const auto& row : it->value().get_array()) {
    if (!row.is_object())
      continue;
    const auto& r = row.get_object();
    ranking_row x;
    x.code = trim(str(r, "stck_shrn_iscd"));
    if (x.code.empty())
      x.code = trim(str(r, "mksc_shrn_iscd"));
    if (x.code.empty())
      return make_error(errc::bad_control, {},
                        "ranking response: row without a stock code");
    x.name = trim(str(r, "hts_kor_isnm"));
    x.rank = static_cast<int>(num(r, "data_rank"));
    x.price = num(r, "stck_prpr");
    x.change_rate = trim(str(r, "prdy_ctrt"));
    x.volume = num(r, "acml_vol");
    out.push_back(std::move(x));
  }
  return {};
}

std::string balance_query(std::string_view cano, std::string_view fk100,
                          std::string_view nk100) {
  std::string q = "CANO=";
  q += cano;
  q += "&ACNT_PRDT_CD=01&AFHR_FLPR_YN=N&OFL_YN=&INQR_DVSN=02&UNPR_DVSN=01"
       "&FUND_STTL_ICLD_YN=N&FNCG_AMT_AUTO_RDPT_YN=N&PRCS_DVSN=00";
  q += "&CTX_AREA_FK100=" + url_encode(fk100);
  q += "&CTX_AREA_NK100=" + url_encode(nk100);
  return q;
}

std::string url_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.'
        || c == '~') {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::string paper_rest_tr_id(std::string_view tr_id) {
  std::string out{tr_id};
  if (!out.empty() && (out[0] == 'T' || out[0] == 'J' || out[0] == 'C'))
    out[0] = 'V';
  return out;
}

} // namespace kisrt::kis
