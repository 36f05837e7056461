// SPDX-License-Identifier: Apache-2.0
#include "actors/kst_clock.hpp"

namespace kisrt {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t s_per_day = 86'400;
constexpr std::int64_t kst_offset_s = 9 * 3600;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

// Howard Hinnant's days_from_civil.
std::int64_t kst_clock::days_from_civil(int year, int month, int day) noexcept {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = floor_div(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days.
std::int32_t kst_clock::yyyymmdd(std::int64_t day) noexcept {
  auto z = day + 719468;
  auto era = floor_div(z, 146097);
  auto doe = z - era * 146097;
  auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto y = yoe + era * 400;
  auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  auto mp = (5 * doy + 2) / 153;
  auto d = doy - (153 * mp + 2) / 5 + 1;
  auto m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2)
    ++y;
  return static_cast<std::int32_t>(y * 10000 + m * 100 + d);
}

kst_clock kst_clock::at_kst(mono_time mono_anchor, int year, int month, int day,
                            int hour, int minute, int second) noexcept {
  auto kst_s = days_from_civil(year, month, day) * s_per_day + hour * 3600
               + minute * 60 + second;
  return kst_clock{mono_anchor, utc_ns{(kst_s - kst_offset_s) * ns_per_s}};
}

kst_time kst_clock::to_kst(mono_time now) const noexcept {
  auto utc = utc_anchor_.count() + (now - mono_anchor_).count();
  auto kst_s = floor_div(utc, ns_per_s) + kst_offset_s;
  kst_time out;
  out.day = floor_div(kst_s, s_per_day);
  out.second = static_cast<std::int32_t>(kst_s - out.day * s_per_day);
  // 1970-01-01 was a Thursday.
  auto wd = (out.day + 4) % 7;
  out.weekday = static_cast<std::int32_t>(wd < 0 ? wd + 7 : wd);
  return out;
}

mono_time kst_clock::next_at(mono_time now, int hour,
                             int minute) const noexcept {
  auto t = to_kst(now);
  auto target = static_cast<std::int64_t>(hour) * 3600 + minute * 60;
  auto delta = target - t.second;
  if (delta <= 0)
    delta += s_per_day;
  // Land exactly on the minute: drop the sub-second part of `now`.
  auto utc = utc_anchor_.count() + (now - mono_anchor_).count();
  auto frac = utc - floor_div(utc, ns_per_s) * ns_per_s;
  return now + mono_time{delta * ns_per_s - frac};
}

} // namespace kisrt
