// SPDX-License-Identifier: Apache-2.0
// A scenario's `config` lines as settings for the arbiter, the scripted KIS
// and the clock (docs/scenarios.md), checked with line and column.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "actors/kst_clock.hpp"
#include "actors/scanner_core.hpp"
#include "actors/slot_config.hpp"
#include "actors/trading_calendar.hpp"
#include "apps/kisrt-scenario/script.hpp"

namespace kisrt::scenario {

enum class notice_mode { on, off, reserve };

struct scenario_config {
  std::uint32_t sessions = 1;
  std::uint32_t cap = 41;
  notice_mode notice = notice_mode::on;
  slot_config slots;
  std::chrono::seconds start{7 * 3600};
  int year = 2025, month = 1, day = 6; // a Monday
  /// Sessions per market (`market_open`, `market_close`, `hours.*`).
  trading_hours hours;
  /// Days without trading (`holidays`) and special sessions (`day_hours`).
  trading_calendar calendar;
  bool live = false;         ///< part of the --live subset
  std::size_t pick_top = 20; ///< the picks loader keeps the best N
  scan_filter scan;          ///< the scanner's filter
};

/// Builds the settings of `sc` from its `config` lines; they must come
/// before every other statement. The error names file, line and column.
std::optional<parse_error> build_config(const script& sc, scenario_config& cfg);

/// 60s, 250ms, 2m or 1h.
std::optional<mono_time> parse_duration(std::string_view s);

} // namespace kisrt::scenario
