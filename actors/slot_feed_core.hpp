// SPDX-License-Identifier: Apache-2.0
// The slot feed's decisions as a plain class: turns the arbiter's events
// into slot_events (with the slot's priority, starved keys once each) and
// tells whose they are, from copies of the requests and releases.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "messages/demand.hpp"
#include "messages/slot_events.hpp"
#include "messages/slot_outcome.hpp"

namespace kisrt {

class slot_feed_core {
public:
  /// Bounds what the feed remembers: keys with a known priority, keys per
  /// owner, owners.
  static constexpr std::size_t max_keys = 100'000;
  static constexpr std::size_t max_keys_per_owner = 4096;
  static constexpr std::size_t max_owners = 1024;

  // -- the arbiter's events; each appends what to hand out to `out` --------

  void on(const slot_granted& x, std::vector<slot_outcome>& out);
  void on(const slot_active& x, std::vector<slot_outcome>& out);
  void on(const slot_evicted& x, std::vector<slot_outcome>& out);
  void on(const slot_rejected& x, std::vector<slot_outcome>& out);
  /// Only keys that were not starved before.
  void on(const slots_starved& x, std::vector<slot_outcome>& out);
  void on(const session_replayed& x, std::vector<slot_outcome>& out);
  void on(const slot_stale& x, std::vector<slot_outcome>& out);

  /// Forgets what `ev` ended (an evicted key's priority, a released key of
  /// an owner); call after handing `ev` out.
  void settle(const slot_outcome& ev);

  // -- whose keys ------------------------------------------------------------

  void request(const slot_request& x);
  /// The released keys stay the owner's until their eviction is out.
  void release(const slot_release& x);

  /// Whether a listener for `owner` gets `ev`: every event for an empty
  /// owner; otherwise events of keys the owner requested (not `replayed`,
  /// which has no key).
  bool wants(const std::string& owner, const slot_outcome& ev) const;

  /// The priority last granted to `key` (lowest_priority when unknown).
  priority level_of(const slot_key& key) const;

private:
  slot_outcome make(session_id s, const slot_key& k,
                    slot_outcome_state st) const;

  std::map<slot_key, priority> levels_;
  std::vector<slot_key> starved_;
  std::map<std::string, std::set<slot_key>> owned_;
  std::map<std::string, std::set<slot_key>> leaving_;
};

} // namespace kisrt
