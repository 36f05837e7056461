// SPDX-License-Identifier: Apache-2.0
// Trading days as data: what the calendar actor learned from KIS's holiday
// call (or its fallback), sent to whoever follows the calendar (the
// arbiter, the scanner, the picks loader). Nobody but the calendar actor
// asks KIS.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace kisrt {

/// One KST date and whether KRX trades on it (KIS `opnd_yn`).
struct calendar_day {
  std::int32_t date = 0; ///< YYYYMMDD
  bool open = false;
  friend bool operator==(const calendar_day& a, const calendar_day& b) {
    return a.date == b.date && a.open == b.open;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calendar_day& x) {
  return f(caf::meta::type_name("calendar_day"), x.date, x.open);
}

/// Known trading days (replacing earlier ones of the same date). With
/// `fallback` KIS could not be asked: weekdays count as trading days until
/// an answer arrives, and `error` says why.
struct calendar_update {
  std::vector<calendar_day> days;
  bool fallback = false;
  std::string error;
  friend bool operator==(const calendar_update& a, const calendar_update& b) {
    return a.days == b.days && a.fallback == b.fallback && a.error == b.error;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calendar_update& x) {
  return f(caf::meta::type_name("calendar_update"), x.days, x.fallback,
           x.error);
}

/// The calendar actor's state for /healthz. `today_known`: today's status
/// came from KIS (or the cache of its answer), not from the weekday rule.
struct calendar_status {
  std::int32_t today = 0; ///< YYYYMMDD
  bool trading_day = true;
  bool fallback = false; ///< KIS could not be asked: weekdays assumed
  std::string source;    ///< "kis", "cache", "config", "weekdays"
  std::string last_error;
  std::uint32_t failures = 0; ///< consecutive failed holiday calls
  friend bool operator==(const calendar_status& a, const calendar_status& b) {
    return a.today == b.today && a.trading_day == b.trading_day
           && a.fallback == b.fallback && a.source == b.source
           && a.last_error == b.last_error && a.failures == b.failures;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calendar_status& x) {
  return f(caf::meta::type_name("calendar_status"), x.today, x.trading_day,
           x.fallback, x.source, x.last_error, x.failures);
}

} // namespace kisrt
