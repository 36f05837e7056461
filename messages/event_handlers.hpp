// SPDX-License-Identifier: Apache-2.0
// Behaviors over the list of market events (messages/event_list.hpp): a
// listener writes handlers for the events it cares about and one fallback
// for the rest, so a new event type needs no edit here or in any listener.
//
//   return market_behavior<market_listener_actor::behavior_type>(
//       [self](auto& ev) { publish(self, std::move(ev)); },   // every event
//       [self](const notice_event& ev) { ... },                // but this one
//       [self](caf::tick_atom) { ... });                       // other input
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

#include <caf/detail/type_list.hpp>

#include "messages/market_events.hpp"

namespace kisrt {

/// Calls `f(ev)` for one event type: a handler whose signature CAF can read
/// (a generic lambda has none).
template <class Event, class F>
struct market_event_handler {
  F f;
  void operator()(Event& ev) { f(ev); }
};

/// A fallback that drops the event (consumers that want only some events).
inline constexpr auto ignore_event = [](const auto&) {};

namespace detail {

template <class Event, class... Hs>
constexpr bool handled_by = (std::is_invocable_v<Hs&, Event&> || ...);

template <class Event, class F, class... Hs>
auto fallback_for(const F& f) {
  if constexpr (handled_by<Event, Hs...>)
    return std::tuple<>{};
  else
    return std::tuple<market_event_handler<Event, F>>{{f}};
}

template <class Behavior, class F, class... Es, class... Hs>
Behavior market_behavior(caf::detail::type_list<Es...>, const F& fallback,
                         Hs&&... hs) {
  auto fallbacks = std::tuple_cat(fallback_for<Es, F, Hs...>(fallback)...);
  return std::apply(
      [&](auto&... fs) {
        return Behavior(std::move(fs)..., std::forward<Hs>(hs)...);
      },
      fallbacks);
}

} // namespace detail

/// A `Behavior` of the handlers `hs` plus, for every event of `Events` that
/// no handler of `hs` takes, one that calls `fallback(Event&)`.
template <class Behavior, class Events = market_event_types, class F,
          class... Hs>
Behavior market_behavior(const F& fallback, Hs&&... hs) {
  return detail::market_behavior<Behavior>(Events{}, fallback,
                                           std::forward<Hs>(hs)...);
}

} // namespace kisrt
