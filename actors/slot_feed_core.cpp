// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_feed_core.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

namespace kisrt {

slot_outcome slot_feed_core::make(session_id s, const slot_key& k,
                                  slot_outcome_state st) const {
  slot_outcome ev;
  ev.session = s;
  ev.key = k;
  ev.level = level_of(k);
  ev.state = st;
  return ev;
}

priority slot_feed_core::level_of(const slot_key& key) const {
  auto i = levels_.find(key);
  return i == levels_.end() ? lowest_priority : i->second;
}

void slot_feed_core::on(const slot_granted& x, std::vector<slot_outcome>& out) {
  if (levels_.size() >= max_keys && levels_.count(x.key) == 0)
    levels_.clear(); // past the bound priorities show as unknown for a while
  levels_[x.key] = x.level;
  out.push_back(make(x.session, x.key, slot_outcome_state::granted));
}

void slot_feed_core::on(const slot_active& x, std::vector<slot_outcome>& out) {
  out.push_back(make(x.session, x.key, slot_outcome_state::active));
}

void slot_feed_core::on(const slot_evicted& x, std::vector<slot_outcome>& out) {
  auto ev = make(x.session, x.key, slot_outcome_state::evicted);
  ev.reason = to_string(x.reason);
  out.push_back(std::move(ev));
}

void slot_feed_core::on(const slot_rejected& x,
                        std::vector<slot_outcome>& out) {
  auto ev = make(x.session, x.key, slot_outcome_state::rejected);
  ev.msg_cd = x.msg_cd;
  ev.reason = x.permanent ? "permanent" : "retried";
  out.push_back(std::move(ev));
}

void slot_feed_core::on(const slots_starved& x,
                        std::vector<slot_outcome>& out) {
  auto now = x.keys;
  std::sort(now.begin(), now.end());
  for (auto& k : now)
    if (!std::binary_search(starved_.begin(), starved_.end(), k)) {
      auto ev = make(no_session, k, slot_outcome_state::starved);
      // Only holdings starve.
      if (ev.level == lowest_priority)
        ev.level = holding_priority;
      ev.reason = "holdings exceed the capacity of the sessions";
      out.push_back(std::move(ev));
    }
  starved_ = std::move(now);
}

void slot_feed_core::on(const session_replayed& x,
                        std::vector<slot_outcome>& out) {
  slot_outcome ev;
  ev.session = x.session;
  ev.state = slot_outcome_state::replayed;
  ev.reason = std::to_string(x.count) + " subscribes replayed (epoch "
              + std::to_string(x.epoch) + ")";
  out.push_back(std::move(ev));
}

void slot_feed_core::on(const slot_stale& x, std::vector<slot_outcome>& out) {
  auto ev = make(x.session, x.key, slot_outcome_state::stale);
  auto s = std::chrono::duration_cast<std::chrono::seconds>(x.silent_for);
  ev.reason = "silent for " + std::to_string(s.count()) + " s";
  out.push_back(std::move(ev));
}

void slot_feed_core::settle(const slot_outcome& ev) {
  if (ev.state != slot_outcome_state::evicted || ev.reason == "moved")
    return;
  levels_.erase(ev.key);
  for (auto i = leaving_.begin(); i != leaving_.end();) {
    i->second.erase(ev.key);
    i = i->second.empty() ? leaving_.erase(i) : std::next(i);
  }
}

void slot_feed_core::request(const slot_request& x) {
  if (owned_.count(x.owner) == 0 && owned_.size() >= max_owners)
    return;
  auto& keys = owned_[x.owner];
  if (keys.size() < max_keys_per_owner)
    keys.insert(x.key);
  if (auto i = leaving_.find(x.owner); i != leaving_.end()) {
    i->second.erase(x.key);
    if (i->second.empty())
      leaving_.erase(i);
  }
}

void slot_feed_core::release(const slot_release& x) {
  auto i = owned_.find(x.owner);
  if (i == owned_.end())
    return;
  if (leaving_.count(x.owner) == 0 && leaving_.size() >= max_owners)
    leaving_.clear();
  auto& gone = leaving_[x.owner];
  auto keep = [&](const slot_key& k) {
    if (gone.size() >= max_keys_per_owner)
      gone.clear(); // an owner that never sees its evictions: start over
    gone.insert(k);
  };
  if (x.key.tr_id.empty() && x.key.tr_key.empty()) {
    for (auto& k : i->second)
      keep(k);
    owned_.erase(i);
    return;
  }
  if (i->second.erase(x.key) > 0)
    keep(x.key);
  if (i->second.empty())
    owned_.erase(i);
  if (gone.empty())
    leaving_.erase(x.owner);
}

bool slot_feed_core::wants(const std::string& owner,
                           const slot_outcome& ev) const {
  if (owner.empty())
    return true;
  if (ev.key.tr_id.empty())
    return false;
  auto has = [&](const std::map<std::string, std::set<slot_key>>& m) {
    auto i = m.find(owner);
    return i != m.end() && i->second.count(ev.key) > 0;
  };
  return has(owned_) || has(leaving_);
}

} // namespace kisrt
