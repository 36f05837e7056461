// SPDX-License-Identifier: Apache-2.0
// The actor clock and Korean wall time (KST, UTC+9, no DST) derived from it.
// The anchor pairs one actor-clock reading with one UTC reading, taken once
// at start; afterwards only the actor clock moves, so tests cross 07:20,
// 09:00 and 15:30 with advance_time and never touch system_clock.
#pragma once

#include <chrono>
#include <cstdint>

#include <caf/actor_clock.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

/// The actor clock's reading as `mono_time` (time since its epoch). Every
/// actor and core reads time through this, so the test coordinator's clock
/// (advance_time) moves all of them.
inline mono_time now_of(const caf::actor_clock& clock) {
  return std::chrono::duration_cast<mono_time>(clock.now().time_since_epoch());
}

/// The actor clock of `self` (an actor, or anything with `clock()`).
template <class Self>
mono_time now_of(Self* self) {
  return now_of(self->clock());
}

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

  /// The anchor of an actor spawned without one: actor time `mono_anchor`
  /// (its spawn time) is Monday 2000-01-03 09:00 KST, the opening of a
  /// trading day, so the market counts as open and every unanchored actor
  /// of one system agrees on the hour. The application anchors from the
  /// wall clock instead (the one wall-clock read).
  static kst_clock unanchored(mono_time mono_anchor) noexcept {
    return at_kst(mono_anchor, 2000, 1, 3, 9, 0, 0);
  }

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
