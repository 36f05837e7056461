// SPDX-License-Identifier: Apache-2.0
#include "actors/hub_core.hpp"

namespace kisrt {

bool hub_filter::matches(const std::string& tr_id,
                         const std::string& symbol) const noexcept {
  if (all)
    return true;
  if (keys.empty())
    return false;
  return keys.count(slot_key{tr_id, symbol}) > 0
         || keys.count(slot_key{tr_id, std::string{}}) > 0;
}

hub_core::sub_id hub_core::add(hub_filter filter, overflow_policy policy,
                               std::uint32_t window) {
  auto id = next_id_++;
  auto& s = subs_[id];
  s.filter = std::move(filter);
  s.policy = policy;
  s.window = window > 0 ? window : window_;
  return id;
}

void hub_core::remove(sub_id id) {
  if (auto it = subs_.find(id); it != subs_.end()) {
    auto& st = it->second.stats;
    removed_.delivered += st.delivered;
    removed_.conflated += st.conflated;
    removed_.dropped += st.dropped;
    subs_.erase(it);
  }
}

void hub_core::subscribe(sub_id id, const slot_key& key) {
  if (auto it = subs_.find(id); it != subs_.end())
    it->second.filter.keys.insert(key);
}

void hub_core::unsubscribe(sub_id id, const slot_key& key) {
  if (auto it = subs_.find(id); it != subs_.end())
    it->second.filter.keys.erase(key);
}

void hub_core::subscribe_all(sub_id id, bool all) {
  if (auto it = subs_.find(id); it != subs_.end())
    it->second.filter.all = all;
}

void hub_core::publish(const hub_item& item, std::vector<hub_delivery>& now) {
  for (auto& [id, s] : subs_) {
    if (!s.filter.matches(item.tr_id, item.symbol))
      continue;
    if (s.live == 0 && has_room(s)) {
      ++s.sent;
      ++s.stats.delivered;
      now.push_back(hub_delivery{id, s.sent, item.msg});
    } else {
      enqueue(s, item);
    }
  }
}

void hub_core::enqueue(subscriber& s, const hub_item& item) {
  auto key = std::make_pair(item.tr_id, item.symbol);
  if (!item.critical && s.policy == overflow_policy::conflate) {
    auto it = s.latest.find(key);
    if (it != s.latest.end()) {
      // Replace the waiting quote in place: the newest wins, its position
      // in line is kept.
      auto& slot = s.queue[it->second - s.popped];
      slot.msg = item.msg;
      ++s.stats.conflated;
      return;
    }
  }
  if (!item.critical && s.quotes >= max_queue_) {
    // Full of quotes: drop the oldest non-critical one.
    for (auto& q : s.queue) {
      if (q.live && !q.critical) {
        // In conflate mode every live quote is the latest of its key.
        q.live = false;
        q.msg = caf::message{};
        --s.live;
        --s.quotes;
        ++s.stats.dropped;
        if (s.policy == overflow_policy::conflate)
          s.latest.erase({q.tr_id, q.symbol});
        break;
      }
    }
    while (!s.queue.empty() && !s.queue.front().live) {
      s.queue.pop_front();
      ++s.popped;
    }
  }
  s.queue.push_back({item.tr_id, item.symbol, item.critical, item.msg, true});
  ++s.live;
  if (!item.critical)
    ++s.quotes;
  if (!item.critical && s.policy == overflow_policy::conflate)
    s.latest[key] = s.popped + s.queue.size() - 1;
}

void hub_core::confirmed(sub_id id, std::uint64_t seq,
                         std::vector<hub_delivery>& now) {
  auto it = subs_.find(id);
  if (it == subs_.end())
    return;
  auto& s = it->second;
  if (seq > s.confirmed && seq <= s.sent)
    s.confirmed = seq;
  flush(id, s, now);
}

void hub_core::flush(sub_id id, subscriber& s, std::vector<hub_delivery>& now) {
  while (!s.queue.empty() && has_room(s)) {
    auto& q = s.queue.front();
    if (q.live) {
      --s.live;
      if (!q.critical)
        --s.quotes;
      ++s.sent;
      ++s.stats.delivered;
      now.push_back(hub_delivery{id, s.sent, std::move(q.msg)});
      if (!q.critical && s.policy == overflow_policy::conflate)
        s.latest.erase({q.tr_id, q.symbol});
    }
    s.queue.pop_front();
    ++s.popped;
  }
}

std::uint64_t hub_core::sent(sub_id id) const {
  auto it = subs_.find(id);
  return it == subs_.end() ? 0 : it->second.sent;
}

subscriber_stats hub_core::stats(sub_id id) const {
  auto it = subs_.find(id);
  if (it == subs_.end())
    return {};
  auto st = it->second.stats;
  st.queued = it->second.live;
  st.in_flight = it->second.sent - it->second.confirmed;
  return st;
}

subscriber_stats hub_core::totals() const {
  auto out = removed_;
  for (auto& [id, s] : subs_) {
    out.delivered += s.stats.delivered;
    out.conflated += s.stats.conflated;
    out.dropped += s.stats.dropped;
  }
  return out;
}

} // namespace kisrt
