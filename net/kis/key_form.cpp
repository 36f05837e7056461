// SPDX-License-Identifier: Apache-2.0
#include "net/kis/key_form.hpp"

#include "net/kis/layout.hpp"
#include "net/kis/stock_code.hpp"

namespace kisrt::kis {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool code_char(char c) {
  return is_digit(c) || is_upper(c);
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c))
      return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Which family a TR's key belongs to, by the tr_id's prefix (KIS groups
// its real-time TRs that way: H0ST/H0UN/H0NX stocks, H0UP indices, H0IF
// index futures, ...).
struct family {
  std::string_view prefix;
  key_kind kind;
};

constexpr family families[] = {
    {"HDFS", key_kind::overseas},   {"HDFF", key_kind::overseas_derivative},
    {"H0EW", key_kind::elw},        {"H0UP", key_kind::index},
    {"H0BJ", key_kind::bond},       {"H0BI", key_kind::bond_index},
    {"H0IF", key_kind::derivative}, {"H0IO", key_kind::derivative},
    {"H0ZF", key_kind::derivative}, {"H0ZO", key_kind::derivative},
    {"H0MF", key_kind::derivative}, {"H0EU", key_kind::derivative},
    {"H0CF", key_kind::derivative}, {"H0ST", key_kind::stock},
    {"H0UN", key_kind::stock},      {"H0NX", key_kind::stock},
};

constexpr std::string_view exchanges[] = {"NAS", "NYS", "AMS", "BAQ", "BAY",
                                          "BAA", "HKS", "TSE", "SHS", "SZS",
                                          "SHI", "SZI", "HSX", "HNX"};

bool hts_id_form(std::string_view k) {
  if (k.empty() || k.size() > 16)
    return false;
  for (char c : k)
    if (!(code_char(c) || (c >= 'a' && c <= 'z') || c == '_' || c == '-'
          || c == '.'))
      return false;
  return true;
}

// SPIU25, 1OZQ25, an option series such as "OESU24 C5500": capitals,
// digits and '.', single spaces inside.
bool overseas_derivative_form(std::string_view k) {
  if (k.size() < 2 || k.size() > 20 || k.front() == ' ' || k.back() == ' ')
    return false;
  for (std::size_t i = 0; i < k.size(); ++i) {
    auto c = k[i];
    if (c == ' ' && k[i - 1] != ' ')
      continue;
    if (!(code_char(c) || c == '.'))
      return false;
  }
  return true;
}

// The family name used in "is not <name>".
std::string_view family_name(key_kind kind) {
  switch (kind) {
    case key_kind::stock: return "a domestic stock code";
    case key_kind::elw: return "an ELW code";
    case key_kind::index: return "a domestic index code";
    case key_kind::derivative: return "a futures or options code";
    case key_kind::bond: return "a bond standard code";
    case key_kind::bond_index: return "a bond index id";
    case key_kind::overseas: return "an overseas stock key";
    case key_kind::overseas_derivative:
      return "an overseas futures or options series";
    case key_kind::hts_id: return "an HTS ID";
  }
  return "a key";
}

} // namespace

bool key_kind_of(std::string_view tr_id, key_kind& out) noexcept {
  auto* layout = find_layout(tr_id);
  if (layout == nullptr)
    return false;
  if (layout->encrypted) {
    out = key_kind::hts_id; // every encrypted TR is an execution notice
    return true;
  }
  for (auto& f : families)
    if (starts_with(tr_id, f.prefix)) {
      out = f.kind;
      return true;
    }
  // A TR of a family not listed above: the loosest domestic form, a
  // futures-like code (tests check every layout has a listed family).
  out = key_kind::derivative;
  return true;
}

