// SPDX-License-Identifier: Apache-2.0
// The admin server's watch (messages/actors.hpp, admin_watch_actor): an
// observer of the arbiter's slot events and a listener of every market
// event at the hub. It counts rejections by msg_cd and evictions by
// reason, keeps the latest slot events and the last data per key, and
// answers (get, stats) with all of it for /metrics and the dashboard.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>

#include "messages/actors.hpp"

namespace kisrt::app {

struct admin_watch_limits {
  std::size_t recent = 50;   ///< latest slot events kept
  std::size_t labels = 64;   ///< distinct msg_cds kept (then "other")
  std::size_t keys = 10'000; ///< keys followed (later ones ignored)
};

struct admin_watch_state {
  admin_watch_limits limits;
  std::uint64_t events = 0;
  std::map<std::string, std::uint64_t> rejections; ///< by msg_cd
  std::map<std::string, std::uint64_t> evictions;  ///< by reason
  std::deque<slot_event_note> recent;
  std::map<slot_key, key_activity> keys;

  static inline const char* name = "admin_watch";
};

/// Spawn it, then subscribe it to the arbiter (as a slot_observer_actor)
/// and to the hub (as a market_listener_actor). It ends with the arbiter
/// (linked).
admin_watch_actor::behavior_type
admin_watch(admin_watch_actor::stateful_pointer<admin_watch_state> self,
            slot_arbiter_actor arbiter, admin_watch_limits limits);

} // namespace kisrt::app
