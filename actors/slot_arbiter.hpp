// SPDX-License-Identifier: Apache-2.0
// The slot_arbiter actor: a thin stateful wrapper around slot_model. It
// reads the actor clock, forwards wire commands to the connection of each
// session and events to observers.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "actors/kst_clock.hpp"
#include "actors/slot_config.hpp"
#include "actors/slot_model.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct slot_arbiter_config {
  slot_config slots;
  /// Sessions per market for staleness (KST): a key counts as silent only
  /// inside its own TR's market hours, on a trading day.
  trading_hours hours;
  /// Trading days: configured overrides and the weekday rule; what KIS
  /// says arrives as `calendar_update` messages (the calendar actor).
  trading_calendar calendar;
  /// Maps the actor clock to KST; the application anchors it from the wall
  /// clock once. Unset: `kst_clock::unanchored`, spawn time is Monday
  /// 2000-01-03 09:00 KST.
  std::optional<kst_clock> kst;
  /// Period of the tick that runs retries, staleness and expiries. Zero:
  /// no timer; whoever drives the arbiter sends `tick` (a scenario runner
  /// whose run() would otherwise fire the periodic timer forever).
  mono_time tick_interval = std::chrono::seconds{1};
};

struct slot_arbiter_state {
  std::optional<slot_model> model;
  std::optional<kst_clock> kst;
  trading_hours hours;
  trading_calendar calendar;
  mono_time tick_interval{0};
  std::map<session_id, connection_actor> connections;
  std::vector<slot_observer_actor> observers;
  slot_outputs out; // reused buffer

  static inline const char* name = "slot_arbiter";
};

slot_arbiter_actor::behavior_type
slot_arbiter(slot_arbiter_actor::stateful_pointer<slot_arbiter_state> self,
             slot_arbiter_config cfg);

} // namespace kisrt
