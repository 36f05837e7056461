// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate_proxy.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/event_handlers.hpp"

namespace kisrt {

namespace {

using self_ptr = node_proxy_actor::stateful_pointer<node_proxy_state>;

void take(self_ptr self, std::vector<hub_delivery>& out);

// Sends the pending batch. It goes as a request when it reaches a
// confirmation point (every confirm_every-th event): the listener's
// automatic answer confirms everything up to the batch's last event.
void send_batch(self_ptr self) {
  auto& st = self->state;
  if (st.pending.empty())
    return;
  event_batch batch;
  batch.events.swap(st.pending);
  auto first = st.first_seq;
  auto last = st.last_seq;
  ++st.batch_no;
  st.deadline_set = false;
  ++st.batches;
  auto every = st.cfg.confirm_every;
  if (last / every > (first - 1) / every) {
    // The request carries this proxy as sender, never the hub.
    self->request(st.remote, caf::infinite, std::move(batch))
        .then(
            [self, last]() {
              auto& state = self->state;
              state.out.clear();
              state.core.confirmed(state.sub, last, state.out);
              take(self, state.out);
            },
            [self](const caf::error& err) {
              // The listener is gone or failed: so is this proxy (the
              // hub and the gate see it go down).
              self->quit(err);
            });
  } else {
    caf::anon_send(st.remote, std::move(batch));
  }
}

// Adds deliveries to the pending batch; sends full batches, and arms the
// deadline of a batch that just got its first event.
void take(self_ptr self, std::vector<hub_delivery>& out) {
  auto& st = self->state;
  for (auto& d : out) {
    if (st.pending.empty())
      st.first_seq = d.seq;
    st.last_seq = d.seq;
    st.pending.push_back(std::move(d.msg));
    if (st.pending.size() >= st.cfg.batch_max)
      send_batch(self);
  }
  out.clear();
  if (st.pending.empty() || st.deadline_set)
    return;
  if (st.cfg.batch_delay.count() == 0) {
    send_batch(self);
    return;
  }
  st.deadline_set = true;
  self->delayed_send(self, st.cfg.batch_delay, caf::tick_atom_v, st.batch_no);
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
  bool critical = is_critical(ev);
  auto key = key_of(ev);
  hub_item item{ev.tr_id, std::move(key), critical,
                caf::make_message(std::forward<Event>(ev))};
  st.out.clear();
  st.core.publish(item, st.out);
  take(self, st.out);
  // A notice never waits for a deadline (nor do the events before it,
  // which keeps the order).
  if (critical)
    send_batch(self);
}

} // namespace

node_proxy_actor::behavior_type
node_proxy(node_proxy_actor::stateful_pointer<node_proxy_state> self,
           node_proxy_config cfg, caf::actor_addr hub,
           remote_listener_actor remote) {
  auto& st = self->state;
  if (cfg.window == 0)
    cfg.window = 1;
  if (cfg.confirm_every == 0 || cfg.confirm_every >= cfg.window)
    cfg.confirm_every = std::max<std::uint32_t>(1, cfg.window / 2);
  // A batch never holds more than the window allows in flight.
  cfg.batch_max = std::clamp<std::uint32_t>(cfg.batch_max, 1, cfg.window);
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
  return market_behavior<node_proxy_actor::behavior_type>(
      [self](auto& ev) { forward(self, std::move(ev)); },
      [self](caf::tick_atom, std::uint64_t n) {
        // Only this proxy's own deadlines count; a tick from a node (it may
        // know this address) is dropped like any other stranger's message.
        auto& st = self->state;
        if (self->current_sender() == nullptr
            || self->current_sender()->address() != self->address())
          return;
        if (n == st.batch_no)
          send_batch(self);
      });
}

} // namespace kisrt
