// SPDX-License-Identifier: Apache-2.0
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

namespace {

constexpr std::int64_t pow10(int n) noexcept {
  std::int64_t r = 1;
  while (n-- > 0)
    r *= 10;
  return r;
}

} // namespace

bool parse_fixed4(std::string_view s, fixed4& out) noexcept {
  // One pass: integer digits, an optional '.', up to four fraction digits
  // kept and the rest checked and truncated.
  const char* p = s.data();
  const char* e = p + s.size();
  bool neg = false;
  if (p != e && (*p == '+' || *p == '-')) {
    neg = *p == '-';
    ++p;
  }
  std::uint64_t whole = 0;
  int digits_seen = 0;
  int significant = 0;
  for (; p != e && *p != '.'; ++p) {
    auto d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0';
    if (d > 9)
      return false;
    if (whole != 0 || d != 0)
      ++significant;
    if (significant > 15) // keeps whole * 10^4 inside int64
      return false;
    whole = whole * 10 + d;
    ++digits_seen;
  }
  std::int64_t frac = 0;
  int frac_digits = 0;
  if (p != e) { // at '.'
    for (++p; p != e; ++p) {
      auto d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0';
      if (d > 9)
        return false;
      if (frac_digits < 4)
        frac = frac * 10 + d;
      ++frac_digits;
      ++digits_seen;
    }
  }
  if (digits_seen == 0)
    return false;
  for (int i = frac_digits; i < 4; ++i)
    frac *= 10;
  auto v = static_cast<std::int64_t>(whole) * fixed4::scale + frac;
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
  if (s.size() != 6)
    return false;
  unsigned d[6];
  for (int i = 0; i < 6; ++i) {
    d[i] = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    if (d[i] > 9)
      return false;
  }
  auto h = d[0] * 10 + d[1], m = d[2] * 10 + d[3], sec = d[4] * 10 + d[5];
  if (h > 47 || m > 59 || sec > 59)
    return false;
  out = hms{static_cast<std::uint8_t>(h), static_cast<std::uint8_t>(m),
            static_cast<std::uint8_t>(sec)};
  return true;
}

bool parse_yyyymmdd(std::string_view s, std::int32_t& out) noexcept {
  if (s.size() != 8)
    return false;
  std::int32_t v = 0;
  for (char c : s) {
    auto d = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (d > 9)
      return false;
    v = v * 10 + static_cast<std::int32_t>(d);
  }
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
