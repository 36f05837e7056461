// SPDX-License-Identifier: Apache-2.0
// The slot log actor: one log line per slot event (warnings for rejected,
// starved and stale; info for evicted and replayed; debug for granted and
// active), at most `lines` per `window`; what the limit holds back is
// summed up in one line when the window ends, so a reconnect of 41 slots
// stays readable.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/slot_log_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct slot_log_config {
  /// Session names by index ("s1"); unnamed ones print as "session N".
  std::vector<std::string> session_names;
  mono_time window = std::chrono::seconds{1};
  std::size_t lines = 8;
  /// Whether a level is logged at all (default: spdlog's level); lines
  /// below it do not count against the limit.
  std::function<bool(slot_log_level)> enabled;
  /// Writes one line (default: spdlog). Tests capture the lines.
  std::function<void(slot_log_level, const std::string&)> write;
};

struct slot_log_state {
  slot_log_config cfg;
  std::optional<slot_log_limiter> limiter;
  bool tick_pending = false;
  static inline const char* name = "slot_log";
};

slot_log_actor::behavior_type
slot_log(slot_log_actor::stateful_pointer<slot_log_state> self,
         slot_log_config cfg);

} // namespace kisrt
