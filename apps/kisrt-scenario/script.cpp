// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/script.hpp"

#include <algorithm>
#include <set>

#include "net/kis/stock_code.hpp"

namespace kisrt::scenario {

namespace {

enum class pat {
  session, // s1, s2, ...
  tr_id,   // H0STCNT0
  tr_key,  // 005930, an HTS ID, DNASAAPL
  code,    // 6-character stock code
  msg_cd,  // OPSP0008
  count,   // non-negative integer
  side,    // buy | sell
  op,      // subscribe | unsubscribe
  mode,    // manual | auto
  holding, // 005930 or 005930:10 (code with a quantity)
  onoff,   // on | off
  ranking, // 005930:5.2:300000 (code, change %, volume)
};

struct shape {
  std::vector<pat> fixed;       ///< leading positional words
  std::optional<pat> rest;      ///< then any number of these
  std::set<std::string> opts;   ///< allowed options
  std::set<std::string> needed; ///< required options
};

const std::map<std::string, shape>& shapes() {
  static const std::map<std::string, shape> table = {
      {"up", {{pat::session}, std::nullopt, {}, {}}},
      {"down", {{pat::session}, std::nullopt, {}, {}}},
      {"holdings", {{}, pat::holding, {}, {}}},
      {"picks", {{}, pat::code, {}, {}}},
      {"scan", {{}, pat::code, {}, {}}},
      {"ranking", {{}, pat::ranking, {}, {}}},
      {"fill",
       {{pat::side, pat::code, pat::count},
        std::nullopt,
        {"price", "session"},
        {}}},
      {"server cap", {{pat::session, pat::count}, std::nullopt, {}, {}}},
      {"server reject",
       {{pat::tr_id, pat::tr_key, pat::msg_cd},
        std::nullopt,
        {"count", "session"},
        {}}},
      {"server ack", {{pat::mode}, std::nullopt, {}, {}}},
      {"server feed", {{pat::onoff}, std::nullopt, {"every"}, {}}},
      {"ack",
       {{pat::session, pat::tr_id, pat::tr_key, pat::msg_cd},
        std::nullopt,
        {"epoch"},
        {}}},
      {"request",
       {{pat::tr_id, pat::tr_key},
        std::nullopt,
        {"priority", "owner"},
        {"priority", "owner"}}},
      {"release",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"owner"}, {"owner"}}},
      {"seen", {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect slots",
       {{pat::session},
        std::nullopt,
        {"used", "active", "pending", "releasing", "cap", "learned_cap",
         "epoch"},
        {}}},
      {"expect active",
       {{pat::tr_id, pat::tr_key},
        std::nullopt,
        {"priority", "session", "owners"},
        {}}},
      {"expect pending",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect waiting",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect releasing",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect absent",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect evicted",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session", "reason"}, {}}},
      {"expect rejected",
       {{pat::tr_id, pat::tr_key, pat::msg_cd}, std::nullopt, {"session"}, {}}},
      {"expect starved", {{pat::tr_id, pat::tr_key}, std::nullopt, {}, {}}},
      {"expect stale",
       {{pat::tr_id, pat::tr_key}, std::nullopt, {"session"}, {}}},
      {"expect sent",
       {{pat::session, pat::op, pat::tr_id, pat::tr_key},
        std::nullopt,
        {},
        {}}},
      {"expect no-sent", {{pat::session}, std::nullopt, {}, {}}},
      {"expect position", {{pat::code, pat::count}, std::nullopt, {}, {}}},
  };
  return table;
}

const std::set<std::string>& config_keys() {
  static const std::set<std::string> keys = {
      "sessions",     "cap",          "notice",
      "p3_min_hold",  "tr.holding",   "tr.pick",
      "tr.scan",      "p3_stale",     "p3_ttl",
      "stale_after",  "start",        "market_open",
      "market_close", "date",         "retry_min",
      "retry_max",    "live",         "pick_top",
      "scan_top",     "scan_min_pct", "scan_min_volume",
      "reject_retry", "cap_probe"};
  return keys;
}

// The calendar and the sessions per market (docs/scenarios.md).
const std::set<std::string>& calendar_keys() {
  static const std::set<std::string> keys = {
      "holidays",        "day_hours", "hours.krx",     "hours.krx_pre",
      "hours.krx_after", "hours.nxt", "hours.nxt_pre", "hours.nxt_after"};
  return keys;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

bool upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c)
         || c == '_' || c == '.' || c == '-';
}

std::optional<std::string> check(pat p, std::string_view w) {
  switch (p) {
    case pat::session:
      if (w.size() >= 2 && w[0] == 's' && all_of(w.substr(1), digit))
        return std::nullopt;
      return "expected a session name such as s1";
    case pat::tr_id:
      if (w.size() == 8 && all_of(w, upper_or_digit))
        return std::nullopt;
      return "expected a tr_id such as H0STCNT0";
    case pat::tr_key:
      if (!w.empty() && w.size() <= 16 && all_of(w, key_char))
        return std::nullopt;
      return "expected a tr_key such as 005930";
    case pat::code:
      if (kis::is_stock_code(w))
        return std::nullopt;
      return "expected a 6-character stock code such as 005930";
    case pat::msg_cd:
      if (w.size() == 8 && w.substr(0, 4) == "OPSP"
          && all_of(w.substr(4), digit))
        return std::nullopt;
      return "expected a msg_cd such as OPSP0008";
    case pat::count:
      if (w.size() <= 9 && all_of(w, digit))
        return std::nullopt;
      return "expected a non-negative integer";
    case pat::side:
      if (w == "buy" || w == "sell")
        return std::nullopt;
      return "expected buy or sell";
    case pat::op:
      if (w == "subscribe" || w == "unsubscribe")
        return std::nullopt;
      return "expected subscribe or unsubscribe";
    case pat::mode:
      if (w == "manual" || w == "auto")
        return std::nullopt;
      return "expected manual or auto";
    case pat::ranking: {
      auto a = w.find(':');
      auto b = a == std::string_view::npos ? a : w.find(':', a + 1);
      auto pct = b == std::string_view::npos ? std::string_view{}
                                             : w.substr(a + 1, b - a - 1);
      if (pct.size() > 1 && pct[0] == '-')
        pct.remove_prefix(1);
      auto dot = pct.find('.');
      bool pct_ok = !pct.empty() && all_of(pct.substr(0, dot), digit)
                    && (dot == std::string_view::npos
                        || all_of(pct.substr(dot + 1), digit));
      if (b == std::string_view::npos || check(pat::code, w.substr(0, a))
          || !pct_ok || check(pat::count, w.substr(b + 1)))
        return "expected CODE:CHANGE%:VOLUME such as 005930:5.2:300000";
      return std::nullopt;
    }
    case pat::onoff:
      if (w == "on" || w == "off")
        return std::nullopt;
      return "expected on or off";
    case pat::holding: {
      auto colon = w.find(':');
      if (check(pat::code, w.substr(0, colon)))
        return "expected a stock code with an optional quantity such as "
               "005930 or 005930:10";
      if (colon != std::string_view::npos
          && check(pat::count, w.substr(colon + 1)))
        return "expected a quantity after ':' such as 005930:10";
      return std::nullopt;
    }
  }
  return "unexpected word";
}

// Splits a line into words with 1-based columns; quotes group, '#' ends.
std::optional<parse_error> tokenize(std::string_view line, int line_no,
                                    const std::string& file,
                                    std::vector<word>& out) {
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#')
      break;
    word w;
    w.column = static_cast<int>(i) + 1;
    if (c == '"') {
      auto close = line.find('"', i + 1);
      if (close == std::string_view::npos)
        return parse_error{file, line_no, w.column, "unterminated string"};
      w.text = "\"" + std::string{line.substr(i + 1, close - i - 1)} + "\"";
      i = close + 1;
    } else {
      auto end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t'
             && line[end] != '\r' && line[end] != '#')
        ++end;
      w.text = std::string{line.substr(i, end - i)};
      i = end;
    }
    out.push_back(std::move(w));
  }
  return std::nullopt;
}

