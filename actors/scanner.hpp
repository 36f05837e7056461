// SPDX-License-Identifier: Apache-2.0
// scanner: the P3 source. During market hours (09:00-15:30 KST by default)
// it polls the injected `ranking_source` every `poll_interval`, filters the
// rows (minimum change %, minimum volume, excluded codes, already held or
// picked), scores them and sends the top K as `scan_candidates` with the
// time they were seen. Candidates that stop qualifying are not refreshed
// and lapse in the arbiter after its candidate lifetime, so stale surges
// give their slots back. Rows can also arrive as `ranking_snapshot`
// messages (tests, scripts, other nodes). On a day without trading (the
// calendar) it neither polls nor turns rankings into candidates.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "actors/kst_clock.hpp"
#include "actors/scanner_core.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/actors.hpp"

namespace kisrt {

/// Where rankings come from (KIS REST in the gateway, scripted in tests).
class ranking_source {
public:
  virtual ~ranking_source();

  /// Fetches the rankings; calls `done` exactly once, from any thread.
  virtual void fetch(std::function<void(ranking_snapshot)> done) = 0;
};

struct scanner_config {
  std::shared_ptr<ranking_source> source; ///< null: rows only as messages
  /// Maps the actor clock to KST; unset: `kst_clock::unanchored`, spawn
  /// time is Monday 2000-01-03 09:00 KST.
  std::optional<kst_clock> kst;
  market_hours hours;
  /// Trading days: no polls and no candidates on a day without trading
  /// (`calendar_update` messages add what KIS said). `hours.weekdays_only`
  /// false also makes weekends trading days.
  trading_calendar calendar;
  /// Zero: no timer; polls only on `atom::poll` (scenario runners).
  mono_time poll_interval = std::chrono::seconds{10};
  scan_filter filter;
};

struct scanner_state {
  std::optional<scanner_core> core;
  scanner_config cfg;
  std::optional<slot_arbiter_actor> arbiter;
  std::optional<mono_time> polling;

  static inline const char* name = "scanner";
};

scanner_actor::behavior_type
scanner(scanner_actor::stateful_pointer<scanner_state> self, scanner_config cfg,
        slot_arbiter_actor arbiter);

} // namespace kisrt
