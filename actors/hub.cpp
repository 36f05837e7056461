// SPDX-License-Identifier: Apache-2.0
#include "actors/hub.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/kst_clock.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt {

namespace {

using self_ptr = hub_actor::stateful_pointer<hub_state>;

// Forgets subscriber `sub`: its handle, its address and its queue.
void remove_subscriber(hub_state& st, hub_core::sub_id sub) {
  if (auto it = st.listeners.find(sub); it != st.listeners.end()) {
    st.by_addr.erase(it->second.address());
    st.listeners.erase(it);
  }
  st.core.remove(sub);
}

void flush(self_ptr self) {
  auto& st = self->state;
  for (auto& d : st.out) {
    auto it = st.listeners.find(d.sub);
    if (it == st.listeners.end())
      continue;
    // Every n-th delivery is a request: its automatic answer (the handler
    // returns void) confirms the subscriber got that far. n < window, so
    // a busy subscriber always has a confirmation on its way.
    if (d.seq % st.cfg.confirm_every == 0) {
      auto sub = d.sub;
      auto seq = d.seq;
      self->request(it->second, caf::infinite, std::move(d.msg))
          .then(
              [self, sub, seq]() {
                auto& state = self->state;
                state.out.clear();
                state.core.confirmed(sub, seq, state.out);
                flush(self);
              },
              [self, sub](const caf::error&) {
                // The listener is gone or failed: drop its subscription.
                remove_subscriber(self->state, sub);
              });
    } else {
      // Typed actors may not send() to dynamically typed handles, so the
      // message goes to the mailbox directly, with the hub as sender: a
      // node gate proxy forwards only what comes from the hub
      // (actors/node_gate_proxy.hpp). FIFO with the requests above.
      it->second->enqueue(caf::strong_actor_ptr{self->ctrl()},
                          caf::make_message_id(), std::move(d.msg),
                          self->context());
    }
  }
  st.out.clear();
}

template <class Event>
void publish(self_ptr self, Event&& ev) {
  auto& st = self->state;
  // A generic record of a TR without a key field has an empty key: no
  // slot to report as seen.
  // A price snapshot is asked for, not data the key sent: it does not
  // count against silence.
  if constexpr (!std::is_same_v<std::decay_t<Event>, snapshot_event>)
    if (st.arbiter && !key_of(ev).empty())
      st.seen[ev.session][slot_key{ev.tr_id, key_of(ev)}] = now_of(self);
  if (st.core.size() == 0)
    return;
  hub_item item{ev.tr_id, key_of(ev), is_critical(ev),
                caf::make_message(std::forward<Event>(ev))};
  st.out.clear();
  st.core.publish(item, st.out);
  flush(self);
}

hub_core::sub_id subscriber(self_ptr self, const market_listener_actor& l) {
  auto& st = self->state;
  auto addr = l.address();
  if (auto it = st.by_addr.find(addr); it != st.by_addr.end())
    return it->second;
  auto window = l.node() == self->node() ? st.cfg.local_window : st.cfg.window;
  auto id = st.core.add(hub_filter{}, st.cfg.policy, window);
  st.by_addr.emplace(addr, id);
  st.listeners.emplace(id, caf::actor_cast<caf::actor>(l));
  self->monitor(l);
  return id;
}

} // namespace

hub_actor::behavior_type hub(hub_actor::stateful_pointer<hub_state> self,
                             hub_config cfg,
                             std::optional<slot_arbiter_actor> arbiter) {
  auto& st = self->state;
  st.core = hub_core{cfg.window, cfg.max_queue};
  if (cfg.local_window == 0)
    cfg.local_window = cfg.window;
  auto smallest = std::min(cfg.window, cfg.local_window);
  if (cfg.confirm_every == 0 || cfg.confirm_every >= smallest)
    cfg.confirm_every = std::max<std::uint32_t>(1, smallest / 2);
  st.cfg = cfg;
  st.arbiter = std::move(arbiter);
  self->set_down_handler([self](const caf::down_msg& msg) {
    auto& st = self->state;
    if (auto it = st.by_addr.find(msg.source); it != st.by_addr.end())
      remove_subscriber(st, it->second);
  });
  if (st.arbiter)
    self->delayed_send(self, st.cfg.seen_interval, caf::tick_atom_v);
  return market_behavior<hub_actor::behavior_type>(
      // -- market events: every type of the list --
      [self](auto& ev) { publish(self, std::move(ev)); },
      // -- subscriptions --
      [self](caf::subscribe_atom, market_listener_actor l) {
        self->state.core.subscribe_all(subscriber(self, l), true);
      },
      [self](caf::subscribe_atom, market_listener_actor l, slot_key key) {
        self->state.core.subscribe(subscriber(self, l), key);
      },
      [self](caf::unsubscribe_atom, market_listener_actor l) {
        auto& st = self->state;
        auto it = st.by_addr.find(l.address());
        if (it == st.by_addr.end())
          return;
        self->demonitor(l.address());
        remove_subscriber(st, it->second);
      },
      [self](caf::unsubscribe_atom, market_listener_actor l, slot_key key) {
        auto& st = self->state;
        if (auto it = st.by_addr.find(l.address()); it != st.by_addr.end())
          st.core.unsubscribe(it->second, key);
      },
      [self](caf::get_atom, atom::stats) -> hub_counters {
        auto& st = self->state;
        auto t = st.core.totals();
        return {t.delivered, t.dropped, t.conflated,
                static_cast<std::uint32_t>(st.core.size())};
      },
      // -- timers --
      [self](caf::tick_atom) {
        auto& st = self->state;
        for (auto& [session, keys] : st.seen) {
          if (keys.empty())
            continue;
          data_seen_batch batch;
          batch.session = session;
          for (auto& [key, at] : keys)
            batch.items.push_back(data_seen{key, at});
          keys.clear();
          self->send(*st.arbiter, std::move(batch));
        }
        self->delayed_send(self, st.cfg.seen_interval, caf::tick_atom_v);
      });
}

} // namespace kisrt
