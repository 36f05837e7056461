// SPDX-License-Identifier: Apache-2.0
// Market events to a remote node travel in batches: one middleman message
// per batch instead of one per event (actors/node_gate_proxy.hpp,
// docs/nodes.md). A batch keeps the hub's order, so per-key order holds.
// A remote listener unpacks it with for_each_event().
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/market_events.hpp"

namespace kisrt {

/// Consecutive market events for one remote listener; each element holds
/// exactly one event of the listener interface (a `*_event`).
struct event_batch {
  std::vector<caf::message> events;

  /// By content (tests): caf::message has no operator==.
  friend bool operator==(const event_batch& a, const event_batch& b) {
    if (a.events.size() != b.events.size())
      return false;
    for (std::size_t i = 0; i < a.events.size(); ++i)
      if (to_string(a.events[i]) != to_string(b.events[i]))
        return false;
    return true;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_batch& x) {
  return f(caf::meta::type_name("event_batch"), x.events);
}

namespace detail {

template <class F>
bool visit_event(caf::message&, F&) {
  return false;
}

template <class F, class T, class... Ts>
bool visit_event(caf::message& m, F& f) {
  if (m.match_elements<T>()) {
    f(m.get_mutable_as<T>(0));
    return true;
  }
  return visit_event<F, Ts...>(m, f);
}

} // namespace detail

/// Calls `f` with each event of `batch` in order, as its own type (a
/// generic lambda or an overload set taking every `*_event`). Returns how
/// many elements were not a market event (skipped).
template <class F>
std::size_t for_each_event(event_batch& batch, F&& f) {
  std::size_t skipped = 0;
  for (auto& m : batch.events)
    if (!detail::visit_event<F, trade_event, book_event, notice_event,
                             program_event, expected_event, status_event,
                             overseas_trade_event, overseas_book_event,
                             overseas_notice_event>(m, f))
      ++skipped;
  return skipped;
}

} // namespace kisrt
