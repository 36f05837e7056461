// SPDX-License-Identifier: Apache-2.0
// What remote nodes (strategy processes on other machines) exchange with
// the gateway's node gate: an introduction, their policy, and explicit slot
// requests. Market events reach them as the hub's typed events.
#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

/// A node introduces itself by name (one live node per name).
struct node_hello {
  std::string name;
  friend bool operator==(const node_hello& a, const node_hello& b) {
    return a.name == b.name;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_hello& x) {
  return f(caf::meta::type_name("node_hello"), x.name);
}

/// What a node may ask for: levels from `max_priority` (most important
/// allowed) down to 255, and at most `max_slots` keys at once. Its requests
/// reach the arbiter under the owner name `owner`.
struct node_policy {
  std::string owner;
  priority max_priority = pick_priority;
  std::uint32_t max_slots = 0;
  friend bool operator==(const node_policy& a, const node_policy& b) {
    return a.owner == b.owner && a.max_priority == b.max_priority
           && a.max_slots == b.max_slots;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_policy& x) {
  return f(caf::meta::type_name("node_policy"), x.owner, x.max_priority,
           x.max_slots);
}

/// A node asks for a slot for `key` at `level` (asking again changes the
/// level). Refused with an error past the node's policy.
struct node_slot_request {
  slot_key key;
  priority level = lowest_priority;
  friend bool operator==(const node_slot_request& a,
                         const node_slot_request& b) {
    return a.key == b.key && a.level == b.level;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_slot_request& x) {
  return f(caf::meta::type_name("node_slot_request"), x.key, x.level);
}

/// A node withdraws its request for `key`; an empty key withdraws all.
struct node_slot_release {
  slot_key key;
  friend bool operator==(const node_slot_release& a,
                         const node_slot_release& b) {
    return a.key == b.key;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_slot_release& x) {
  return f(caf::meta::type_name("node_slot_release"), x.key);
}

} // namespace kisrt