std::string_view key_form_text(key_kind kind) noexcept {
  switch (kind) {
    case key_kind::stock:
      return "a domestic stock code: 6 digits or capital letters (005930)";
    case key_kind::elw:
      return "an ELW code: 6 digits or capital letters (57LA24)";
    case key_kind::index:
      return "a domestic index code: 4 digits (0001 KOSPI, 1001 KOSDAQ, "
             "2001 KOSPI200)";
    case key_kind::derivative:
      return "a futures or options code: 6 to 9 digits or capital letters "
             "(101W09, 201W08427)";
    case key_kind::bond:
      return "a bond standard code: 2 capital letters and 10 digits or "
             "capital letters (KR103502GA34)";
    case key_kind::bond_index:
      return "a bond index id: 6 capital letters or digits (KBPR01)";
    case key_kind::overseas:
      return "an overseas stock key: D or R, an exchange (NAS NYS AMS BAQ "
             "BAY BAA HKS TSE SHS SZS SHI SZI HSX HNX) and a symbol of 1 to "
             "16 capital letters, digits or '.' (DNASAAPL, RBAQAAPL, "
             "RHKS00003)";
    case key_kind::overseas_derivative:
      return "an overseas futures or options series: 2 to 20 capital "
             "letters, digits, '.' or single inner spaces (SPIU25)";
    case key_kind::hts_id:
      return "an HTS ID: 1 to 16 letters, digits, '_', '-' or '.'";
  }
  return "";
}

std::string_view key_example(key_kind kind) noexcept {
  switch (kind) {
    case key_kind::stock: return "005930";
    case key_kind::elw: return "57LA24";
    case key_kind::index: return "0001";
    case key_kind::derivative: return "101W09";
    case key_kind::bond: return "KR103502GA34";
    case key_kind::bond_index: return "KBPR01";
    case key_kind::overseas: return "DNASAAPL";
    case key_kind::overseas_derivative: return "SPIU25";
    case key_kind::hts_id: return "hts_user1";
  }
  return "";
}

bool has_key_form(key_kind kind, std::string_view k) noexcept {
  switch (kind) {
    case key_kind::stock:
    case key_kind::elw: return is_stock_code(k);
    case key_kind::index: return k.size() == 4 && all_of(k, is_digit);
    case key_kind::derivative:
      return k.size() >= 6 && k.size() <= 9 && all_of(k, code_char);
    case key_kind::bond:
      return k.size() == 12 && is_upper(k[0]) && is_upper(k[1])
             && all_of(k, code_char);
    case key_kind::bond_index: return k.size() == 6 && all_of(k, code_char);
    case key_kind::overseas: return is_overseas_key(k);
    case key_kind::overseas_derivative: return overseas_derivative_form(k);
    case key_kind::hts_id: return hts_id_form(k);
  }
  return false;
}

bool is_overseas_exchange(std::string_view code) noexcept {
  for (auto x : exchanges)
    if (x == code)
      return true;
  return false;
}

bool is_overseas_key(std::string_view k) noexcept {
  if (k.size() < 5 || k.size() > 20 || (k[0] != 'D' && k[0] != 'R')
      || !is_overseas_exchange(k.substr(1, 3)))
    return false;
  for (char c : k.substr(4))
    if (!(code_char(c) || c == '.'))
      return false;
  return true;
}

std::string check_tr(std::string_view tr_id) {
  if (find_layout(tr_id) != nullptr)
    return {};
  return "unknown tr_id " + quote_key(tr_id) + " (no layout in tr-fields.json)";
}

std::string check_key(std::string_view tr_id, std::string_view key) {
  key_kind kind{};
  if (!key_kind_of(tr_id, kind))
    return check_tr(tr_id);
  if (has_key_form(kind, key))
    return {};
  auto out = std::string{tr_id};
  out += " key ";
  out += quote_key(key);
  out += " is not ";
  out += family_name(kind);
  auto text = key_form_text(kind);
  out += text.substr(text.find(':'));
  return out;
}

std::string quote_key(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  constexpr std::size_t shown = 32;
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < shown; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'' || c == '"') {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '\'';
  if (s.size() > shown)
    out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

} // namespace kisrt::kis
