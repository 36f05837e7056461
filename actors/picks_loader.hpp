// SPDX-License-Identifier: Apache-2.0
// picks_loader: the P2 source. At start and every trading day at 07:20 KST
// (configurable) it loads today's picks from the injected `pick_store`
// (the gateway's is the SQLite `daily_picks` table, docs/picks.md), keeps
// the top N by rank and sends the ranked `pick_list` to the arbiter and any
// pick listener (the scanner). Picks for today can also arrive as a
// `pick_set` message from another actor or node. No store, no database or
// no picks for today: a warning, and an empty list (P2 stays empty).
//
// The store is read synchronously inside the actor: one small local query
// a day (and on `atom::poll`). With `poll` set, the store is also asked
// every `poll` whether it changed (SQLite's data_version in the gateway),
// and today's picks are reloaded when it did.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/kst_clock.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/actors.hpp"

namespace kisrt {

/// Where picks come from (SQLite in the gateway, scripted in tests).
class pick_store {
public:
  virtual ~pick_store();

  /// Picks of `trade_date` (YYYYMMDD), best rank first, at most `limit`.
  /// A problem (no database, no table) goes to `warning`, with no picks.
  virtual std::vector<pick_entry>
  load(std::int32_t trade_date, std::size_t limit, std::string& warning) = 0;

  /// True when the stored picks may have changed since the previous call
  /// (the first call takes a baseline). Default: never (not watched).
  virtual bool changed();
};

struct picks_loader_config {
  std::shared_ptr<pick_store> store; ///< null: picks only as messages
  /// Maps the actor clock to KST; unset: `kst_clock::unanchored`, spawn
  /// time is Monday 2000-01-03 09:00 KST (the application anchors it from
  /// the wall clock once).
  std::optional<kst_clock> kst;
  int refresh_hour = 7;
  int refresh_minute = 20;
  /// Refresh on Monday..Friday only.
  bool weekdays_only = true;
  /// Trading days: no daily refresh on a day without trading
  /// (`calendar_update` messages add what KIS said).
  trading_calendar calendar;
  /// false: no refresh timer (a driver that fires every timer at once,
  /// such as a scenario runner, refreshes with `atom::poll`).
  bool daily_refresh = true;
  std::size_t top_n = 20;
  /// How often the store is asked whether it changed (picks written while
  /// the gateway runs, `picks.poll`); a change reloads today's picks. 0: no
  /// polling.
  mono_time poll{0};
  std::vector<pick_listener_actor> listeners;
};

/// The best `n` picks by rank (ties by code), ranks renumbered from 1.
/// Codes that are neither a stock code nor an overseas key (DNASAAPL) are
/// dropped and, with `malformed`, appended to it; repeats are dropped.
std::vector<pick_entry>
top_picks(std::vector<pick_entry> picks, std::size_t n,
          std::vector<std::string>* malformed = nullptr);

struct picks_loader_state {
  picks_loader_config cfg;
  std::optional<slot_arbiter_actor> arbiter;
  pick_set current;

  static inline const char* name = "picks_loader";
};

picks_loader_actor::behavior_type
picks_loader(picks_loader_actor::stateful_pointer<picks_loader_state> self,
             picks_loader_config cfg, slot_arbiter_actor arbiter);

} // namespace kisrt
