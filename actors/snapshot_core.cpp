// SPDX-License-Identifier: Apache-2.0
#include "actors/snapshot_core.hpp"

#include <algorithm>

namespace kisrt {

bool wants_snapshot(std::string_view tr_id) noexcept {
  return tr_id == "H0STCNT0" || tr_id == "H0UNCNT0" || tr_id == "H0NXCNT0"
         || tr_id == "HDFSCNT0";
}

snapshot_core::snapshot_core(std::size_t max_in_flight, std::size_t max_queue)
    : max_in_flight_(std::max<std::size_t>(1, max_in_flight))
    , max_queue_(std::max<std::size_t>(1, max_queue)) {
  // nop
}

void snapshot_core::on(const slot_granted& x) {
  if (!wants_snapshot(x.key.tr_id))
    return;
  if (levels_.size() >= max_queue_ * 4 && levels_.count(x.key) == 0)
    levels_.clear(); // bounded: unknown levels count as lowest
  levels_[x.key] = x.level;
}

bool snapshot_core::on(const slot_active& x) {
  if (!wants_snapshot(x.key.tr_id) || queued_.count(x.key) != 0
      || in_flight_.count(x.key) != 0)
    return false;
  auto lv = levels_.find(x.key);
  auto level = lv != levels_.end() ? lv->second : lowest_priority;
  if (queue_.size() >= max_queue_) {
    auto last = std::prev(queue_.end());
    if (last->first.first <= level)
      return false; // everything waiting is as important or more
    queued_.erase(last->second.key);
    queue_.erase(last);
  }
  order o{level, seq_++};
  queue_.emplace(o, snapshot_job{x.key, x.session, level});
  queued_.emplace(x.key, o);
  return true;
}

void snapshot_core::on(const slot_evicted& x) {
  auto i = queued_.find(x.key);
  if (i == queued_.end())
    return;
  auto j = queue_.find(i->second);
  if (j != queue_.end() && j->second.session == x.session) {
    queue_.erase(j);
    queued_.erase(i);
  }
}

std::optional<snapshot_job> snapshot_core::next() {
  if (queue_.empty() || in_flight_.size() >= max_in_flight_)
    return std::nullopt;
  auto job = std::move(queue_.begin()->second);
  queue_.erase(queue_.begin());
  queued_.erase(job.key);
  job.id = ++ids_;
  in_flight_.emplace(job.key, job.id);
  return job;
}

bool snapshot_core::done(const slot_key& key, std::uint64_t id) {
  auto i = in_flight_.find(key);
  if (i == in_flight_.end() || i->second != id)
    return false;
  in_flight_.erase(i);
  return true;
}

} // namespace kisrt
