// SPDX-License-Identifier: Apache-2.0
#include "messages/slot_types.hpp"

#include "messages/session_messages.hpp"
#include "messages/slot_events.hpp"
#include "messages/slot_outcome.hpp"

namespace kisrt {

std::string to_string(slot_state x) {
  switch (x) {
    case slot_state::requested: return "requested";
    case slot_state::pending: return "pending";
    case slot_state::active: return "active";
    case slot_state::rejected: return "rejected";
    case slot_state::releasing: return "releasing";
  }
  return "?";
}

std::string to_string(owner_kind x) {
  switch (x) {
    case owner_kind::notice: return "notice";
    case owner_kind::holding: return "holding";
    case owner_kind::pick: return "pick";
    case owner_kind::scan: return "scan";
    case owner_kind::request: return "request";
  }
  return "?";
}

std::string to_string(wire_op x) {
  return x == wire_op::subscribe ? "subscribe" : "unsubscribe";
}

std::string to_string(evict_reason x) {
  switch (x) {
    case evict_reason::preempted: return "preempted";
    case evict_reason::released: return "released";
    case evict_reason::recycled: return "recycled";
    case evict_reason::moved: return "moved";
    case evict_reason::stale: return "stale";
  }
  return "?";
}

std::string to_string(slot_outcome_state x) {
  switch (x) {
    case slot_outcome_state::granted: return "granted";
    case slot_outcome_state::active: return "active";
    case slot_outcome_state::rejected: return "rejected";
    case slot_outcome_state::evicted: return "evicted";
    case slot_outcome_state::starved: return "starved";
    case slot_outcome_state::stale: return "stale";
    case slot_outcome_state::replayed: return "replayed";
  }
  return "?";
}

} // namespace kisrt