// Option values with a fixed form; others (owner, reason) are free text.
const std::map<std::string, pat>& option_kinds() {
  static const std::map<std::string, pat> kinds = {
      {"priority", pat::count},    {"epoch", pat::count},
      {"used", pat::count},        {"active", pat::count},
      {"pending", pat::count},     {"cap", pat::count},
      {"learned_cap", pat::count}, {"count", pat::count},
      {"price", pat::count},       {"session", pat::session}};
  return kinds;
}

std::optional<time_spec> parse_time(std::string_view s) {
  time_spec t;
  if (!s.empty() && s[0] == '+') {
    t.relative = true;
    s.remove_prefix(1);
    std::size_t n = 0;
    while (n < s.size() && digit(s[n]))
      ++n;
    if (n == 0 || n > 9)
      return std::nullopt;
    auto v = std::stoll(std::string{s.substr(0, n)});
    auto unit = s.substr(n);
    if (unit == "s")
      t.value = std::chrono::seconds{v};
    else if (unit == "ms")
      t.value = std::chrono::milliseconds{v};
    else if (unit == "m")
      t.value = std::chrono::minutes{v};
    else
      return std::nullopt;
    return t;
  }
  if (s.size() != 8 || s[2] != ':' || s[5] != ':' || !digit(s[0])
      || !digit(s[1]) || !digit(s[3]) || !digit(s[4]) || !digit(s[6])
      || !digit(s[7]))
    return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  int sec = (s[6] - '0') * 10 + (s[7] - '0');
  if (h > 23 || m > 59 || sec > 59)
    return std::nullopt;
  t.value = std::chrono::seconds{h * 3600 + m * 60 + sec};
  return t;
}

} // namespace

