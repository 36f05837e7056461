// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate_checks.hpp"

#include "net/kis/layout.hpp"
#include "net/kis/stock_code.hpp"

namespace kisrt {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c))
      return false;
  return true;
}

bool code_char(char c) {
  return is_digit(c) || is_upper(c);
}

bool symbol_char(char c) {
  return is_digit(c) || is_upper(c) || c == '.';
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Why `k` is not a key of `tr`'s form, or empty.
std::string key_form_error(std::string_view tr, std::string_view k) {
  if (starts_with(tr, "HDF")) {
    // D + exchange + symbol (DNASAAPL), R for the US day session and Asia
    // real time (RBAQAAPL, RHKS00003).
    if (k.size() < 5 || k.size() > 20 || (k[0] != 'D' && k[0] != 'R')
        || !all_of(k.substr(1, 3), is_upper)
        || !all_of(k.substr(4), symbol_char))
      return "an overseas key is D or R, a 3-letter exchange and a symbol "
             "of 1 to 16 capital letters, digits or '.' (DNASAAPL)";
    return {};
  }
  if (starts_with(tr, "H0ST") || starts_with(tr, "H0UN")
      || starts_with(tr, "H0NX")) {
    if (!kis::is_stock_code(k))
      return "a domestic stock key is a 6-character code of digits and "
             "capital letters (005930)";
    return {};
  }
  if (k.empty() || k.size() > 12 || !all_of(k, code_char))
    return "a domestic key is 1 to 12 digits and capital letters";
  return {};
}

} // namespace

bool is_notice_tr(std::string_view tr_id) noexcept {
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l)
    if (l->encrypted
        && (l->tr_id == tr_id || kis::paper_tr_id(l->tr_id) == tr_id))
      return true;
  // The known notice ids even if a layout were missing.
  return tr_id == "H0STCNI0" || tr_id == "H0STCNI9" || tr_id == "H0GSCNI0"
         || tr_id == "H0GSCNI9" || tr_id == "H0IFCNI0" || tr_id == "H0IFCNI9";
}

std::string check_node_key(const slot_key& key, bool allow_empty,
                           node_use use) {
  auto shown = [&] {
    return "'" + printable(key.tr_id, 16) + ":" + printable(key.tr_key, 32)
           + "'";
  };
  if (key.tr_id.empty() || key.tr_id.size() > 16)
    return "key " + shown() + ": tr_id must have 1 to 16 characters";
  if (is_notice_tr(key.tr_id)) {
    if (use == node_use::request)
      return "key " + shown() + ": " + printable(key.tr_id, 16)
             + " is an execution-notice TR, which nodes may not ask for";
    if (key.tr_key.empty())
      return allow_empty ? std::string{}
                         : "key " + shown() + ": tr_key is required";
    auto ok = key.tr_key.size() <= 16;
    for (auto c : key.tr_key)
      ok = ok
           && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
               || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');
    if (!ok)
      return "key " + shown()
             + ": an HTS ID has 1 to 16 letters, digits, '_', '-' or '.'";
    return {};
  }
  if (kis::find_layout(key.tr_id) == nullptr)
    return "key " + shown() + ": unknown tr_id";
  if (key.tr_key.empty()) {
    if (allow_empty)
      return {};
    return "key " + shown() + ": tr_key is required";
  }
  if (key.tr_key.size() > max_node_key)
    return "key " + shown() + ": tr_key has "
           + std::to_string(key.tr_key.size()) + " bytes, at most "
           + std::to_string(max_node_key);
  if (auto why = key_form_error(key.tr_id, key.tr_key); !why.empty())
    return "key " + shown() + ": " + why;
  return {};
}

std::string printable(std::string_view s, std::size_t max) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  auto n = s.size() > max ? max : s.size();
  out.reserve(n + 8);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'' || c == '"') {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max)
    out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string node_owner(const std::string& name) {
  return "node:" + name;
}

} // namespace kisrt
