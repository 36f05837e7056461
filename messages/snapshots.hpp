// SPDX-License-Identifier: Apache-2.0
// Price snapshots (actors/snapshot_fetcher.hpp): a key's current price by
// REST when it becomes active, before its first trade. The event itself,
// snapshot_event, is a line of the one list (messages/event_list.hpp).
#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/market_events.hpp"
#include "messages/slot_types.hpp"
#include "net/kis/price.hpp"

namespace kisrt {

/// The price source's answer to the snapshot fetcher: fetch `id` of `key`
/// (made active on `session`), the price or why there is none.
struct price_answer {
  slot_key key;
  session_id session = 0;
  std::uint64_t id = 0;
  kis::price_snapshot data;
  std::string error; ///< non-empty: failed (no secrets)
  friend bool operator==(const price_answer& a, const price_answer& b) {
    return a.key == b.key && a.session == b.session && a.id == b.id
           && a.data == b.data && a.error == b.error;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price_answer& x) {
  return f(caf::meta::type_name("price_answer"), x.key, x.session, x.id, x.data,
           x.error);
}

} // namespace kisrt
