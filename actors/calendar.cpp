// SPDX-License-Identifier: Apache-2.0
#include "actors/calendar.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "actors/poll_guard.hpp"

namespace kisrt {

calendar_source::~calendar_source() = default;

// -- the cache file -----------------------------------------------------------

std::optional<calendar_cache_file> read_calendar_cache(const std::string& path,
                                                       std::string& error) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::string text;
  text.resize(calendar_cache_file::max_bytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > calendar_cache_file::max_bytes) {
    error = "larger than " + std::to_string(calendar_cache_file::max_bytes)
            + " bytes";
    return std::nullopt;
  }
  std::istringstream lines{text};
  std::string line;
  calendar_cache_file out;
  if (!std::getline(lines, line) || line.rfind("kisrt-calendar 1 ", 0) != 0) {
    error = "no kisrt-calendar header";
    return std::nullopt;
  }
  auto asked = parse_date(line.substr(17));
  if (!asked) {
    error = "bad date in the header";
    return std::nullopt;
  }
  out.asked_on = *asked;
  int n = 1;
  while (std::getline(lines, line)) {
    ++n;
    auto d = line.size() == 10 && line[8] == ' '
                 ? parse_date(std::string_view{line}.substr(0, 8))
                 : std::nullopt;
    if (!d || (line[9] != 'Y' && line[9] != 'N')) {
      error = "line " + std::to_string(n) + " is not 'YYYYMMDD Y|N'";
      return std::nullopt;
    }
    out.days.push_back(calendar_day{*d, line[9] == 'Y'});
  }
  return out;
}

