// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/live_table.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <spdlog/spdlog.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <tuple>

#include "actors/kst_clock.hpp"
#include "actors/slot_log_core.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "apps/kisrt/live_screen.hpp" // slot events + log region
#include "apps/kisrt/logging.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt::app {

// -- formatting --

std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0)
      len = 4, cp = c & 0x07;
    else if (c >= 0xE0)
      len = 3, cp = c & 0x0F;
    else if (c >= 0xC0)
      len = 2, cp = c & 0x1F;
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    bool wide =
        (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF)
        || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
    width += wide ? 2 : 1;
  }
  return width;
}

namespace {

// `s` cut to at most `width` columns (whole characters), padded with
// spaces on the right (left = false) or the left.
std::string fit(const std::string& s, std::size_t width, bool left = true) {
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    auto ch = s.substr(i, len);
    auto w = display_width(ch);
    if (used + w > width)
      break;
    out += ch;
    used += w;
    i += len;
  }
  std::string pad(width - used, ' ');
  return left ? out + pad : pad + out;
}

// 71000 -> "71,000".
std::string grouped(std::int64_t v) {
  auto digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string age_text(const std::optional<std::chrono::milliseconds>& age) {
  if (!age)
    return "-";
  auto ms = age->count();
  char buf[32];
  if (ms < 60'000)
    std::snprintf(buf, sizeof(buf), "%.1fs", static_cast<double>(ms) / 1000.0);
  else if (ms < 3'600'000)
    std::snprintf(buf, sizeof(buf), "%lldm",
                  static_cast<long long>(ms / 60'000));
  else
    std::snprintf(buf, sizeof(buf), "%lldh",
                  static_cast<long long>(ms / 3'600'000));
  return buf;
}

struct priority_total {
  std::size_t slots = 0;
  std::size_t active = 0;
  std::uint64_t ticks = 0;
};

std::map<int, priority_total> totals(const live_snapshot& snap) {
  std::map<int, priority_total> out;
  for (auto& r : snap.rows) {
    auto& t = out[r.priority];
    ++t.slots;
    t.active += r.state == "active" ? 1 : 0;
    t.ticks += r.ticks;
  }
  return out;
}

std::string counters(const live_snapshot& snap) {
  return "reconnects " + std::to_string(snap.reconnects) + "  drops "
         + std::to_string(snap.drops) + "  decode errors "
         + std::to_string(snap.decode_errors);
}

} // namespace

std::vector<std::string> format_live_table(const live_snapshot& snap,
                                           std::size_t max_rows) {
  std::vector<std::string> lines;
  std::string head = "kisrt";
  for (auto& s : snap.sessions)
    head += "  " + s.name + (s.up ? " up " : " DOWN ") + std::to_string(s.used)
            + "/" + std::to_string(s.cap);
  lines.push_back(head);
  lines.push_back(fit("SESSION", 7) + " " + fit("TR_ID", 8) + " "
                  + fit("SYMBOL", 8) + " " + fit("NAME", 14) + " "
                  + fit("PRI", 3, false) + " " + fit("STATE", 9) + " "
                  + fit("LAST", 11, false) + " " + fit("TICKS", 8, false) + " "
                  + fit("AGE", 6, false));
  auto rows = snap.rows;
  std::sort(rows.begin(), rows.end(), [](const live_row& a, const live_row& b) {
    return std::tie(a.priority, a.session, a.tr_id, a.symbol)
           < std::tie(b.priority, b.session, b.tr_id, b.symbol);
  });
  auto shown = max_rows == 0 ? rows.size() : std::min(max_rows, rows.size());
  for (std::size_t i = 0; i < shown; ++i) {
    auto& r = rows[i];
    lines.push_back(
        fit(r.session, 7) + " " + fit(r.tr_id, 8) + " " + fit(r.symbol, 8) + " "
        + fit(r.name, 14) + " " + fit(std::to_string(r.priority), 3, false)
        + " " + fit(r.state, 9) + " "
        + fit(r.last_price ? grouped(*r.last_price) : "-", 11, false) + " "
        + fit(std::to_string(r.ticks), 8, false) + " "
        + fit(age_text(r.age), 6, false));
  }
  if (shown < rows.size())
    lines.push_back("... " + std::to_string(rows.size() - shown) + " more");
  std::string tot = "totals";
  for (auto& [level, t] : totals(snap))
    tot += "  P" + std::to_string(level) + " " + std::to_string(t.active) + "/"
           + std::to_string(t.slots) + " active, " + std::to_string(t.ticks)
           + " ticks";
  lines.push_back(tot);
  lines.push_back(counters(snap));
  return lines;
}

std::string format_live_summary(const live_snapshot& snap) {
  std::size_t up = 0;
  for (auto& s : snap.sessions)
    up += s.up ? 1 : 0;
  std::string out = "sessions " + std::to_string(up) + "/"
                    + std::to_string(snap.sessions.size()) + " up; slots";
  for (auto& [level, t] : totals(snap))
    out += " P" + std::to_string(level) + " " + std::to_string(t.active) + "/"
           + std::to_string(t.slots) + " (" + std::to_string(t.ticks)
           + " ticks)";
  return out + "; " + counters(snap);
}

// -- the view actor --

namespace {

struct key_stats {
  std::optional<std::int64_t> last_price;
  std::uint64_t ticks = 0;
  std::optional<mono_time> last;
};

struct view_state {
  gateway_handles h;
  std::vector<std::string> names; ///< session names by id
  bool tty = false;
  int log_every = 30;
  int refreshes = 0;
  std::chrono::milliseconds interval{1000};
  std::map<slot_key, key_stats> keys;
  std::map<std::string, std::string> symbol_names; ///< from notices
  // -- slot events + log region (apps/kisrt/live_screen.hpp) ----------------
  std::vector<std::string> head;      ///< stdout lines
  std::shared_ptr<log_ring> logs;     ///< latest log lines (or none)
  std::deque<std::string> slot_lines; ///< latest slot events
  static inline const char* name = "live_view";
};

using view_actor = caf::stateful_actor<view_state>;

template <class Event>
void seen(view_actor* self, const Event& ev,
          std::optional<std::int64_t> price) {
  auto& k = self->state.keys[slot_key{ev.tr_id, key_of(ev)}];
  ++k.ticks;
  k.last = now_of(self);
  if (price)
    k.last_price = price;
}

live_snapshot build(view_actor* self, const slot_snapshot& snap,
                    std::uint64_t drops, std::uint64_t errors) {
  auto& st = self->state;
  live_snapshot out;
  auto name_of = [&](session_id id) {
    if (id == no_session)
      return std::string{"-"};
    return id < st.names.size() ? st.names[id] : "s" + std::to_string(id);
  };
  for (auto& s : snap.sessions) {
    out.sessions.push_back({name_of(s.id), s.up, s.used, s.learned_cap});
    out.reconnects += s.epoch > 1 ? s.epoch - 1 : 0;
  }
  auto now = now_of(self);
  for (auto& s : snap.slots) {
    live_row r;
    r.session = name_of(s.session);
    r.tr_id = s.key.tr_id;
    r.symbol = s.key.tr_key;
    if (auto it = st.symbol_names.find(s.key.tr_key);
        it != st.symbol_names.end())
      r.name = it->second;
    r.priority = s.level;
    r.state = to_string(s.state);
    if (auto it = st.keys.find(s.key); it != st.keys.end()) {
      r.last_price = it->second.last_price;
      r.ticks = it->second.ticks;
      if (it->second.last)
        r.age = std::chrono::duration_cast<std::chrono::milliseconds>(
            now - *it->second.last);
    }
    out.rows.push_back(std::move(r));
  }
  out.drops = drops;
  out.decode_errors = errors;
  return out;
}

void show(view_actor* self, const live_snapshot& snap) {
  auto& st = self->state;
  if (st.tty) {
    // Home, draw, clear what is left of the previous frame. The table,
    // slot events and log lines share the terminal's rows.
    std::size_t rows = 50;
    std::size_t cols = 160;
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
      rows = ws.ws_row;
      cols = ws.ws_col;
    }
    screen_parts parts;
    parts.head = st.head;
    parts.table = format_live_table(snap, 40);
    parts.events.assign(st.slot_lines.begin(), st.slot_lines.end());
    if (st.logs)
      parts.logs = st.logs->last(rows);
    std::string frame = "\x1b[H";
    for (auto& line : compose_screen(parts, rows, cols))
      frame += line + "\x1b[K\n";
    frame += "\x1b[J";
    std::fwrite(frame.data(), 1, frame.size(), stdout);
    std::fflush(stdout);
  } else if (st.refreshes % st.log_every == 0) {
    spdlog::info("{}", format_live_summary(snap));
  }
  ++st.refreshes;
}

caf::behavior live_view_actor(view_actor* self, gateway_handles h,
                              std::vector<std::string> names, bool tty,
                              std::chrono::milliseconds interval, int log_every,
                              std::vector<std::string> head,
                              std::shared_ptr<log_ring> logs) {
  auto& st = self->state;
  st.head = std::move(head);
  st.logs = std::move(logs);
  st.h = h;
  st.names = std::move(names);
  st.tty = tty;
  st.interval = interval;
  st.log_every = std::max(1, log_every);
  if (tty)
    std::fputs("\x1b[2J", stdout);
  self->send(self, caf::tick_atom_v);
  return market_behavior<caf::behavior>(
      // -- market events: a price where the record has one --
      [self](const auto& ev) { seen(self, ev, std::nullopt); },
      [self](const trade_event& ev) { seen(self, ev, ev.data.price); },
      [self](const notice_event& ev) {
        if (!ev.data.name.empty() && !ev.data.symbol.empty())
          self->state.symbol_names[ev.data.symbol] = ev.data.name;
        seen(self, ev, std::nullopt);
      },
      [self](const expected_event& ev) { seen(self, ev, ev.data.price); },
      [self](const slot_outcome& ev) { // slot events under the table
        auto& st = self->state;
        if (!st.tty || level_of(ev) == slot_log_level::debug)
          return;
        st.slot_lines.push_back(format_slot_event(ev, st.names));
        while (st.slot_lines.size() > screen_max_events)
          st.slot_lines.pop_front();
      },
      [self](caf::tick_atom) {
        auto& st = self->state;
        auto timeout = st.interval;
        // A missed answer skips one refresh; the next tick tries again.
        auto skip = [](const caf::error&) {};
        self->request(st.h.arbiter, timeout, caf::get_atom_v, atom::slots_v)
            .then(
                [self, timeout, skip](slot_snapshot& snap) {
                  self->request(self->state.h.hub, timeout, caf::get_atom_v,
                                atom::stats_v)
                      .then(
                          [self, timeout, skip, snap](const hub_counters& hc) {
                            auto drops = hc.dropped + hc.conflated;
                            self->request(self->state.h.decoder, timeout,
                                          caf::get_atom_v, atom::stats_v)
                                .then(
                                    [self, snap,
                                     drops](const decoder_counters& dc) {
                                      auto errors =
                                          dc.bad_frames + dc.bad_records;
                                      show(self,
                                           build(self, snap, drops, errors));
                                    },
                                    skip);
                          },
                          skip);
                },
                skip);
        self->delayed_send(self, st.interval, caf::tick_atom_v);
      });
}

} // namespace

struct live_view::impl {
  caf::actor view;
};

live_view::live_view(caf::actor_system& sys, const gateway& gw, bool tty,
                     std::chrono::milliseconds interval, int log_every,
                     std::vector<std::string> head,
                     std::shared_ptr<log_ring> logs)
    : impl_(std::make_unique<impl>()) {
  auto h = gw.handles();
  std::vector<std::string> names;
  for (auto& s : gw.options().sessions)
    names.push_back(s.name);
  impl_->view = sys.spawn(live_view_actor, h, std::move(names), tty, interval,
                          log_every, std::move(head), std::move(logs));
  // ... and every slot_outcome_listener_actor message.
  caf::anon_send(h.slot_feed, caf::subscribe_atom_v,
                 caf::actor_cast<slot_outcome_listener_actor>(impl_->view),
                 std::string{});
  // The view handles every market_listener_actor message.
  caf::anon_send(h.hub, caf::subscribe_atom_v,
                 caf::actor_cast<market_listener_actor>(impl_->view));
}

live_view::~live_view() {
  stop();
}

void live_view::stop() {
  if (impl_->view) {
    caf::anon_send_exit(impl_->view, caf::exit_reason::user_shutdown);
    impl_->view = nullptr;
  }
}

} // namespace kisrt::app
