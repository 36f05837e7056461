// SPDX-License-Identifier: Apache-2.0
// The answer to get_slots: every session and every slot, for operators,
// tests and the scenario runner.
#pragma once

#include <cstdint>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

struct session_info {
  session_id id = 0;
  bool up = false;
  epoch_t epoch = 0;
  std::uint32_t cap = 0;         ///< configured
  std::uint32_t learned_cap = 0; ///< lowered by OPSP0008
  std::uint32_t used = 0;        ///< pending + active + releasing
  friend bool operator==(const session_info& a, const session_info& b) {
    return a.id == b.id && a.up == b.up && a.epoch == b.epoch && a.cap == b.cap
           && a.learned_cap == b.learned_cap && a.used == b.used;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_info& x) {
  return f(caf::meta::type_name("session_info"), x.id, x.up, x.epoch, x.cap,
           x.learned_cap, x.used);
}

/// One slot. Demand without a place yet has `session == no_session` and
/// state `requested`.
struct slot_info {
  session_id session = no_session;
  slot_key key;
  slot_state state = slot_state::requested;
  priority level = lowest_priority;
  std::vector<owner_ref> owners;
  mono_time since{0}; ///< when it entered `state`
  friend bool operator==(const slot_info& a, const slot_info& b) {
    return a.session == b.session && a.key == b.key && a.state == b.state
           && a.level == b.level && a.owners == b.owners && a.since == b.since;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_info& x) {
  return f(caf::meta::type_name("slot_info"), x.session, x.key, x.state,
           x.level, x.owners, x.since);
}

/// Sessions by id; slots by (session, tr_id, tr_key).
struct slot_snapshot {
  std::vector<session_info> sessions;
  std::vector<slot_info> slots;
  friend bool operator==(const slot_snapshot& a, const slot_snapshot& b) {
    return a.sessions == b.sessions && a.slots == b.slots;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_snapshot& x) {
  return f(caf::meta::type_name("slot_snapshot"), x.sessions, x.slots);
}

} // namespace kisrt