bool write_calendar_cache(const std::string& path, const calendar_cache_file& x,
                          std::string& error) {
  std::string text = "kisrt-calendar 1 " + std::to_string(x.asked_on) + "\n";
  for (auto& d : x.days) {
    if (text.size() + 11 > calendar_cache_file::max_bytes)
      break; // bounded: the oldest days first, the rest asked again
    text += std::to_string(d.date) + (d.open ? " Y\n" : " N\n");
  }
  // The directory's parents as the token cache makes them (0700).
  for (auto pos = path.find('/', 1); pos != std::string::npos;
       pos = path.find('/', pos + 1))
    ::mkdir(path.substr(0, pos).c_str(), 0700);
  auto tmp = path + ".tmp";
  {
    std::ofstream out{tmp, std::ios::binary | std::ios::trunc};
    if (!out
        || !out.write(text.data(), static_cast<std::streamsize>(text.size()))) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + tmp + " to " + path;
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// -- the actor ----------------------------------------------------------------

namespace {

using self_ptr = calendar_actor::stateful_pointer<calendar_state>;

kst_time now_kst(self_ptr self) {
  return self->state.cfg.kst->to_kst(now_of(self));
}

std::int32_t today(self_ptr self) {
  return kst_clock::yyyymmdd(now_kst(self).day);
}

calendar_update known(self_ptr self) {
  calendar_update out;
  for (auto& [date, open] : self->state.days)
    out.days.push_back(calendar_day{date, open});
  return out;
}

void tell(self_ptr self) {
  auto x = known(self);
  for (auto& l : self->state.cfg.listeners)
    self->send(l, x);
}

// Today's status: overrides, then KIS (or its cache), then weekdays.
void update_status(self_ptr self) {
  auto& st = self->state;
  auto t = now_kst(self);
  auto date = kst_clock::yyyymmdd(t.day);
  auto cal = st.cfg.calendar;
  for (auto& [d, open] : st.days)
    cal.merge({calendar_day{d, open}});
  st.status.today = date;
  st.status.trading_day = cal.is_trading_day(date, t.weekday);
  if (st.cfg.calendar.holidays.count(date) != 0
      || st.cfg.calendar.sessions.count(date) != 0)
    st.status.source = "config";
  else if (st.days.count(date) != 0)
    st.status.source = st.from_cache ? "cache" : "kis";
  else
    st.status.source = "weekdays";
  st.status.fallback =
      st.cfg.source && st.status.failures > 0 && st.days.count(date) == 0;
}

void merge(self_ptr self, const std::vector<calendar_day>& days) {
  auto& st = self->state;
  for (auto& d : days)
    st.days[d.date] = d.open;
  while (st.days.size() > trading_calendar::max_days)
    st.days.erase(st.days.begin());
}

void call(self_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  if (!st.cfg.source
      || !poll_may_start(st.calling, now, std::chrono::minutes{2}))
    return;
  st.calling = now;
  calendar_actor hdl{self};
  st.cfg.source->fetch(today(self), [hdl](calendar_update x) {
    caf::anon_send(hdl, std::move(x));
  });
}

void schedule_daily(self_ptr self) {
  auto& cfg = self->state.cfg;
  if (!cfg.timers)
    return;
  auto now = now_of(self);
  auto at = cfg.kst->next_at(now, cfg.refresh_hour, cfg.refresh_minute);
  self->delayed_send(self, at - now, caf::tick_atom_v);
}

mono_time retry_delay(const calendar_config& cfg, std::uint32_t failures) {
  auto d = cfg.retry_min;
  for (std::uint32_t i = 1; i < failures && d < cfg.retry_max; ++i)
    d *= 2;
  return std::min(d, cfg.retry_max);
}

void on_answer(self_ptr self, calendar_update& x) {
  auto& st = self->state;
  st.calling.reset();
  if (!x.error.empty()) {
    ++st.status.failures;
    st.status.last_error = x.error;
    update_status(self);
    auto wait = retry_delay(st.cfg, st.status.failures);
    spdlog::warn(
        "calendar: KIS holiday call failed ({} in a row): {}; {}, "
        "retry in {} s",
        st.status.failures, x.error,
        st.status.fallback ? "weekdays count as trading days until it answers"
                           : "today is known",
        std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    if (st.cfg.timers)
      self->delayed_send(self, wait, atom::poll_v);
    return;
  }
  merge(self, x.days);
  st.asked_on = today(self);
  st.from_cache = false;
  st.status.failures = 0;
  st.status.last_error.clear();
  update_status(self);
  spdlog::info("calendar: KIS says {} {} ({} days known)", st.status.today,
               st.status.trading_day ? "is a trading day" : "has no trading",
               st.days.size());
  if (!st.cfg.cache_path.empty()) {
    calendar_cache_file f;
    f.asked_on = st.asked_on;
    f.days = known(self).days;
    std::string err;
    if (!write_calendar_cache(st.cfg.cache_path, f, err))
      spdlog::warn("calendar: cache: {}", err);
  }
  tell(self);
}

} // namespace

calendar_actor::behavior_type
calendar(calendar_actor::stateful_pointer<calendar_state> self,
         calendar_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (!st.cfg.kst)
    st.cfg.kst = kst_clock::unanchored(now_of(self));
  if (!st.cfg.cache_path.empty()) {
    std::string err;
    if (auto f = read_calendar_cache(st.cfg.cache_path, err)) {
      merge(self, f->days);
      st.asked_on = f->asked_on;
      st.from_cache = true;
    } else if (!err.empty()) {
      spdlog::warn("calendar: ignoring the cache {}: {}", st.cfg.cache_path,
                   err);
    }
  }
  update_status(self);
  if (!st.days.empty())
    tell(self);
  // Asked once a day: a cache asked today is enough.
  if (st.asked_on != today(self))
    call(self);
  schedule_daily(self);
  return {
      [self](caf::subscribe_atom, calendar_listener_actor l) {
        if (!self->state.days.empty())
          self->send(l, known(self));
        self->state.cfg.listeners.push_back(std::move(l));
      },
      [self](calendar_update& x) { on_answer(self, x); },
      [self](atom::poll) { call(self); },
      [self](caf::get_atom, atom::poll) {
        update_status(self);
        return self->state.status;
      },
      [self](caf::tick_atom) {
        call(self);
        schedule_daily(self);
      },
  };
}

} // namespace kisrt
