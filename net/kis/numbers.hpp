// SPDX-License-Identifier: Apache-2.0
// Typed accessors for wire strings: no allocation, no locale, no exceptions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace kisrt::kis {

/// Parses an optionally signed decimal integer with leading zeros
/// ("-00120", "+5", "0071000"). False on empty input, stray characters or
/// overflow.
namespace detail {

// Eight ASCII digits at once (SWAR): checks that every byte is '0'..'9' and
// folds them into their value. `p` holds the first digit in its lowest byte.
inline bool swar8(const char* p, std::uint64_t& out) noexcept {
  std::uint64_t c;
  std::memcpy(&c, p, 8);
  if (((c & 0xF0F0F0F0F0F0F0F0ull)
       | (((c + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4))
      != 0x3333333333333333ull)
    return false;
  auto x = c - 0x3030303030303030ull;
  x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;
  x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;
  out = (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;
  return true;
}

} // namespace detail

inline bool parse_int(std::string_view s, std::int64_t& out) noexcept {
  // Hand-rolled: fields are short and the base-10, no-whitespace case is all
  // KIS sends; std::from_chars was a fifth of trade decoding.
  const char* p = s.data();
  const char* e = p + s.size();
  if (p == e)
    return false;
  bool neg = false;
  if (*p == '+' || *p == '-') {
    neg = *p == '-';
    if (++p == e)
      return false;
  }
  while (p + 1 < e && *p == '0') // leading zeros do not count for overflow
    ++p;
  if (e - p > 19) // 19 digits fit in uint64 without wrapping
    return false;
  std::uint64_t v = 0;
  while (e - p >= 8) {
    std::uint64_t eight;
    if (!detail::swar8(p, eight))
      return false;
    v = v * 100000000ull + eight;
    p += 8;
  }
  for (; p != e; ++p) {
    auto d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0';
    if (d > 9)
      return false;
    v = v * 10 + d;
  }
  if (v > static_cast<std::uint64_t>(INT64_MAX))
    return false;
  out = neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  return true;
}

/// A decimal number with four implied fraction digits: 1.23 is 12300.
/// Rates and overseas prices use it; exact, unlike double.
struct fixed4 {
  std::int64_t raw = 0;
  static constexpr std::int64_t scale = 10000;
  double to_double() const noexcept {
    return static_cast<double>(raw) / static_cast<double>(scale);
  }
  friend bool operator==(fixed4 a, fixed4 b) noexcept { return a.raw == b.raw; }
  friend bool operator!=(fixed4 a, fixed4 b) noexcept { return a.raw != b.raw; }
};

/// Parses "-1.23", "182.5200", "7", ".5" into fixed4. Fraction digits past
/// the fourth are truncated (KIS sends at most four). False on empty input,
/// stray characters or overflow.
bool parse_fixed4(std::string_view s, fixed4& out) noexcept;

/// Scales an integer with `decimals` implied fraction digits to fixed4:
/// ("00001825200", 4) is 182.52. decimals must be 0..8.
bool parse_implied(std::string_view s, int decimals, fixed4& out) noexcept;

/// Time of day from HHMMSS.
struct hms {
  std::uint8_t h = 0;
  std::uint8_t m = 0;
  std::uint8_t s = 0;
  int seconds() const noexcept { return h * 3600 + m * 60 + s; }
  friend bool operator==(hms a, hms b) noexcept {
    return a.h == b.h && a.m == b.m && a.s == b.s;
  }
  friend bool operator!=(hms a, hms b) noexcept { return !(a == b); }
};

/// Parses exactly six digits with h < 24 (KIS uses 24-36 for some
/// after-hours sessions, so up to 47 is accepted), m < 60, s < 60.
bool parse_hhmmss(std::string_view s, hms& out) noexcept;

/// Parses YYYYMMDD into an integer such as 20250101; false unless eight
/// digits with month 1-12 and day 1-31.
bool parse_yyyymmdd(std::string_view s, std::int32_t& out) noexcept;

/// Offset of the first byte that breaks UTF-8 well-formedness, or npos.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

} // namespace kisrt::kis
