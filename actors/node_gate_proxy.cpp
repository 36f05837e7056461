// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate_proxy.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/event_handlers.hpp"

namespace kisrt {

namespace {

using self_ptr = market_listener_actor::stateful_pointer<node_proxy_state>;

void flush(self_ptr self) {
  auto& st = self->state;
  for (auto& d : st.out) {
    if (d.seq % st.cfg.confirm_every == 0) {
      // The listener's automatic answer confirms it got that far; the
      // request carries this proxy as sender, never the hub.
      auto seq = d.seq;
      self->request(st.remote, caf::infinite, std::move(d.msg))
          .then(
              [self, seq]() {
                auto& state = self->state;
                state.out.clear();
                state.core.confirmed(state.sub, seq, state.out);
                flush(self);
              },
              [self](const caf::error& err) {
                // The listener is gone or failed: so is this proxy (the
                // hub and the gate see it go down).
                self->quit(err);
              });
    } else {
      caf::anon_send(st.remote, std::move(d.msg));
    }
  }
  st.out.clear();
}

template <class Event>
void forward(self_ptr self, Event&& ev) {
  auto& st = self->state;
  // Only the hub's events go on. Anyone who learned this proxy's address
  // (the node itself, from a confirmation request, or a node guessing
  // actor ids) is dropped here.
  if (self->current_sender() == nullptr
      || self->current_sender()->address() != st.hub) {
    ++st.refused;
    return;
  }
  auto key = key_of(ev);
  hub_item item{ev.tr_id, std::move(key), is_critical(ev),
                caf::make_message(std::forward<Event>(ev))};
  st.out.clear();
  st.core.publish(item, st.out);
  flush(self);
}

} // namespace

market_listener_actor::behavior_type
node_proxy(market_listener_actor::stateful_pointer<node_proxy_state> self,
           node_proxy_config cfg, caf::actor_addr hub,
           market_listener_actor remote) {
  auto& st = self->state;
  if (cfg.window == 0)
    cfg.window = 1;
  if (cfg.confirm_every == 0 || cfg.confirm_every >= cfg.window)
    cfg.confirm_every = std::max<std::uint32_t>(1, cfg.window / 2);
  st.cfg = cfg;
  st.core = hub_core{cfg.window, cfg.max_queue};
  hub_filter all;
  all.all = true;
  st.sub = st.core.add(all, overflow_policy::conflate, cfg.window);
  st.hub = std::move(hub);
  st.remote = caf::actor_cast<caf::actor>(remote);
  // The listener's end ends this proxy.
  self->monitor(remote);
  self->set_down_handler([self](const caf::down_msg& dm) {
    if (dm.source == self->state.remote.address())
      self->quit(dm.reason);
  });
  // Whatever else a node sends here (subscribe requests, ...) is dropped
  // without a word.
  self->set_default_handler(caf::drop);
  return market_behavior<market_listener_actor::behavior_type>(
      [self](auto& ev) { forward(self, std::move(ev)); });
}

} // namespace kisrt
