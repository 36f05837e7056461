// SPDX-License-Identifier: Apache-2.0
// Korean wall time (KST, UTC+9, no DST) derived from the actor clock. The
// anchor pairs one actor-clock reading with one UTC reading, taken once at
// start; afterwards only the actor clock moves, so tests cross 07:20, 09:00
// and 15:30 with advance_time and never touch system_clock.
#pragma once

#include <chrono>
#include <cstdint>

#include "messages/slot_types.hpp"

namespace kisrt {

/// A KST calendar position.
struct kst_time {
  std::int64_t day = 0;     ///< days since 1970-01-01 (KST date)
  std::int32_t second = 0;  ///< seconds since KST midnight, 0..86399
  std::int32_t weekday = 4; ///< 0 Sunday .. 6 Saturday
  std::int32_t minute_of_day() const noexcept { return second / 60; }
};

class kst_clock {
public:
  /// Nanoseconds since the Unix epoch, UTC.
  using utc_ns = std::chrono::nanoseconds;

  /// At actor time `mono_anchor` the UTC time was `utc_anchor`.
  kst_clock(mono_time mono_anchor, utc_ns utc_anchor) noexcept
      : mono_anchor_(mono_anchor)
      , utc_anchor_(utc_anchor) {
    // nop
  }

  /// Anchors at KST `yyyy-mm-dd hh:mm:ss` (for tests and scenarios).
  static kst_clock at_kst(mono_time mono_anchor, int year, int month, int day,
                          int hour, int minute, int second) noexcept;

  /// Wall-clock KST for actor time `now`.
  kst_time to_kst(mono_time now) const noexcept;

  /// Actor time of the next KST `hour:minute` strictly after `now`.
  mono_time next_at(mono_time now, int hour, int minute) const noexcept;

  /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
  static std::int64_t days_from_civil(int year, int month, int day) noexcept;

  /// The civil date of `day` (days since 1970-01-01) as YYYYMMDD.
  static std::int32_t yyyymmdd(std::int64_t day) noexcept;

private:
  mono_time mono_anchor_;
  utc_ns utc_anchor_;
};

/// Regular KRX trading hours in KST (default 09:00-15:30, weekdays).
/// Holidays are not known here: a holiday looks like a silent trading day.
struct market_hours {
  std::int32_t open_minute = 9 * 60;
  std::int32_t close_minute = 15 * 60 + 30;
  bool weekdays_only = true;

  bool is_open(const kst_time& t) const noexcept {
    if (weekdays_only && (t.weekday == 0 || t.weekday == 6))
      return false;
    auto m = t.minute_of_day();
    return m >= open_minute && m < close_minute;
  }
};

} // namespace kisrt
