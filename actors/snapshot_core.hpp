// SPDX-License-Identifier: Apache-2.0
// Which price snapshots to fetch, in which order: the plain logic of the
// snapshot fetcher (actors/snapshot_fetcher.hpp), tested without an actor
// system. It follows the arbiter's events: a key of a price TR that becomes
// active (its first grant, or again after a replay or a re-subscribe) is
// queued once; holdings go first, then by priority, then in arrival order.
// At most `max_in_flight` fetches run at a time, so a holding that becomes
// active later still overtakes the queued picks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

#include "messages/slot_events.hpp"

namespace kisrt {

/// Whether a snapshot is fetched for keys of `tr_id`: the trade TRs, whose
/// events carry a price (H0STCNT0, H0UNCNT0, H0NXCNT0, HDFSCNT0).
bool wants_snapshot(std::string_view tr_id) noexcept;

/// One price to fetch: the key and the session that made it active.
struct snapshot_job {
  slot_key key;
  session_id session = 0;
  priority level = lowest_priority;
  /// Tells this fetch's answer from an older one of the same key.
  std::uint64_t id = 0;
};

class snapshot_core {
public:
  /// `max_queue` bounds the waiting keys (one entry per key; the oldest
  /// entry of the lowest priority is dropped past it).
  explicit snapshot_core(std::size_t max_in_flight = 2,
                         std::size_t max_queue = 4096);

  /// Remembers the key's priority.
  void on(const slot_granted& x);

  /// Queues the key when its TR carries a price and it is neither queued
  /// nor being fetched; true if queued.
  bool on(const slot_active& x);

  /// Drops a queued key that is given up before its turn.
  void on(const slot_evicted& x);

  /// The next job to start, if a place is free; it counts as in flight
  /// until done().
  std::optional<snapshot_job> next();

  /// The fetch `id` of `key` ended (answered, failed or given up): its
  /// place is free. False for an answer that is no longer awaited.
  bool done(const slot_key& key, std::uint64_t id);

  std::size_t queued() const noexcept { return queue_.size(); }
  std::size_t in_flight() const noexcept { return in_flight_.size(); }

private:
  // Queue order: priority, then arrival.
  using order = std::pair<priority, std::uint64_t>;

  std::size_t max_in_flight_;
  std::size_t max_queue_;
  std::uint64_t seq_ = 0;
  std::uint64_t ids_ = 0;
  std::map<slot_key, priority> levels_;
  std::map<order, snapshot_job> queue_;
  std::map<slot_key, order> queued_;
  std::map<slot_key, std::uint64_t> in_flight_;
};

} // namespace kisrt
