// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/scenario_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace kisrt::scenario {

namespace {

struct config_error {
  int column;
  std::string message;
};

bool digits(std::string_view s) {
  return !s.empty() && s.size() <= 9
         && std::all_of(s.begin(), s.end(),
                        [](char c) { return c >= '0' && c <= '9'; });
}

// HH:MM or HH:MM:SS -> seconds since midnight.
std::optional<int> parse_clock(std::string_view s, bool with_seconds) {
  auto two = [&](std::size_t i) -> int {
    if (i + 2 > s.size() || !digits(s.substr(i, 2)))
      return -1;
    return (s[i] - '0') * 10 + (s[i + 1] - '0');
  };
  if (s.size() != (with_seconds ? 8u : 5u) || s[2] != ':'
      || (with_seconds && s[5] != ':'))
    return std::nullopt;
  int h = two(0), m = two(3), sec = with_seconds ? two(6) : 0;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
    return std::nullopt;
  return h * 3600 + m * 60 + sec;
}

// The session window a `hours.*` key names, or null.
time_window* hours_window(trading_hours& h, const std::string& key) {
  if (key == "hours.krx")
    return &h.krx_regular;
  if (key == "hours.krx_pre")
    return &h.krx_pre;
  if (key == "hours.krx_after")
    return &h.krx_after;
  if (key == "hours.nxt")
    return &h.nxt_regular;
  if (key == "hours.nxt_pre")
    return &h.nxt_pre;
  if (key == "hours.nxt_after")
    return &h.nxt_after;
  return nullptr;
}

std::optional<config_error> apply_config(const statement& st,
                                         scenario_config& cfg) {
  for (auto& [key, w] : st.options) {
    auto bad = [&, &key = key, &w = w](const std::string& what) {
      return config_error{w.column,
                          key + "='" + w.text + "': expected " + what};
    };
    const auto& v = w.text;
    if (key == "sessions") {
      if (!digits(v) || std::stoul(v) < 1 || std::stoul(v) > 9)
        return bad("1 to 9");
      cfg.sessions = static_cast<std::uint32_t>(std::stoul(v));
    } else if (key == "cap") {
      if (!digits(v) || std::stoul(v) < 2 || std::stoul(v) > 1000)
        return bad("a cap from 2 to 1000");
      cfg.cap = static_cast<std::uint32_t>(std::stoul(v));
    } else if (key == "notice") {
      if (v == "on")
        cfg.notice = notice_mode::on;
      else if (v == "off")
        cfg.notice = notice_mode::off;
      else if (v == "reserve")
        cfg.notice = notice_mode::reserve;
      else
        return bad("on, off or reserve");
    } else if (key == "tr.holding" || key == "tr.pick" || key == "tr.scan") {
      std::vector<std::string> trs;
      std::size_t start = 0;
      for (;;) {
        auto comma = v.find(',', start);
        auto tr = v.substr(start, comma - start);
        bool ok =
            tr.size() == 8 && std::all_of(tr.begin(), tr.end(), [](char c) {
              return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            });
        if (!ok)
          return bad("a comma-separated list of tr_ids such as "
                     "H0STCNT0,H0STASP0");
        trs.push_back(tr);
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
      if (key == "tr.holding")
        cfg.slots.holding_trs = trs;
      else if (key == "tr.pick")
        cfg.slots.pick_trs = trs;
      else
        cfg.slots.scan_trs = trs;
    } else if (key == "p3_min_hold" || key == "p3_stale" || key == "p3_ttl"
               || key == "stale_after" || key == "retry_min"
               || key == "retry_max" || key == "reject_retry"
               || key == "cap_probe") {
      auto d = parse_duration(v);
      if (!d)
        return bad("a duration such as 60s, 250ms, 2m or 1h");
      if (key == "p3_min_hold")
        cfg.slots.min_hold = *d;
      else if (key == "p3_stale")
        cfg.slots.scan_silence = *d;
      else if (key == "p3_ttl")
        cfg.slots.candidate_ttl = *d;
      else if (key == "stale_after")
        cfg.slots.stale_after = *d;
      else if (key == "retry_min")
        cfg.slots.retry_base = *d;
      else if (key == "reject_retry")
        cfg.slots.reject_retry = *d;
      else if (key == "cap_probe")
        cfg.slots.cap_probe = *d;
      else
        cfg.slots.retry_max = *d;
    } else if (key == "start") {
      auto t = parse_clock(v, true);
      if (!t)
        return bad("a KST time HH:MM:SS");
      cfg.start = std::chrono::seconds{*t};
    } else if (key == "market_open" || key == "market_close") {
      auto t = parse_clock(v, false);
      if (!t)
        return bad("a KST time HH:MM");
      (key == "market_open" ? cfg.hours.krx_regular.open_minute
                            : cfg.hours.krx_regular.close_minute) = *t / 60;
    } else if (auto w = hours_window(cfg.hours, key)) {
      auto x = parse_window(v);
      if (!x)
        return bad("KST hours HH:MM-HH:MM or off");
      *w = *x;
    } else if (key == "holidays") {
      std::size_t start = 0;
      for (;;) {
        auto comma = v.find(',', start);
        auto d = parse_date(v.substr(start, comma - start));
        if (!d)
          return bad("a comma-separated list of dates YYYY-MM-DD");
        cfg.calendar.holidays.insert(*d);
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
    } else if (key == "day_hours") {
      auto at = v.find('@');
      auto d =
          at == std::string::npos ? std::nullopt : parse_date(v.substr(0, at));
      auto x = at == std::string::npos
                   ? std::nullopt
                   : parse_window(std::string_view{v}.substr(at + 1));
      if (!d || !x || x->empty())
        return bad("a date and its hours YYYY-MM-DD@HH:MM-HH:MM");
      cfg.calendar.sessions[*d] = *x;
    } else if (key == "scan_top") {
      if (!digits(v) || std::stoul(v) < 1 || std::stoul(v) > 1000)
        return bad("1 to 1000");
      cfg.scan.top_k = std::stoul(v);
    } else if (key == "scan_min_volume") {
      if (!digits(v))
        return bad("a volume");
      cfg.scan.min_volume = std::stoll(v);
    } else if (key == "scan_min_pct") {
      char* end = nullptr;
      auto x = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size())
        return bad("a change rate in percent such as 3.0");
      cfg.scan.min_change_pct = x;
    } else if (key == "pick_top") {
      if (!digits(v) || std::stoul(v) < 1 || std::stoul(v) > 1000)
        return bad("1 to 1000");
      cfg.pick_top = std::stoul(v);
    } else if (key == "live") {
      if (v != "on" && v != "off")
        return bad("on or off");
      cfg.live = v == "on";
    } else if (key == "date") {
      if (v.size() != 10 || v[4] != '-' || v[7] != '-'
          || !digits(v.substr(0, 4)) || !digits(v.substr(5, 2))
          || !digits(v.substr(8, 2)))
        return bad("a date YYYY-MM-DD");
      cfg.year = std::stoi(v.substr(0, 4));
      cfg.month = std::stoi(v.substr(5, 2));
      cfg.day = std::stoi(v.substr(8, 2));
      if (cfg.month < 1 || cfg.month > 12 || cfg.day < 1 || cfg.day > 31)
        return bad("a date YYYY-MM-DD");
    }
  }
  return std::nullopt;
}

} // namespace

// 60s, 250ms, 2m, 1h.
std::optional<mono_time> parse_duration(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9')
    ++n;
  if (n == 0 || n > 9)
    return std::nullopt;
  auto v = std::stoll(std::string{s.substr(0, n)});
  auto unit = s.substr(n);
  if (unit == "ms")
    return std::chrono::duration_cast<mono_time>(std::chrono::milliseconds{v});
  if (unit == "s")
    return std::chrono::duration_cast<mono_time>(std::chrono::seconds{v});
  if (unit == "m")
    return std::chrono::duration_cast<mono_time>(std::chrono::minutes{v});
  if (unit == "h")
    return std::chrono::duration_cast<mono_time>(std::chrono::hours{v});
  return std::nullopt;
}

std::optional<parse_error> build_config(const script& sc,
                                        scenario_config& cfg) {
  bool others = false;
  for (auto& st : sc.statements) {
    if (st.verb != "config") {
      others = true;
      continue;
    }
    if (others || st.at)
      return parse_error{sc.file, st.line, st.column,
                         "config must come before every other statement"};
    if (auto err = apply_config(st, cfg))
      return parse_error{sc.file, st.line, err->column, err->message};
  }
  cfg.slots.sessions.clear();
  for (std::uint32_t i = 0; i < cfg.sessions; ++i) {
    session_config s;
    s.id = i;
    s.cap = cfg.cap;
    s.reserve_notice = cfg.notice != notice_mode::off;
    if (cfg.notice == notice_mode::on)
      s.notice = slot_key{"H0STCNI0", "hts" + std::to_string(i + 1)};
    cfg.slots.sessions.push_back(s);
  }
  return std::nullopt;
}

} // namespace kisrt::scenario
