// SPDX-License-Identifier: Apache-2.0
#include "actors/scanner.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "actors/poll_guard.hpp"

namespace kisrt {

ranking_source::~ranking_source() = default;

namespace {

using self_ptr = scanner_actor::stateful_pointer<scanner_state>;

bool trading_day(self_ptr self) {
  auto& cfg = self->state.cfg;
  auto t = cfg.kst->to_kst(now_of(self));
  return cfg.calendar.is_trading_day(kst_clock::yyyymmdd(t.day), t.weekday);
}

bool is_open(self_ptr self) {
  auto& cfg = self->state.cfg;
  return trading_day(self) && cfg.hours.is_open(cfg.kst->to_kst(now_of(self)));
}

void poll(self_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  auto patience =
      std::max(st.cfg.poll_interval * 3, mono_time{std::chrono::seconds{30}});
  if (!st.cfg.source || !poll_may_start(st.polling, now, patience))
    return;
  st.polling = now;
  scanner_actor hdl{self};
  st.cfg.source->fetch(
      [hdl](ranking_snapshot x) { caf::anon_send(hdl, std::move(x)); });
}

// The next tick: one poll interval while the market is open, else the next
// opening minute (so a closed market costs no polls).
void schedule(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (cfg.poll_interval.count() <= 0)
    return;
  auto now = now_of(self);
  auto delay = cfg.poll_interval;
  if (!is_open(self)) {
    auto at = cfg.kst->next_at(now, cfg.hours.open_minute / 60,
                               cfg.hours.open_minute % 60);
    delay = at - now;
  }
  self->delayed_send(self, delay, caf::tick_atom_v);
}

} // namespace

scanner_actor::behavior_type
scanner(scanner_actor::stateful_pointer<scanner_state> self, scanner_config cfg,
        slot_arbiter_actor arbiter) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.core.emplace(st.cfg.filter);
  st.arbiter = std::move(arbiter);
  if (!st.cfg.kst)
    st.cfg.kst = kst_clock::unanchored(now_of(self));
  if (!st.cfg.hours.weekdays_only)
    st.cfg.calendar.weekdays_only = false;
  // The calendar decides the day; the hours only the minutes.
  st.cfg.hours.weekdays_only = false;
  if (is_open(self))
    poll(self);
  schedule(self);
  return {
      [self](const holding_set& x) { self->state.core->set_holdings(x); },
      [self](const position_update& x) { self->state.core->set_position(x); },
      [self](const pick_list& x) { self->state.core->set_picks(x); },
      [self](const ranking_snapshot& x) {
        auto& st = self->state;
        st.polling.reset();
        if (!x.error.empty()) {
          spdlog::warn("scanner: ranking poll failed: {}", x.error);
          return;
        }
        if (!trading_day(self)) {
          spdlog::debug("scanner: no trading today, rankings ignored");
          return;
        }
        auto out = st.core->scan(x.rows, now_of(self));
        if (!out.items.empty())
          self->send(*st.arbiter, std::move(out));
      },
      [self](const calendar_update& x) {
        self->state.cfg.calendar.merge(x.days);
      },
      [self](atom::poll) { poll(self); },
      [self](caf::get_atom, atom::candidates) {
        return self->state.core->current(now_of(self));
      },
      [self](caf::tick_atom) {
        if (is_open(self))
          poll(self);
        schedule(self);
      },
  };
}

} // namespace kisrt
