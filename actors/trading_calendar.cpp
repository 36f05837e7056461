// SPDX-License-Identifier: Apache-2.0
#include "actors/trading_calendar.hpp"

namespace kisrt {

namespace {

bool two_digits(std::string_view s, std::size_t i, int& out) {
  if (i + 2 > s.size() || s[i] < '0' || s[i] > '9' || s[i + 1] < '0'
      || s[i + 1] > '9')
    return false;
  out = (s[i] - '0') * 10 + (s[i + 1] - '0');
  return true;
}

std::optional<std::int32_t> parse_hhmm(std::string_view s) {
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || !two_digits(s, 0, h)
      || !two_digits(s, 3, m) || h > 24 || m > 59 || (h == 24 && m != 0))
    return std::nullopt;
  return h * 60 + m;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

} // namespace

std::optional<time_window> parse_window(std::string_view text) {
  if (text == "off")
    return time_window{0, 0};
  auto dash = text.find('-');
  if (dash == std::string_view::npos)
    return std::nullopt;
  auto a = parse_hhmm(text.substr(0, dash));
  auto b = parse_hhmm(text.substr(dash + 1));
  if (!a || !b || *a >= *b)
    return std::nullopt;
  return time_window{*a, *b};
}

tr_market market_of(std::string_view tr_id) noexcept {
  if (starts_with(tr_id, "H0NX"))
    return tr_market::nxt;
  if (starts_with(tr_id, "H0UN"))
    return tr_market::combined;
  if (starts_with(tr_id, "HDFS") || starts_with(tr_id, "H0GS")
      || starts_with(tr_id, "H0MF") || starts_with(tr_id, "H0EU"))
    return tr_market::unchecked;
  return tr_market::krx;
}

bool trading_hours::krx_open(std::int32_t minute) const noexcept {
  return krx_pre.contains(minute) || krx_regular.contains(minute)
         || krx_after.contains(minute);
}

bool trading_hours::nxt_open(std::int32_t minute) const noexcept {
  return nxt_pre.contains(minute) || nxt_regular.contains(minute)
         || nxt_after.contains(minute);
}

bool open_markets::covers(const slot_key& key) const noexcept {
  if (all)
    return true;
  switch (market_of(key.tr_id)) {
    case tr_market::krx: return krx;
    case tr_market::nxt: return nxt;
    case tr_market::combined: return krx || nxt;
    case tr_market::unchecked: return false;
  }
  return false;
}

void trading_calendar::merge(const std::vector<calendar_day>& days) {
  for (auto& d : days)
    if (d.date > 19000000 && d.date < 30000000)
      kis_[d.date] = d.open;
  while (kis_.size() > max_days)
    kis_.erase(kis_.begin());
}

std::optional<bool> trading_calendar::kis_day(std::int32_t date) const {
  if (auto i = kis_.find(date); i != kis_.end())
    return i->second;
  return std::nullopt;
}

bool trading_calendar::is_trading_day(std::int32_t date,
                                      std::int32_t weekday) const {
  if (holidays.count(date) != 0)
    return false;
  if (sessions.count(date) != 0)
    return true;
  if (auto k = kis_day(date))
    return *k;
  return !weekdays_only || (weekday != 0 && weekday != 6);
}

trading_hours trading_calendar::hours_on(std::int32_t date,
                                         const trading_hours& base) const {
  auto out = base;
  if (auto i = sessions.find(date); i != sessions.end()) {
    out.krx_regular = i->second;
    out.nxt_regular = i->second;
  }
  return out;
}

open_markets trading_calendar::open_at(const kst_time& t,
                                       const trading_hours& base) const {
  auto date = kst_clock::yyyymmdd(t.day);
  open_markets out;
  if (!is_trading_day(date, t.weekday))
    return out;
  auto h = hours_on(date, base);
  out.krx = h.krx_open(t.minute_of_day());
  out.nxt = h.nxt_open(t.minute_of_day());
  return out;
}

bool trading_calendar::in_window(const kst_time& t,
                                 const time_window& window) const {
  return is_trading_day(kst_clock::yyyymmdd(t.day), t.weekday)
         && window.contains(t.minute_of_day());
}

std::optional<std::int32_t> parse_date(std::string_view text) {
  std::string digits;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-')
    digits = std::string{text.substr(0, 4)} + std::string{text.substr(5, 2)}
             + std::string{text.substr(8, 2)};
  else if (text.size() == 8)
    digits = std::string{text};
  else
    return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9')
      return std::nullopt;
  auto v = std::stoi(digits);
  int y = v / 10000, m = v / 100 % 100, d = v % 100;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
    return std::nullopt;
  // Round trip: 2025-02-30 is not a date.
  if (kst_clock::yyyymmdd(kst_clock::days_from_civil(y, m, d)) != v)
    return std::nullopt;
  return v;
}

std::int32_t weekday_of(std::int32_t yyyymmdd) noexcept {
  auto day = kst_clock::days_from_civil(yyyymmdd / 10000, yyyymmdd / 100 % 100,
                                        yyyymmdd % 100);
  auto wd = (day + 4) % 7;
  return static_cast<std::int32_t>(wd < 0 ? wd + 7 : wd);
}

} // namespace kisrt
