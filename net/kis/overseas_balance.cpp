// SPDX-License-Identifier: Apache-2.0
#include "net/kis/overseas_balance.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include "net/kis/numbers.hpp"
#include "net/kis/rest.hpp"

namespace kisrt::kis {

namespace json = boost::json;

namespace {

struct exchange_info {
  std::string_view balance;  ///< OVRS_EXCG_CD
  std::string_view realtime; ///< in the real-time key
  std::string_view currency; ///< TR_CRCY_CD
};

constexpr exchange_info exchanges[] = {
    {"NASD", "NAS", "USD"}, {"NYSE", "NYS", "USD"}, {"AMEX", "AMS", "USD"},
    {"SEHK", "HKS", "HKD"}, {"SHAA", "SHS", "CNY"}, {"SZAA", "SZS", "CNY"},
    {"TKSE", "TSE", "JPY"}, {"HASE", "HNX", "VND"}, {"VNSE", "HSX", "VND"},
};

const exchange_info* find_exchange(std::string_view code) noexcept {
  for (auto& e : exchanges)
    if (e.balance == code)
      return &e;
  return nullptr;
}

std::string text(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string())
    return {};
  std::string s{it->value().get_string()};
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
  auto i = s.find_first_not_of(' ');
  return i == std::string::npos ? std::string{} : s.substr(i);
}

} // namespace

bool is_balance_exchange(std::string_view exchange) noexcept {
  return find_exchange(exchange) != nullptr;
}

std::string overseas_realtime_key(std::string_view exchange,
                                  std::string_view symbol) {
  auto* e = find_exchange(exchange);
  if (e == nullptr || symbol.empty() || symbol.size() > 16)
    return {};
  for (char c : symbol)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z') || c == '.'))
      return {};
  std::string key = "D";
  key += e->realtime;
  key += symbol;
  return key;
}

std::string overseas_balance_query(std::string_view cano,
                                   std::string_view exchange,
                                   std::string_view fk200,
                                   std::string_view nk200) {
  auto* e = find_exchange(exchange);
  std::string q = "CANO=";
  q += cano;
  q += "&ACNT_PRDT_CD=01&OVRS_EXCG_CD=";
  q += url_encode(exchange);
  q += "&TR_CRCY_CD=";
  q += e != nullptr ? e->currency : std::string_view{"USD"};
  q += "&CTX_AREA_FK200=" + url_encode(fk200);
  q += "&CTX_AREA_NK200=" + url_encode(nk200);
  return q;
}

codec_error parse_overseas_balance_response(std::string_view body,
                                            std::string_view tr_cont,
                                            overseas_balance_page& out) {
  out = overseas_balance_page{};
  json::parse_options opts;
  opts.max_depth = 16;
  boost::system::error_code ec;
  auto doc = json::parse(body, ec, {}, opts);
  if (ec)
    return make_error(errc::bad_json, {},
                      "overseas balance response: " + ec.message());
  if (!doc.is_object())
    return make_error(errc::bad_json, {},
                      "overseas balance response: not a JSON object");
  const auto& o = doc.get_object();
  auto it = o.find("output1");
  if (it == o.end() || !it->value().is_array())
    return make_error(errc::bad_control, {},
                      "overseas balance response: no output1 array");
  const auto& rows = it->value().get_array();
  if (rows.size() > max_overseas_balance_rows)
    return make_error(errc::bad_control, {},
                      "overseas balance response: more than "
                          + std::to_string(max_overseas_balance_rows)
                          + " rows");
  for (const auto& row : rows) {
    if (!row.is_object())
      return make_error(errc::bad_control, {},
                        "overseas balance response: output1 row is not an "
                        "object");
    const auto& r = row.get_object();
    overseas_balance_row b;
    b.symbol = text(r, "ovrs_pdno");
    b.exchange = text(r, "ovrs_excg_cd");
    b.name = text(r, "ovrs_item_name");
    // Quantities may carry decimals ("10.00000000"): whole shares count.
    auto qty = text(r, "ovrs_cblc_qty");
    qty = qty.substr(0, qty.find('.'));
    if (!qty.empty() && !parse_int(qty, b.qty))
      return make_error(errc::bad_control, {},
                        "overseas balance response: bad ovrs_cblc_qty");
    if (b.symbol.empty())
      return make_error(errc::bad_control, {},
                        "overseas balance response: row without ovrs_pdno");
    out.rows.push_back(std::move(b));
  }
  out.ctx_fk200 = text(o, "ctx_area_fk200");
  out.ctx_nk200 = text(o, "ctx_area_nk200");
  out.more = tr_cont == "F" || tr_cont == "M";
  return {};
}

} // namespace kisrt::kis
