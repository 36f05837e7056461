// SPDX-License-Identifier: Apache-2.0
// notice_journal: numbers every execution notice, keeps it in the store
// (store/notice_journal.hpp, SQLite) and delivers notices to its
// subscribers in sequence order: on `(subscribe, notices, listener, since)`
// first every kept notice after `since`, in chunks, then live ones. This
// actor is the only sender of journaled notices to a listener, and a
// listener gets a live notice only when it has had every one before it,
// so nothing is skipped or sent twice whichever order replays and live
// notices arrive in (docs/nodes.md, "Notice journal").
//
// Spawn: `sys.spawn<caf::detached>(notice_journal, notice_journal_config{...})`
// (the store writes to disk) and subscribe it to the decoder
// (`subscribe_atom, notice_sink_actor`) like portfolio_sync. Remote
// nodes reach it through the node gate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "actors/kst_clock.hpp"
#include "messages/actors.hpp"

namespace kisrt::store {
class notice_journal;
} // namespace kisrt::store

namespace kisrt {

struct notice_journal_config {
  /// The storage; must be set.
  std::shared_ptr<store::notice_journal> db;
  /// Dates notices (the trading day) and stamps their arrival.
  kst_clock kst{mono_time{0}, kst_clock::utc_ns{0}};
  /// Notices read and sent per replay step; other messages (live notices,
  /// other subscribers) are handled between steps.
  std::size_t chunk = 256;
  /// Listeners at once; more are refused.
  std::size_t max_listeners = 256;
};

struct notice_journal_state {
  struct listener {
    notice_listener_actor hdl;
    std::uint64_t after = 0; ///< the last seq it was sent
  };
  notice_journal_config cfg;
  std::vector<listener> listeners;
  /// A replay step (tick) is queued.
  bool pumping = false;

  static inline const char* name = "notice_journal";
};

notice_journal_actor::behavior_type notice_journal(
    notice_journal_actor::stateful_pointer<notice_journal_state> self,
    notice_journal_config cfg);

} // namespace kisrt
