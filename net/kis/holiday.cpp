// SPDX-License-Identifier: Apache-2.0
#include "net/kis/holiday.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include "net/kis/rest.hpp"

namespace kisrt::kis {

namespace json = boost::json;

namespace {

std::string field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string())
    return {};
  std::string s{it->value().get_string()};
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

bool yyyymmdd(std::string_view s, std::int32_t& out) {
  if (s.size() != 8)
    return false;
  std::int32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  auto m = v / 100 % 100, d = v % 100;
  if (v < 19000101 || m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  out = v;
  return true;
}

} // namespace

std::string holiday_query(std::int32_t date, std::string_view fk,
                          std::string_view nk) {
  std::string q = "BASS_DT=" + std::to_string(date);
  q += "&CTX_AREA_NK=" + url_encode(nk);
  q += "&CTX_AREA_FK=" + url_encode(fk);
  return q;
}

codec_error parse_holiday_response(std::string_view body,
                                   std::string_view tr_cont,
                                   holiday_page& out) {
  out = holiday_page{};
  json::parse_options opts;
  opts.max_depth = 16;
  boost::system::error_code ec;
  auto doc = json::parse(body, ec, {}, opts);
  if (ec || !doc.is_object())
    return make_error(errc::bad_json, {},
                      "holiday response: "
                          + (ec ? ec.message() : "not a JSON object"));
  const auto& o = doc.get_object();
  auto it = o.find("output");
  if (it == o.end() || !it->value().is_array())
    return make_error(errc::bad_control, {},
                      "holiday response: no output array");
  const auto& rows = it->value().get_array();
  if (rows.size() > max_holiday_rows)
    return make_error(errc::bad_control, {},
                      "holiday response: more than "
                          + std::to_string(max_holiday_rows) + " rows");
  for (const auto& row : rows) {
    if (!row.is_object())
      return make_error(errc::bad_control, {},
                        "holiday response: a row is not an object");
    const auto& r = row.get_object();
    holiday_row x;
    auto yn = field(r, "opnd_yn");
    if (!yyyymmdd(field(r, "bass_dt"), x.date) || (yn != "Y" && yn != "N")) {
      out.rows.clear();
      return make_error(errc::bad_control, {},
                        "holiday response: a row without bass_dt or opnd_yn");
    }
    x.open = yn == "Y";
    out.rows.push_back(x);
  }
  out.ctx_fk = field(o, "ctx_area_fk");
  out.ctx_nk = field(o, "ctx_area_nk");
  out.more = tr_cont == "F" || tr_cont == "M";
  return {};
}

} // namespace kisrt::kis
