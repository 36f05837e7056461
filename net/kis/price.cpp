// SPDX-License-Identifier: Apache-2.0
#include "net/kis/price.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include <cctype>

#include "net/kis/stock_code.hpp"

namespace kisrt::kis {

namespace json = boost::json;

namespace {

// The `output` object of a success body, or an error.
codec_error output_of(std::string_view body, std::string_view what,
                      json::value& doc, const json::object*& out) {
  json::parse_options opts;
  opts.max_depth = 16;
  boost::system::error_code ec;
  doc = json::parse(body, ec, {}, opts);
  if (ec)
    return make_error(errc::bad_json, {},
                      std::string{what} + ": " + ec.message());
  if (!doc.is_object())
    return make_error(errc::bad_json, {},
                      std::string{what} + ": not a JSON object");
  auto it = doc.get_object().find("output");
  if (it == doc.get_object().end() || !it->value().is_object())
    return make_error(errc::bad_control, {},
                      std::string{what} + ": no output object");
  out = &it->value().get_object();
  return {};
}

std::string_view field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string())
    return {};
  std::string_view s = it->value().get_string();
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  return s;
}

// fixed4 of a decimal that may carry a leading '+'; empty: 0.
bool decimal(std::string_view s, fixed4& out) {
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  if (s.empty()) {
    out = fixed4{};
    return true;
  }
  return parse_fixed4(s, out);
}

bool integer(std::string_view s, std::int64_t& out) {
  if (s.empty()) {
    out = 0;
    return true;
  }
  return parse_int(s, out);
}

bool sign_of(std::string_view s, std::uint8_t& out) {
  if (s.empty()) {
    out = 0;
    return true;
  }
  if (s.size() != 1 || s[0] < '0' || s[0] > '5')
    return false;
  out = static_cast<std::uint8_t>(s[0] - '0');
  return true;
}

bool is_exchange(std::string_view ex) {
  return ex.size() == 3 && std::isupper(static_cast<unsigned char>(ex[0]))
         && std::isupper(static_cast<unsigned char>(ex[1]))
         && std::isupper(static_cast<unsigned char>(ex[2]));
}

} // namespace

bool price_call_of(std::string_view key, price_call& out) {
  if (is_stock_code(key)) {
    out.target = "/uapi/domestic-stock/v1/quotations/inquire-price"
                 "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=";
    out.target += key;
    out.tr_id = "FHKST01010100";
    out.overseas = false;
    return true;
  }
  if (key.size() < 5 || key.size() > 20 || (key[0] != 'D' && key[0] != 'R')
      || !is_exchange(key.substr(1, 3)))
    return false;
  auto sym = key.substr(4);
  for (char c : sym)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.')
      return false;
  out.target = "/uapi/overseas-price/v1/quotations/price?AUTH=&EXCD=";
  out.target += key.substr(1, 3);
  out.target += "&SYMB=";
  out.target += sym;
  out.tr_id = "HHDFS00000300";
  out.overseas = true;
  return true;
}

codec_error decode(const record_view&, price_snapshot&) {
  return make_error(errc::unknown_kind, {},
                    "a price snapshot is not decoded from frames");
}

codec_error parse_domestic_price(std::string_view body, price_snapshot& out) {
  json::value doc;
  const json::object* o = nullptr;
  if (auto err = output_of(body, "inquire-price", doc, o))
    return err;
  std::int64_t price = 0;
  std::int64_t change = 0;
  if (!integer(field(*o, "stck_prpr"), price) || price <= 0
      || !integer(field(*o, "prdy_vrss"), change)
      || !sign_of(field(*o, "prdy_vrss_sign"), out.sign)
      || !decimal(field(*o, "prdy_ctrt"), out.change_rate)
      || !integer(field(*o, "acml_vol"), out.cum_volume))
    return make_error(errc::bad_control, {},
                      "inquire-price: missing or bad stck_prpr, prdy_vrss, "
                      "prdy_vrss_sign, prdy_ctrt or acml_vol");
  out.price.raw = price * fixed4::scale;
  out.change.raw = change * fixed4::scale;
  out.snapshot = true;
  return {};
}

codec_error parse_overseas_price(std::string_view body, price_snapshot& out) {
  json::value doc;
  const json::object* o = nullptr;
  if (auto err = output_of(body, "overseas price", doc, o))
    return err;
  auto last = field(*o, "last");
  if (last.empty())
    return make_error(errc::bad_control, {}, "overseas price: no last price");
  if (!decimal(last, out.price) || out.price.raw <= 0
      || !decimal(field(*o, "diff"), out.change)
      || !sign_of(field(*o, "sign"), out.sign)
      || !decimal(field(*o, "rate"), out.change_rate)
      || !integer(field(*o, "tvol"), out.cum_volume))
    return make_error(errc::bad_control, {},
                      "overseas price: bad last, diff, sign, rate or tvol");
  out.snapshot = true;
  return {};
}

} // namespace kisrt::kis
