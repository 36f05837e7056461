// SPDX-License-Identifier: Apache-2.0
// Trading days and sessions per market, as plain data (docs/arbiter.md,
// "Calendar and sessions"). The calendar answers "does KRX trade on this
// date, and in which hours": configured overrides first
// (`calendar.holidays`, `calendar.session.YYYYMMDD`), then what KIS's
// holiday call said, then the weekday rule. The hours say which markets
// are in session at a minute of a trading day; a key's market comes from
// its TR (`market_of`).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/kst_clock.hpp"
#include "messages/calendar.hpp"
#include "messages/slot_types.hpp"

namespace kisrt {

/// Minutes of a KST day, [open, close). Empty (open >= close): no session.
struct time_window {
  std::int32_t open_minute = 0;
  std::int32_t close_minute = 0;
  bool empty() const noexcept { return open_minute >= close_minute; }
  bool contains(std::int32_t minute) const noexcept {
    return minute >= open_minute && minute < close_minute;
  }
  friend bool operator==(const time_window& a, const time_window& b) {
    return a.open_minute == b.open_minute && a.close_minute == b.close_minute;
  }
};

/// "HH:MM-HH:MM" (open before close) or "off" (an empty window).
std::optional<time_window> parse_window(std::string_view text);

/// The market a TR's data comes from, for silence checks.
enum class tr_market : std::uint8_t {
  krx,      ///< H0ST*, index and day-session derivatives: KRX hours
  nxt,      ///< H0NX*: Nextrade hours
  combined, ///< H0UN*: KRX and NXT together, the union of both
  unchecked ///< overseas (HDFS*, H0GS*) and KRX night derivatives (H0MF*,
            ///< H0EU*): foreign or night hours, never counted as silent
};

tr_market market_of(std::string_view tr_id) noexcept;

/// Sessions per market (KST). A window is part of the market's hours for
/// silence checks; an empty one is not. Defaults: KRX regular 09:00-15:30
/// (its pre-market 08:30-08:40 and after-hours 15:40-18:00 trade apart
/// from H0STCNT0, so they are off unless configured); NXT pre-market
/// 08:00-08:50, main 09:00-15:20, after-market 15:30-20:00.
struct trading_hours {
  time_window krx_pre{0, 0};
  time_window krx_regular{9 * 60, 15 * 60 + 30};
  time_window krx_after{0, 0};
  time_window nxt_pre{8 * 60, 8 * 60 + 50};
  time_window nxt_regular{9 * 60, 15 * 60 + 20};
  time_window nxt_after{15 * 60 + 30, 20 * 60};

  bool krx_open(std::int32_t minute) const noexcept;
  bool nxt_open(std::int32_t minute) const noexcept;
};

/// Which markets are in session now (the arbiter passes this to the slot
/// model's tick). `unchecked` markets are never in session.
struct open_markets {
  bool krx = false;
  bool nxt = false;
  /// Every key counts as in session (the slot model's boolean tick).
  bool all = false;
  bool any() const noexcept { return all || krx || nxt; }
  bool covers(const slot_key& key) const noexcept;
};

class trading_calendar {
public:
  /// Most dates kept from KIS answers (oldest dropped first).
  static constexpr std::size_t max_days = 400;

  /// The weekday rule, also the fallback while KIS has not answered:
  /// Monday..Friday (false: every day, the simulator's week).
  bool weekdays_only = true;

  /// Configured days without trading (YYYYMMDD).
  std::set<std::int32_t> holidays;
  /// Configured special sessions (YYYYMMDD -> the day's regular hours of
  /// both markets, e.g. the exam day's late opening); such a day trades.
  std::map<std::int32_t, time_window> sessions;

  /// Merges what KIS said (same dates replaced; bounded by `max_days`).
  void merge(const std::vector<calendar_day>& days);

  /// What KIS said about `date`, if anything.
  std::optional<bool> kis_day(std::int32_t date) const;

  /// Whether KRX trades on `date` (`weekday` 0 Sunday .. 6 Saturday).
  bool is_trading_day(std::int32_t date, std::int32_t weekday) const;

  /// `base` with the day's special session applied.
  trading_hours hours_on(std::int32_t date, const trading_hours& base) const;

  /// The markets in session at `t`: none on a day without trading.
  open_markets open_at(const kst_time& t, const trading_hours& base) const;

  /// Whether `t` is inside `window` on a trading day.
  bool in_window(const kst_time& t, const time_window& window) const;

private:
  std::map<std::int32_t, bool> kis_;
};

/// "YYYY-MM-DD" or "YYYYMMDD" as YYYYMMDD (a valid civil date).
std::optional<std::int32_t> parse_date(std::string_view text);

/// The weekday (0 Sunday) of YYYYMMDD.
std::int32_t weekday_of(std::int32_t yyyymmdd) noexcept;

} // namespace kisrt
