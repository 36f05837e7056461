// SPDX-License-Identifier: Apache-2.0
#include "actors/picks_loader.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "actors/kst_clock.hpp"
#include "net/kis/key_form.hpp"
#include "net/kis/stock_code.hpp"

namespace kisrt {

pick_store::~pick_store() = default;

bool pick_store::changed() {
  return false;
}

namespace {

using self_ptr = picks_loader_actor::stateful_pointer<picks_loader_state>;

std::int32_t today(self_ptr self) {
  return kst_clock::yyyymmdd(self->state.cfg.kst->to_kst(now_of(self)).day);
}

// One line per malformed code (at most 10, then a count), quoted so a
// code cannot forge a log line.
void log_malformed(const std::vector<std::string>& codes) {
  std::size_t shown = 0;
  for (auto& c : codes) {
    if (++shown > 10) {
      spdlog::warn("picks_loader: {} more malformed codes skipped",
                   codes.size() - 10);
      break;
    }
    spdlog::warn("picks_loader: skipped pick {}: not a 6-character stock "
                 "code nor an overseas key (DNASAAPL)",
                 kis::quote_key(c));
  }
}

void publish(self_ptr self, pick_set x) {
  auto& st = self->state;
  st.current = std::move(x);
  pick_list out;
  for (auto& p : st.current.picks)
    out.symbols.push_back(p.code);
  spdlog::info("picks_loader: {} picks for {}", out.symbols.size(),
               st.current.trade_date);
  self->send(*st.arbiter, out);
  for (auto& l : st.cfg.listeners)
    self->send(l, out);
}

void load(self_ptr self) {
  auto& st = self->state;
  auto date = today(self);
  pick_set x{date, {}};
  std::string warning;
  std::vector<std::string> malformed;
  if (st.cfg.store)
    x.picks = top_picks(st.cfg.store->load(date, st.cfg.top_n, warning),
                        st.cfg.top_n, &malformed);
  else
    warning = "no picks database configured";
  log_malformed(malformed);
  if (!warning.empty())
    spdlog::warn("picks_loader: {}; priority 2 stays empty", warning);
  else if (x.picks.empty())
    spdlog::warn("picks_loader: no picks for {}; priority 2 stays empty", date);
  publish(self, std::move(x));
}

void schedule(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (!cfg.daily_refresh)
    return;
  auto now = now_of(self);
  auto at = cfg.kst->next_at(now, cfg.refresh_hour, cfg.refresh_minute);
  self->delayed_send(self, at - now, caf::tick_atom_v);
}

// -- picks written while the gateway runs (picks.poll) --

void schedule_poll(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (cfg.poll > mono_time{0} && cfg.store)
    self->delayed_send(self, cfg.poll, caf::tick_atom_v, atom::poll_v);
}

// Takes the store's baseline before the first load, so a write between
// that load and the first poll is not missed.
void watch_store(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (cfg.poll > mono_time{0} && cfg.store)
    cfg.store->changed();
}

void check_store(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (cfg.store && cfg.store->changed()) {
    spdlog::info("picks_loader: the picks database changed; reloading");
    load(self);
  }
  schedule_poll(self);
}

} // namespace

std::vector<pick_entry> top_picks(std::vector<pick_entry> picks, std::size_t n,
                                  std::vector<std::string>* malformed) {
  std::stable_sort(picks.begin(), picks.end(), [](auto& a, auto& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.code < b.code;
  });
  std::vector<pick_entry> out;
  std::set<std::string> seen;
  for (auto& p : picks) {
    if (out.size() >= n)
      break;
    // A domestic stock code or an overseas key (DNASAAPL): the pick TRs
    // (slots.tr.pick, slots.tr.overseas_pick) take nothing else.
    if (!kis::is_stock_code(p.code) && !kis::is_overseas_key(p.code)) {
      if (malformed != nullptr)
        malformed->push_back(p.code);
      continue;
    }
    if (!seen.insert(p.code).second)
      continue;
    out.push_back(std::move(p));
    out.back().rank = static_cast<std::int32_t>(out.size());
  }
  return out;
}

picks_loader_actor::behavior_type
picks_loader(picks_loader_actor::stateful_pointer<picks_loader_state> self,
             picks_loader_config cfg, slot_arbiter_actor arbiter) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.arbiter = std::move(arbiter);
  if (!st.cfg.kst)
    st.cfg.kst = kst_clock::unanchored(now_of(self));
  watch_store(self);
  if (!st.cfg.weekdays_only)
    st.cfg.calendar.weekdays_only = false;
  load(self);
  schedule(self);
  schedule_poll(self);
  return {
      [self](pick_set& x) {
        auto date = today(self);
        if (x.trade_date != 0 && x.trade_date != date) {
          spdlog::warn("picks_loader: ignored {} picks for {} (today is {})",
                       x.picks.size(), x.trade_date, date);
          return;
        }
        auto n = x.picks.size();
        x.trade_date = date;
        std::vector<std::string> malformed;
        x.picks =
            top_picks(std::move(x.picks), self->state.cfg.top_n, &malformed);
        log_malformed(malformed);
        if (x.picks.size() < std::min(n, self->state.cfg.top_n))
          spdlog::warn("picks_loader: dropped picks with invalid or repeated "
                       "codes");
        publish(self, std::move(x));
      },
      [self](const calendar_update& x) {
        self->state.cfg.calendar.merge(x.days);
      },
      [self](atom::poll) { load(self); },
      [self](caf::tick_atom, atom::poll) { check_store(self); },
      [self](caf::get_atom, atom::picks) { return self->state.current; },
      [self](caf::tick_atom) {
        auto& cfg = self->state.cfg;
        auto wd = cfg.kst->to_kst(now_of(self)).weekday;
        if (!cfg.weekdays_only || (wd != 0 && wd != 6)) {
          if (cfg.calendar.is_trading_day(today(self), wd))
            load(self);
          else
            spdlog::info("picks_loader: no trading on {}, no reload",
                         today(self));
        }
        schedule(self);
      },
  };
}

} // namespace kisrt
