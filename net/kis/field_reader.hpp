// SPDX-License-Identifier: Apache-2.0
// What the records files (records*.cpp) share: typed reads of one record's
// fields (the first failure is kept and names the field) and a field-wise
// operator== for the record structs.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::kis {

// Reads typed fields from one record; remembers the first failure.
class field_reader {
public:
  explicit field_reader(const record_view& r) noexcept
      : r_(r) {
    // nop
  }

  codec_error take() { return std::move(err_); }

  std::string_view raw(std::size_t i) const noexcept { return r_[i]; }

  void str(std::size_t i, std::string& out) {
    auto s = r_[i];
    out.assign(s.data(), s.size());
  }

  void req_str(std::size_t i, std::string& out) {
    auto s = r_[i];
    if (s.empty())
      fail(i, "required field is empty");
    out.assign(s.data(), s.size());
  }

  void req_int(std::size_t i, std::int64_t& out) {
    if (!parse_int(r_[i], out))
      fail(i, "not an integer");
  }

  void opt_int(std::size_t i, std::int64_t& out) {
    auto s = r_[i];
    if (s.empty())
      out = 0;
    else if (!parse_int(s, out))
      fail(i, "not an integer");
  }

  void opt_int32(std::size_t i, std::int32_t& out) {
    std::int64_t v = 0;
    opt_int(i, v);
    if (v < INT32_MIN || v > INT32_MAX)
      fail(i, "out of range");
    out = static_cast<std::int32_t>(v);
  }

  void opt_fixed(std::size_t i, fixed4& out) {
    auto s = r_[i];
    if (s.empty())
      out = fixed4{};
    else if (!parse_fixed4(s, out))
      fail(i, "not a decimal number");
  }

  // Model outputs (greeks, volatilities) whose decimals vary.
  void opt_real(std::size_t i, double& out) {
    auto s = r_[i];
    if (s.empty()) {
      out = 0;
      return;
    }
    const char* b = s.data();
    if (*b == '+' && s.size() > 1)
      ++b;
    auto [end, ec] = std::from_chars(b, s.data() + s.size(), out);
    // from_chars also reads "nan" and "inf", which no KIS field means.
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(out))
      fail(i, "not a decimal number");
  }

  void req_fixed(std::size_t i, fixed4& out) {
    if (!parse_fixed4(r_[i], out))
      fail(i, "not a decimal number");
  }

  void req_time(std::size_t i, hms& out) {
    if (!parse_hhmmss(r_[i], out))
      fail(i, "not an HHMMSS time");
  }

  void opt_time(std::size_t i, hms& out) {
    if (r_[i].empty())
      out = hms{};
    else
      req_time(i, out);
  }

  void opt_date(std::size_t i, std::int32_t& out) {
    auto s = r_[i];
    if (s.empty())
      out = 0;
    else if (!parse_yyyymmdd(s, out))
      fail(i, "not a YYYYMMDD date");
  }

  // KIS documents 1..5 (upper limit, up, flat, lower limit, down); an
  // unknown digit is kept rather than costing the whole tick.
  void sign(std::size_t i, std::uint8_t& out) {
    auto s = r_[i];
    if (s.empty()) {
      out = 0;
    } else if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') {
      out = static_cast<std::uint8_t>(s[0] - '0');
    } else {
      fail(i, "sign must be one digit");
    }
  }

  bool flag(std::size_t i, std::string_view yes) const noexcept {
    return r_[i] == yes;
  }

  void fail(std::size_t i, const char* what) {
    if (err_)
      return;
    auto* l = r_.layout();
    std::string detail{l ? l->field_name(i) : std::string_view{}};
    detail += detail.empty() ? "" : ": ";
    detail += what;
    detail += " (\"";
    auto s = r_[i].substr(0, 32);
    for (char c : s)
      detail += (c >= 0x20 && c < 0x7f) ? c : '?';
    detail += "\")";
    err_ = make_error(errc::bad_field, l ? l->tr_id : std::string_view{},
                      std::move(detail), -1, static_cast<int>(i));
  }

private:
  const record_view& r_;
  codec_error err_;
};

} // namespace kisrt::kis

/// Defines operator== of `type` as the equality of the listed members of x.
#define KISRT_TIE_EQ(type, ...)                                                \
  bool operator==(const type& a, const type& b) noexcept {                     \
    auto t = [](const type& x) { return std::tie(__VA_ARGS__); };              \
    return t(a) == t(b);                                                       \
  }
