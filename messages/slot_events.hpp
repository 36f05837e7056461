// SPDX-License-Identifier: Apache-2.0
// What the arbiter tells its observers (the hub, the scenario runner,
// remote nodes). One struct per event so handlers and tests match on type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

/// The plan gave `key` a place on `session`; a subscribe follows when the
/// session is up and has physical room.
struct slot_granted {
  session_id session = 0;
  slot_key key;
  priority level = lowest_priority;
  friend bool operator==(const slot_granted& a, const slot_granted& b) {
    return a.session == b.session && a.key == b.key && a.level == b.level;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_granted& x) {
  return f(caf::meta::type_name("slot_granted"), x.session, x.key, x.level);
}

/// The server acknowledged the subscribe (OPSP0000 or OPSP0002).
struct slot_active {
  session_id session = 0;
  epoch_t epoch = 0;
  slot_key key;
  friend bool operator==(const slot_active& a, const slot_active& b) {
    return a.session == b.session && a.epoch == b.epoch && a.key == b.key;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_active& x) {
  return f(caf::meta::type_name("slot_active"), x.session, x.epoch, x.key);
}

enum class evict_reason : std::uint8_t {
  preempted, ///< a higher priority needed the room
  released,  ///< no owner wants it any more
  recycled,  ///< a silent scanner slot made room for a fresh candidate
  moved,     ///< a holding moves to (or back to) another session
  stale,     ///< re-subscribing a silent holding or pick
};

std::string to_string(evict_reason x);

/// The arbiter unsubscribes `key` on `session` (or drops its placement
/// there when the session is down).
struct slot_evicted {
  session_id session = 0;
  slot_key key;
  evict_reason reason = evict_reason::preempted;
  friend bool operator==(const slot_evicted& a, const slot_evicted& b) {
    return a.session == b.session && a.key == b.key && a.reason == b.reason;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_evicted& x) {
  return f(caf::meta::type_name("slot_evicted"), x.session, x.key, x.reason);
}

/// The server refused a subscribe. `permanent` is false for OPSP0008 (the
/// key is re-planned under the learned cap) and for retryable codes.
struct slot_rejected {
  session_id session = 0;
  slot_key key;
  std::string msg_cd;
  bool permanent = false;
  friend bool operator==(const slot_rejected& a, const slot_rejected& b) {
    return a.session == b.session && a.key == b.key && a.msg_cd == b.msg_cd
           && a.permanent == b.permanent;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_rejected& x) {
  return f(caf::meta::type_name("slot_rejected"), x.session, x.key, x.msg_cd,
           x.permanent);
}

/// Holdings alone exceed the capacity of the sessions: these keys have no
/// place. Sent whenever the set of starved keys changes.
struct slots_starved {
  std::vector<slot_key> keys;
  friend bool operator==(const slots_starved& a, const slots_starved& b) {
    return a.keys == b.keys;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slots_starved& x) {
  return f(caf::meta::type_name("slots_starved"), x.keys);
}

/// After `session_up`, the arbiter replayed the session's plan: `count`
/// subscribes in priority, then original grant time, order.
struct session_replayed {
  session_id session = 0;
  epoch_t epoch = 0;
  std::uint32_t count = 0;
  friend bool operator==(const session_replayed& a, const session_replayed& b) {
    return a.session == b.session && a.epoch == b.epoch && a.count == b.count;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_replayed& x) {
  return f(caf::meta::type_name("session_replayed"), x.session, x.epoch,
           x.count);
}

/// A holding or pick got no data for the configured time during market
/// hours; the arbiter re-subscribes it once.
struct slot_stale {
  session_id session = 0;
  slot_key key;
  mono_time silent_for{0};
  friend bool operator==(const slot_stale& a, const slot_stale& b) {
    return a.session == b.session && a.key == b.key
           && a.silent_for == b.silent_for;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_stale& x) {
  return f(caf::meta::type_name("slot_stale"), x.session, x.key, x.silent_for);
}

} // namespace kisrt
