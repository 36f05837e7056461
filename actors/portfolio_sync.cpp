// SPDX-License-Identifier: Apache-2.0
#include "actors/portfolio_sync.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "actors/poll_guard.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt {

balance_source::~balance_source() = default;

mono_time poll_retry_delay(std::uint32_t failures, mono_time min,
                           mono_time max) {
  auto d = min;
  for (std::uint32_t i = 1; i < failures && d < max; ++i)
    d *= 2;
  return std::min(d, max);
}

namespace {

using self_ptr = portfolio_sync_actor::stateful_pointer<portfolio_sync_state>;

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
  if (!st.cfg.source || !poll_may_start(st.polling, now, patience))
    return;
  st.polling = now;
  portfolio_sync_actor hdl{self};
  st.cfg.source->fetch(
      [hdl](balance_snapshot x) { caf::anon_send(hdl, std::move(x)); });
}

// Asks for a poll at `at` (the earlier of this and one already due).
void poll_at(self_ptr self, mono_time at) {
  auto& st = self->state;
  if (st.extra_poll && *st.extra_poll <= at)
    return;
  st.extra_poll = at;
  auto now = now_of(self);
  self->delayed_send(self, at > now ? at - now : mono_time{0}, atom::retry_v);
}

void on_snapshot(self_ptr self, const balance_snapshot& x) {
  auto& st = self->state;
  auto now = now_of(self);
  auto asked = st.polling.value_or(now);
  st.polling.reset();
  if (!x.error.empty()) {
    ++st.status.failures;
    st.status.last_poll_ok = false;
    st.status.last_error = x.error;
    if (!st.cfg.source) {
      spdlog::warn("portfolio_sync: balance inquiry failed: {}; holdings "
                   "stay as the notices left them",
                   x.error);
      return;
    }
    auto wait = poll_retry_delay(st.status.failures, st.cfg.retry_min,
                                 st.cfg.retry_max);
    spdlog::warn(
        "portfolio_sync: balance inquiry failed ({} in a row): {}; "
        "holdings stay as the notices left them, retry in {} ms",
        st.status.failures, x.error,
        std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
    poll_at(self, now + wait);
    return;
  }
  if (st.status.failures > 0)
    spdlog::info("portfolio_sync: balance inquiry succeeded after {} "
                 "failure(s)",
                 st.status.failures);
  st.status.failures = 0;
  st.status.last_poll_ok = true;
  st.status.last_error.clear();
  st.status.last_success = now;
  // This answer is the latest truth: what it still disagrees with decides
  // the next extra poll, not what an older answer or failure asked for.
  st.extra_poll.reset();
  for (auto& d : st.core->reconcile(x.rows, asked))
    spdlog::info("portfolio_sync: reconciled {}", d);
  if (auto at = st.core->follow_up(); at && st.cfg.source) {
    spdlog::info("portfolio_sync: a recent fill disagrees with the balance; "
                 "polling again when its settle window ends in {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     *at > now ? *at - now : mono_time{0})
                     .count());
    poll_at(self, *at);
  }
  tell(self, st.core->holdings());
}

} // namespace

portfolio_sync_actor::behavior_type portfolio_sync(
    portfolio_sync_actor::stateful_pointer<portfolio_sync_state> self,
    portfolio_sync_config cfg, slot_arbiter_actor arbiter) {
  auto& st = self->state;
  st.core.emplace(cfg.settle, cfg.account);
  st.cfg = std::move(cfg);
  st.arbiter = std::move(arbiter);
  poll(self);
  if (st.cfg.poll_interval.count() > 0)
    self->delayed_send(self, st.cfg.poll_interval, caf::tick_atom_v);
  return market_behavior<portfolio_sync_actor::behavior_type,
                         critical_event_types>(
      // Other notices (overseas: positions not held here) are ignored.
      ignore_event,
      // -- notices --
      [self](const notice_event& x) {
        auto& core = *self->state.core;
        auto upd = core.apply(x.data, now_of(self), x.session);
        if (!core.last_duplicate().empty())
          spdlog::info("portfolio_sync: fill ignored as a duplicate: {}",
                       core.last_duplicate());
        if (upd) {
          spdlog::info("portfolio_sync: fill {} {} {} -> position {}",
                       x.data.order_side == kis::side::buy ? "buy" : "sell",
                       x.data.symbol, x.data.fill_qty, upd->quantity);
          tell(self, *upd);
        }
      },
      // -- slot events: a replayed session means a reconnect --
      [](const slot_granted&) {}, [](const slot_active&) {},
      [](const slot_evicted&) {}, [](const slot_rejected&) {},
      [](const slots_starved&) {},
      [self](const session_replayed&) { poll(self); }, [](const slot_stale&) {},
      // -- balances --
      [self](const balance_snapshot& x) { on_snapshot(self, x); },
      [self](atom::poll) { poll(self); },
      [self](caf::get_atom, atom::holdings) {
        return balance_snapshot{self->state.core->positions(), {}};
      },
      [self](caf::get_atom, atom::poll) {
        auto st = self->state.status;
        st.has_source = self->state.cfg.source != nullptr;
        st.polling = self->state.polling.has_value();
        return st;
      },
      [self](atom::retry) {
        auto& st = self->state;
        if (!st.extra_poll || now_of(self) < *st.extra_poll)
          return; // a stale timer: what is due now comes later or is done
        st.extra_poll.reset();
        poll(self);
      },
      [self](caf::tick_atom) {
        poll(self);
        self->delayed_send(self, self->state.cfg.poll_interval,
                           caf::tick_atom_v);
      });
}

} // namespace kisrt
