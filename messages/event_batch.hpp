// SPDX-License-Identifier: Apache-2.0
// Market events to a remote node travel in batches: one middleman message
// per batch instead of one per event (actors/node_gate_proxy.hpp,
// docs/nodes.md). A batch keeps the hub's order, so per-key order holds.
// A remote listener unpacks it with for_each_event(), or is written with
// remote_market_behavior(), which does it for the listener's handlers.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/detail/type_list.hpp>
#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/event_handlers.hpp"
#include "messages/market_events.hpp"

namespace kisrt {

/// Consecutive market events for one remote listener; each element holds
/// exactly one event of the list (messages/event_list.hpp).
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

template <class F, class... Es>
bool visit_event(caf::message& m, F& f, caf::detail::type_list<Es...>) {
  return ((m.match_elements<Es>() ? (f(m.get_mutable_as<Es>(0)), true) : false)
          || ...);
}

// Calls the first of `hs` that takes `ev`.
template <class Event, class H, class... Hs>
void dispatch_event(Event& ev, H& h, Hs&... hs) {
  if constexpr (std::is_invocable_v<H&, Event&>)
    h(ev);
  else
    dispatch_event(ev, hs...);
}

} // namespace detail

/// Calls `f` with each event of `batch` in order, as its own type (a
/// generic lambda or an overload set taking every event of the list).
/// Returns how many elements were not a market event (skipped).
template <class F>
std::size_t for_each_event(event_batch& batch, F&& f) {
  std::size_t skipped = 0;
  for (auto& m : batch.events)
    if (!detail::visit_event(m, f, market_event_types{}))
      ++skipped;
  return skipped;
}

/// market_behavior() (messages/event_handlers.hpp) for a remote listener:
/// the same handlers and fallback, plus one for `event_batch` that hands
/// each event of a batch to the handler that takes it (else `fallback`).
/// The batch handler holds copies of the handlers: let them capture
/// pointers or references to shared state, not state of their own.
template <class Behavior, class F, class... Hs>
Behavior remote_market_behavior(const F& fallback, Hs... hs) {
  auto unpack = [fallback, hs...](event_batch& batch) mutable {
    for_each_event(
        batch, [&](auto& ev) { detail::dispatch_event(ev, hs..., fallback); });
  };
  return market_behavior<Behavior>(fallback, std::move(hs)...,
                                   std::move(unpack));
}

} // namespace kisrt