std::string statement::option(const std::string& key,
                              const std::string& fallback) const {
  auto it = options.find(key);
  return it == options.end() ? fallback : it->second.text;
}

std::string parse_error::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "
         + message;
}

const std::vector<std::string>& known_verbs() {
  static const std::vector<std::string> verbs = [] {
    std::vector<std::string> v{"scenario", "config"};
    for (auto& [name, s] : shapes())
      v.push_back(name);
    return v;
  }();
  return verbs;
}

std::optional<parse_error> parse(std::string_view text, const std::string& file,
                                 std::vector<script>& out) {
  int line_no = 0;
  script* current = nullptr;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text =
        nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    std::vector<word> words;
    if (auto err = tokenize(line, line_no, file, words))
      return err;
    if (words.empty())
      continue;
    auto fail = [&](const word& w, std::string msg) {
      return parse_error{file, line_no, w.column, std::move(msg)};
    };
    std::size_t pos = 0;
    statement st;
    st.line = line_no;
    st.column = words[0].column;
    st.source = std::string{line};
    if (words[0].text == "scenario") {
      if (words.size() != 2 || words[1].text.size() < 2
          || words[1].text.front() != '"')
        return fail(words[0], "expected: scenario \"name\"");
      out.push_back(script{file,
                           words[1].text.substr(1, words[1].text.size() - 2),
                           line_no,
                           {}});
      current = &out.back();
      continue;
    }
    if (current == nullptr)
      return fail(words[0], "a scenario must start with: scenario \"name\"");
    if (words[0].text == "at") {
      if (words.size() < 3)
        return fail(words[0], "expected: at HH:MM:SS|+Ns STATEMENT");
      auto t = parse_time(words[1].text);
      if (!t)
        return fail(words[1], "bad time '" + words[1].text
                                  + "' (expected HH:MM:SS, +Ns, +Nms or +Nm)");
      st.at = *t;
      pos = 2;
      st.column = words[2].column;
    }
    auto verb = words[pos].text;
    if (verb == "server" || verb == "expect") {
      if (pos + 1 >= words.size())
        return fail(words[pos], "'" + verb + "' needs a second word");
      verb += " " + words[pos + 1].text;
      ++pos;
    }
    ++pos;
    st.verb = verb;
    if (verb == "config") {
      for (; pos < words.size(); ++pos) {
        auto& w = words[pos];
        auto eq = w.text.find('=');
        if (eq == std::string::npos || eq == 0)
          return fail(w, "expected key=value");
        auto key = w.text.substr(0, eq);
        if (config_keys().count(key) == 0 && calendar_keys().count(key) == 0)
          return fail(w, "unknown config key '" + key + "'");
        st.options[key] = word{w.text.substr(eq + 1), w.column};
      }
      current->statements.push_back(std::move(st));
      continue;
    }
    auto it = shapes().find(verb);
    if (it == shapes().end())
      return fail(words[st.at ? 2 : 0], "unknown statement '" + verb + "'");
    const auto& sh = it->second;
    for (; pos < words.size(); ++pos) {
      auto& w = words[pos];
      auto eq = w.text.find('=');
      if (eq != std::string::npos && eq > 0 && w.text.front() != '"') {
        auto key = w.text.substr(0, eq);
        if (sh.opts.count(key) == 0)
          return fail(w, "'" + verb + "' takes no option '" + key + "'");
        word value{w.text.substr(eq + 1), w.column + static_cast<int>(eq) + 1};
        if (auto k = option_kinds().find(key); k != option_kinds().end())
          if (auto why = check(k->second, value.text))
            return fail(value, key + "='" + value.text + "': " + *why);
        st.options[key] = std::move(value);
        continue;
      }
      auto idx = st.args.size();
      if (idx < sh.fixed.size()) {
        if (auto why = check(sh.fixed[idx], w.text))
          return fail(w, "'" + w.text + "': " + *why);
      } else if (sh.rest) {
        if (auto why = check(*sh.rest, w.text))
          return fail(w, "'" + w.text + "': " + *why);
      } else {
        return fail(w, "unexpected '" + w.text + "' after '" + verb + "'");
      }
      st.args.push_back(w);
    }
    if (st.args.size() < sh.fixed.size())
      return parse_error{file, line_no, static_cast<int>(line.size()) + 1,
                         "'" + verb + "' needs "
                             + std::to_string(sh.fixed.size()) + " argument"
                             + (sh.fixed.size() == 1 ? "" : "s")};
    for (auto& need : sh.needed)
      if (st.options.count(need) == 0)
        return parse_error{file, line_no, static_cast<int>(line.size()) + 1,
                           "'" + verb + "' needs " + need + "=..."};
    current->statements.push_back(std::move(st));
  }
  return std::nullopt;
}

} // namespace kisrt::scenario
