// SPDX-License-Identifier: Apache-2.0
#include "actors/portfolio_sync.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

namespace kisrt {

balance_source::~balance_source() = default;

namespace {

using self_ptr = portfolio_sync_actor::stateful_pointer<portfolio_sync_state>;

mono_time now_of(self_ptr self) {
  return std::chrono::duration_cast<mono_time>(
      self->clock().now().time_since_epoch());
}

template <class T>
void tell(self_ptr self, const T& x) {
  self->send(*self->state.arbiter, x);
  for (auto& l : self->state.cfg.listeners)
    self->send(l, x);
}

void poll(self_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  // A poll that never answered does not block the next one forever.
  auto patience =
      std::max(st.cfg.poll_interval, mono_time{std::chrono::minutes{1}});
  if (!st.cfg.source || (st.polling && now - *st.polling < patience))
    return;
  st.polling = now;
  portfolio_sync_actor hdl{self};
  st.cfg.source->fetch(
      [hdl](balance_snapshot x) { caf::anon_send(hdl, std::move(x)); });
}

void on_snapshot(self_ptr self, const balance_snapshot& x) {
  auto& st = self->state;
  auto now = now_of(self);
  auto asked = st.polling.value_or(now);
  st.polling.reset();
  if (!x.error.empty()) {
    spdlog::warn("portfolio_sync: balance inquiry failed: {}; holdings stay "
                 "as the notices left them",
                 x.error);
    return;
  }
  for (auto& d : st.core->reconcile(x.rows, asked))
    spdlog::info("portfolio_sync: reconciled {}", d);
  tell(self, st.core->holdings());
}

} // namespace

portfolio_sync_actor::behavior_type portfolio_sync(
    portfolio_sync_actor::stateful_pointer<portfolio_sync_state> self,
    portfolio_sync_config cfg, slot_arbiter_actor arbiter) {
  auto& st = self->state;
  st.core.emplace(cfg.settle);
  st.cfg = std::move(cfg);
  st.arbiter = std::move(arbiter);
  poll(self);
  if (st.cfg.poll_interval.count() > 0)
    self->delayed_send(self, st.cfg.poll_interval, caf::tick_atom_v);
  return {
      // -- notices -----------------------------------------------------------
      [self](const notice_event& x) {
        if (auto upd = self->state.core->apply(x.data, now_of(self))) {
          spdlog::info("portfolio_sync: fill {} {} {} -> position {}",
                       x.data.order_side == kis::side::buy ? "buy" : "sell",
                       x.data.symbol, x.data.fill_qty, upd->quantity);
          tell(self, *upd);
        }
      },
      // The remaining market events are not about holdings.
      [](const trade_event&) {},
      [](const book_event&) {},
      [](const program_event&) {},
      [](const expected_event&) {},
      [](const status_event&) {},
      [](const overseas_trade_event&) {},
      [](const overseas_book_event&) {},
      [](const overseas_notice_event&) {},
      // -- slot events: a replayed session means a reconnect -----------------
      [](const slot_granted&) {},
      [](const slot_active&) {},
      [](const slot_evicted&) {},
      [](const slot_rejected&) {},
      [](const slots_starved&) {},
      [self](const session_replayed&) { poll(self); },
      [](const slot_stale&) {},
      // -- balances ----------------------------------------------------------
      [self](const balance_snapshot& x) { on_snapshot(self, x); },
      [self](atom::poll) { poll(self); },
      [self](caf::get_atom, atom::holdings) {
        return balance_snapshot{self->state.core->positions(), {}};
      },
      [self](caf::tick_atom) {
        poll(self);
        self->delayed_send(self, self->state.cfg.poll_interval,
                           caf::tick_atom_v);
      },
  };
}

} // namespace kisrt
