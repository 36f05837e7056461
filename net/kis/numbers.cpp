// SPDX-License-Identifier: Apache-2.0
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

namespace {

bool digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

constexpr std::int64_t pow10(int n) noexcept {
  std::int64_t r = 1;
  while (n-- > 0)
    r *= 10;
  return r;
}

} // namespace

bool parse_fixed4(std::string_view s, fixed4& out) noexcept {
  if (s.empty())
    return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  auto dot = s.find('.');
  auto int_part = s.substr(0, dot);
  auto frac_part =
      dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (int_part.empty() && frac_part.empty())
    return false;
  if (!digits(int_part) || !digits(frac_part))
    return false;
  std::int64_t whole = 0;
  if (!int_part.empty() && !parse_int(int_part, whole))
    return false;
  if (whole > INT64_MAX / fixed4::scale)
    return false;
  std::int64_t frac = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    frac *= 10;
    if (i < frac_part.size())
      frac += frac_part[i] - '0';
  }
  auto v = whole * fixed4::scale + frac;
  out.raw = neg ? -v : v;
  return true;
}

bool parse_implied(std::string_view s, int decimals, fixed4& out) noexcept {
  if (decimals < 0 || decimals > 8)
    return false;
  std::int64_t v = 0;
  if (!parse_int(s, v))
    return false;
  if (decimals <= 4) {
    auto mul = pow10(4 - decimals);
    if (v > INT64_MAX / mul || v < INT64_MIN / mul)
      return false;
    out.raw = v * mul;
  } else {
    out.raw = v / pow10(decimals - 4);
  }
  return true;
}

bool parse_hhmmss(std::string_view s, hms& out) noexcept {
  if (s.size() != 6 || !digits(s))
    return false;
  auto two = [&](std::size_t i) {
    return static_cast<std::uint8_t>((s[i] - '0') * 10 + (s[i + 1] - '0'));
  };
  auto h = two(0), m = two(2), sec = two(4);
  if (h > 47 || m > 59 || sec > 59)
    return false;
  out = hms{h, m, sec};
  return true;
}

bool parse_yyyymmdd(std::string_view s, std::int32_t& out) noexcept {
  if (s.size() != 8 || !digits(s))
    return false;
  std::int32_t v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  auto month = (v / 100) % 100;
  auto day = v % 100;
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return false;
  out = v;
  return true;
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    auto c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n)
      return i;
    if (p[i + 1] < lo || p[i + 1] > hi)
      return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF)
        return i;
    i += len;
  }
  return std::string_view::npos;
}

} // namespace kisrt::kis
