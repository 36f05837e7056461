// SPDX-License-Identifier: Apache-2.0
// The arbiter's events in one shape, for those who report them rather than
// act on them: the log, the callback facade, remote nodes and the live
// table (actors/slot_feed.hpp makes them).
#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

enum class slot_outcome_state : std::uint8_t {
  granted,  ///< the plan gave the key a place on a session
  active,   ///< the server acknowledged the subscribe
  rejected, ///< the server refused the subscribe (msg_cd)
  evicted,  ///< the slot is given up (reason)
  starved,  ///< a holding has no place: holdings exceed the capacity
  stale,    ///< a holding or pick is silent during market hours
  replayed, ///< a session's plan was replayed after a connect (no key)
};

/// "granted", "active", "rejected", "evicted", "starved", "stale",
/// "replayed".
std::string to_string(slot_outcome_state x);

/// One slot outcome. `session` is no_session for a starved key; `key` is
/// empty for `replayed`. `level` is the slot's priority as last granted
/// (lowest_priority when unknown).
struct slot_outcome {
  session_id session = no_session;
  slot_key key;
  priority level = lowest_priority;
  slot_outcome_state state = slot_outcome_state::granted;
  std::string msg_cd; ///< rejected: the server's code, e.g. "OPSP8992"
  std::string reason; ///< evicted: preempted, released, ...; others: text
  friend bool operator==(const slot_outcome& a, const slot_outcome& b) {
    return a.session == b.session && a.key == b.key && a.level == b.level
           && a.state == b.state && a.msg_cd == b.msg_cd
           && a.reason == b.reason;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_outcome& x) {
  return f(caf::meta::type_name("slot_outcome"), x.session, x.key, x.level,
           x.state, x.msg_cd, x.reason);
}

} // namespace kisrt
