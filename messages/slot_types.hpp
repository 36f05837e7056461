// SPDX-License-Identifier: Apache-2.0
// The vocabulary of slot accounting: keys, states, owners and priorities.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <tuple>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

namespace kisrt {

/// One WebSocket session, i.e. one app key (configured index).
using session_id = std::uint32_t;

/// Marks a demand that has no session yet (no room anywhere).
constexpr session_id no_session = std::numeric_limits<session_id>::max();

/// Connection generation of a session; every connect starts a new one.
using epoch_t = std::uint64_t;

/// Time on the actor clock (steady), as the span since the clock's epoch.
/// Tests advance it; it is never wall-clock time.
using mono_time = caf::timespan;

/// Priority level: lower is more important. Levels 1..3 are the built-in
/// classes; explicit requests may use any level from 1 to 255.
using priority = std::uint8_t;

constexpr priority notice_priority = 0; ///< the execution notice
constexpr priority holding_priority = 1;
constexpr priority pick_priority = 2;
constexpr priority scan_priority = 3;
constexpr priority lowest_priority = 255;

/// What a registration is about: (tr_id, tr_key). Price and order book of
/// one symbol are different keys.
struct slot_key {
  std::string tr_id;
  std::string tr_key;
  friend bool operator==(const slot_key& a, const slot_key& b) noexcept {
    return a.tr_id == b.tr_id && a.tr_key == b.tr_key;
  }
  friend bool operator!=(const slot_key& a, const slot_key& b) noexcept {
    return !(a == b);
  }
  friend bool operator<(const slot_key& a, const slot_key& b) noexcept {
    return std::tie(a.tr_id, a.tr_key) < std::tie(b.tr_id, b.tr_key);
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_key& x) {
  return f(caf::meta::type_name("slot_key"), x.tr_id, x.tr_key);
}

enum class slot_state : std::uint8_t {
  requested, ///< wanted, no subscribe on the wire (no room, down, backoff)
  pending,   ///< subscribe sent, no answer yet (counts against the cap)
  active,    ///< acknowledged with OPSP0000/OPSP0002
  rejected,  ///< refused by the server (msg_cd in the rejected event)
  releasing, ///< unsubscribe sent, no answer yet (still counts)
};

std::string to_string(slot_state x);

/// Who wants a slot. A slot may have several owners; its priority is the
/// best (lowest) level among them.
enum class owner_kind : std::uint8_t {
  notice,  ///< the session's execution notice (reserved)
  holding, ///< P1: portfolio holdings
  pick,    ///< P2: daily picks
  scan,    ///< P3: scanner candidates
  request, ///< explicit request by a named owner (user, remote node)
};

std::string to_string(owner_kind x);

struct owner_ref {
  owner_kind kind = owner_kind::request;
  std::string name; ///< empty for the built-in sources
  priority level = lowest_priority;
  friend bool operator==(const owner_ref& a, const owner_ref& b) noexcept {
    return a.kind == b.kind && a.name == b.name && a.level == b.level;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, owner_ref& x) {
  return f(caf::meta::type_name("owner_ref"), x.kind, x.name, x.level);
}

} // namespace kisrt
