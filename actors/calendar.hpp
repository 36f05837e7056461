// SPDX-License-Identifier: Apache-2.0
// calendar: asks KIS which days trade (the holiday call, through an
// injected `calendar_source` that shares the app key's REST limiter), once
// a day at `refresh` KST and at start unless the disk cache already holds
// today's answer. It tells its listeners (the arbiter, the scanner, the
// picks loader) what it learned as `calendar_update`; they combine it with
// the configured overrides (actors/trading_calendar.hpp). When KIS cannot
// be asked, weekdays count as trading days (every listener's rule without
// an answer), the calendar says so in the log and /healthz, and retries
// with backoff. Only the calendar calls KIS; the arbiter gets data.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/kst_clock.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/actors.hpp"

namespace kisrt {

/// Where trading days come from (KIS REST in the gateway, scripted in
/// tests).
class calendar_source {
public:
  virtual ~calendar_source();

  /// Asks for the days from `date` (YYYYMMDD) on; calls `done` exactly
  /// once, from any thread, with the days or an error.
  virtual void fetch(std::int32_t date,
                     std::function<void(calendar_update)> done) = 0;
};

/// The disk cache of KIS's answer: a small text file, "kisrt-calendar 1
/// <asked on YYYYMMDD>" then one "YYYYMMDD Y|N" line per day. Written
/// whole (a temporary file renamed), at most `max_bytes`.
struct calendar_cache_file {
  static constexpr std::size_t max_bytes = 16 * 1024;
  std::int32_t asked_on = 0;
  std::vector<calendar_day> days;
};

/// Reads `path`; an absent file gives nullopt and no `error`, a corrupt or
/// oversized one nullopt and the reason in `error`.
std::optional<calendar_cache_file> read_calendar_cache(const std::string& path,
                                                       std::string& error);

/// Writes `x` to `path` (its directory must exist); false and `error` on a
/// failure.
bool write_calendar_cache(const std::string& path, const calendar_cache_file& x,
                          std::string& error);

struct calendar_config {
  /// Null: no KIS call (the configured overrides and the weekday rule).
  std::shared_ptr<calendar_source> source;
  /// Maps the actor clock to KST; unset: `kst_clock::unanchored`.
  std::optional<kst_clock> kst;
  /// The configured overrides and weekday rule (for the status only; each
  /// listener holds its own copy).
  trading_calendar calendar;
  /// Cache file; empty: no cache.
  std::string cache_path;
  /// The daily call, KST.
  int refresh_hour = 6;
  int refresh_minute = 0;
  /// false: no timers (a driver that fires every timer at once polls).
  bool timers = true;
  /// A failed call is retried after retry_min, doubling up to retry_max.
  mono_time retry_min = std::chrono::minutes{1};
  mono_time retry_max = std::chrono::minutes{30};
  std::vector<calendar_listener_actor> listeners;
};

struct calendar_state {
  calendar_config cfg;
  std::map<std::int32_t, bool> days; ///< what KIS said, bounded
  std::int32_t asked_on = 0;         ///< the date of the last answer
  bool from_cache = false;
  std::optional<mono_time> calling;
  calendar_status status;

  static inline const char* name = "calendar";
};

calendar_actor::behavior_type
calendar(calendar_actor::stateful_pointer<calendar_state> self,
         calendar_config cfg);

} // namespace kisrt
