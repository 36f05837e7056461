// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/options.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>

#include "apps/kisrt/logging.hpp"
#include "net/kis/key_form.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/overseas_balance.hpp"
#include "net/kis/stock_code.hpp"
#include "net/listen_address.hpp"
#include "net/url.hpp"

namespace kisrt::app {

namespace {

using namespace std::chrono_literals;

constexpr const char* real_rest = "https://openapi.koreainvestment.com:9443";
constexpr const char* paper_rest =
    "https://openapivts.koreainvestment.com:29443";
constexpr const char* real_ws = "ws://ops.koreainvestment.com:21000";
constexpr const char* paper_ws = "ws://ops.koreainvestment.com:31000";

mono_time ms(std::chrono::milliseconds x) {
  return std::chrono::duration_cast<mono_time>(x);
}

// Secrets (and app keys) longer than this are refused, never echoed.
constexpr std::size_t max_secret_bytes = 1024;
// A secrets file larger than this is refused unread.
constexpr std::size_t max_secrets_file_bytes = 64 * 1024;

// Spaces, tabs, CR and LF around a secret are never part of it: a secrets
// file written on Windows (CRLF) or an `export X="key "` must not give KIS
// a key with a stray byte.
std::string_view trim_secret(std::string_view s) {
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  while (!s.empty() && ws(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && ws(s.back()))
    s.remove_suffix(1);
  return s;
}

// A variable name as is when short, else through config_file::quote.
std::string shown_name(const std::string& name) {
  return name.size() <= 64 ? name : config_file::quote(name);
}

// A secret from the environment variable named by `key`, or the secrets
// file. Errors name the key and the variable, never a value.
std::string secret(config_file& cfg, const std::string& section,
                   const std::string& what, const env_reader& env,
                   const std::map<std::string, std::string>& file,
                   std::vector<std::string>& errors) {
  auto var_key = section + "." + what + "_env";
  auto var = cfg.get_string(var_key);
  if (!var.empty()) {
    if (auto v = env(var.c_str()); v && !trim_secret(*v).empty()) {
      auto value = trim_secret(*v);
      if (value.size() <= max_secret_bytes)
        return std::string{value};
      errors.push_back("key '" + var_key + "': environment variable "
                       + shown_name(var) + " holds "
                       + std::to_string(value.size()) + " bytes, more than "
                       + std::to_string(max_secret_bytes));
      return {};
    }
    errors.push_back("key '" + var_key + "': environment variable "
                     + shown_name(var) + " is not set");
    return {};
  }
  if (auto it = file.find(what); it != file.end())
    return it->second;
  errors.push_back(section + ": no " + what + " (set " + var_key
                   + " to an environment variable name, or " + section
                   + ".secrets_file to a 0600 file with " + what + "=...)");
  return {};
}

// -- demand sources --

// "HH:MM:SS" -> seconds after midnight; -1 when malformed (exactly two
// digits each, nothing else).
int parse_hhmmss(const std::string& s) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':')
    return -1;
  for (auto i : {0, 1, 3, 4, 6, 7})
    if (s[i] < '0' || s[i] > '9')
      return -1;
  auto h = (s[0] - '0') * 10 + (s[1] - '0');
  auto m = (s[3] - '0') * 10 + (s[4] - '0');
  auto sec = (s[6] - '0') * 10 + (s[7] - '0');
  return h < 24 && m < 60 && sec < 60 ? (h * 60 + m) * 60 + sec : -1;
}

// "HH:MM" -> minutes after midnight; -1 when malformed.
int parse_hhmm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':')
    return -1;
  for (auto i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9')
      return -1;
  auto h = (s[0] - '0') * 10 + (s[1] - '0');
  auto m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

void read_source_options(config_file& cfg, gateway_options& o) {
  auto& so = o.sources;
  // The embedded simulator's first account is 50000001.
  so.cano = cfg.get_string("portfolio.cano", o.sim ? "50000001" : "");
  if (!so.cano.empty()
      && (so.cano.size() != 8
          || so.cano.find_first_not_of("0123456789") != std::string::npos))
    cfg.error("portfolio.cano",
              config_file::quote(so.cano) + " is not 8 digits");
  // portfolio.accounts: every account, each `CANO@SESSION` (a bare CANO
  // belongs to the first session); portfolio.cano is the one-account form.
  auto accounts = cfg.get_list("portfolio.accounts");
  if (!accounts.empty()) {
    if (cfg.has("portfolio.cano"))
      cfg.error("portfolio.cano",
                "set portfolio.accounts or portfolio.cano, not both");
    for (auto& a : accounts) {
      auto at = a.find('@');
      account_option ao;
      ao.cano = a.substr(0, at);
      if (ao.cano.size() != 8
          || ao.cano.find_first_not_of("0123456789") != std::string::npos) {
        cfg.error("portfolio.accounts",
                  config_file::quote(ao.cano) + " is not 8 digits");
        continue;
      }
      if (at != std::string::npos) {
        auto name = a.substr(at + 1);
        auto it = std::find_if(
            o.sessions.begin(), o.sessions.end(),
            [&](const session_options& s) { return s.name == name; });
        if (it == o.sessions.end()) {
          cfg.error("portfolio.accounts", config_file::quote(a)
                                              + ": no session named "
                                              + config_file::quote(name));
          continue;
        }
        ao.session = static_cast<std::size_t>(it - o.sessions.begin());
      }
      if (std::any_of(
              so.accounts.begin(), so.accounts.end(),
              [&](const account_option& x) { return x.cano == ao.cano; })) {
        cfg.error("portfolio.accounts",
                  config_file::quote(ao.cano) + " is listed twice");
        continue;
      }
      so.accounts.push_back(std::move(ao));
    }
    so.cano = so.accounts.empty() ? std::string{} : so.accounts.front().cano;
  } else if (!so.cano.empty()) {
    so.accounts.push_back({so.cano, 0});
  }
  so.overseas = cfg.get_bool("portfolio.overseas", false);
  so.overseas_exchanges =
      cfg.get_list("portfolio.overseas_exchanges", so.overseas_exchanges);
  for (auto& ex : so.overseas_exchanges)
    if (!kis::is_balance_exchange(ex))
      cfg.error("portfolio.overseas_exchanges",
                config_file::quote(ex)
                    + " is not NASD, NYSE, AMEX, SEHK, SHAA, SZAA, TKSE, "
                      "HASE or VNSE");
  if (so.overseas_exchanges.empty())
    cfg.error("portfolio.overseas_exchanges", "needs at least one exchange");
  if (!cfg.get_bool("portfolio.enabled", true)) {
    so.cano.clear();
    so.accounts.clear();
  }
  so.balance_interval = cfg.get_duration("portfolio.poll_interval",
                                         so.balance_interval, 10s, 24h);
  so.settle = cfg.get_duration("portfolio.settle", so.settle, 0s, 1h);
  so.balance_retry_min =
      cfg.get_duration("portfolio.retry_min", so.balance_retry_min, 100ms, 1h);
  so.balance_retry_max =
      cfg.get_duration("portfolio.retry_max", so.balance_retry_max, 100ms, 24h);
  if (so.balance_retry_min > so.balance_retry_max)
    cfg.error("portfolio.retry_min", "is larger than retry_max");
  so.picks_db = cfg.get_string("picks.db");
  auto refresh = cfg.get_string("picks.refresh", "07:20");
  if (auto m = parse_hhmm(refresh); m < 0) {
    cfg.error("picks.refresh", config_file::quote(refresh) + " is not HH:MM");
  } else {
    so.picks_hour = m / 60;
    so.picks_minute = m % 60;
  }
  so.picks_top =
      static_cast<std::size_t>(cfg.get_int("picks.top", 20, 1, 1000));
  so.scanner = cfg.get_bool("scanner.enabled", false);
  so.scan_interval =
      cfg.get_duration("scanner.poll_interval", so.scan_interval, 1s, 1h);
  auto rankings = cfg.get_list("scanner.rankings", {"fluctuation", "volume"});
  so.rank_fluctuation = so.rank_volume = false;
  for (auto& r : rankings) {
    if (r == "fluctuation")
      so.rank_fluctuation = true;
    else if (r == "volume")
      so.rank_volume = true;
    else
      cfg.error("scanner.rankings",
                config_file::quote(r) + " is not fluctuation or volume");
  }
  if (!so.rank_fluctuation && !so.rank_volume)
    cfg.error("scanner.rankings", "needs fluctuation, volume or both");
  auto& f = so.filter;
  f.min_change_pct =
      cfg.get_double("scanner.min_change_pct", f.min_change_pct, -30, 30);
  f.min_volume = cfg.get_int("scanner.min_volume", f.min_volume, 0,
                             std::numeric_limits<std::int64_t>::max());
  f.top_k = static_cast<std::size_t>(cfg.get_int("scanner.top", 10, 1, 100));
  for (auto& code : cfg.get_list("scanner.exclude")) {
    if (!kis::is_stock_code(code))
      cfg.error("scanner.exclude",
                config_file::quote(code) + " is not a 6-character stock code");
    f.exclude.insert(code);
  }
  f.expire_after = o.slots.candidate_ttl;
  auto hours = cfg.get_string("scanner.hours", "09:00-15:30");
  auto dash = hours.find('-');
  auto open =
      dash == std::string::npos ? -1 : parse_hhmm(hours.substr(0, dash));
  auto close =
      dash == std::string::npos ? -1 : parse_hhmm(hours.substr(dash + 1));
  if (open < 0 || close <= open) {
    cfg.error("scanner.hours",
              config_file::quote(hours) + " is not HH:MM-HH:MM");
  } else {
    so.open_minute = open;
    so.close_minute = close;
  }
  if (so.scanner && o.env == "paper") {
    // KIS offers no rankings on paper trading.
    if (cfg.has("scanner.enabled"))
      cfg.error("scanner.enabled", "paper trading has no ranking API");
    so.scanner = false;
  }
  so.rest_rate =
      cfg.get_double("rest.rate", o.env == "paper" ? 2 : 20, 0.1, 1000);
  // Price snapshots when a key becomes active; picks written while the
  // gateway runs.
  so.snapshots = cfg.get_bool("snapshot.on_subscribe", true);
  so.picks_poll = cfg.get_duration("picks.poll", so.picks_poll, 0s, 24h);
  std::string home;
  if (auto* h = std::getenv("HOME"))
    home = h;
  so.token_dir = cfg.get_string(
      "rest.token_dir",
      o.sim || home.empty() ? "" : home + "/.cache/kisrt/tokens");
  auto kst_start = cfg.get_string("sim.kst_start");
  if (!kst_start.empty()) {
    if (auto t = parse_hhmmss(kst_start); t < 0)
      cfg.error("sim.kst_start",
                config_file::quote(kst_start) + " is not HH:MM:SS");
    else
      o.sim_kst_start = t;
  }
  // The gateway's own KST clock, for an outside simulator (kisrt-sim
  // --kst-start) and tests: the time of day it starts at, and whether
  // market hours and the daily refresh run on weekends too.
  auto clock_start = cfg.get_string("clock.kst_start");
  if (!clock_start.empty()) {
    if (auto t = parse_hhmmss(clock_start); t < 0)
      cfg.error("clock.kst_start",
                config_file::quote(clock_start) + " is not HH:MM:SS");
    else
      o.clock_kst_start = t;
  }
  o.every_day = cfg.get_bool("clock.every_day", o.sim);
}

// `hours.*` and `calendar.*`: sessions per market and trading days.
void read_calendar_options(config_file& cfg, gateway_options& o) {
  struct window_key {
    const char* key;
    time_window trading_hours::*field;
  };
  static const window_key windows[] = {
      {"hours.krx", &trading_hours::krx_regular},
      {"hours.krx_pre", &trading_hours::krx_pre},
      {"hours.krx_after", &trading_hours::krx_after},
      {"hours.nxt", &trading_hours::nxt_regular},
      {"hours.nxt_pre", &trading_hours::nxt_pre},
      {"hours.nxt_after", &trading_hours::nxt_after},
  };
  for (auto& w : windows) {
    if (!cfg.has(w.key))
      continue;
    auto v = cfg.get_string(w.key);
    if (auto x = parse_window(v))
      o.hours.*w.field = *x;
    else
      cfg.error(w.key, config_file::quote(v) + " is not HH:MM-HH:MM or off");
  }
  auto& c = o.calendar;
  c.days.weekdays_only = !o.every_day;
  for (auto& d : cfg.get_list("calendar.holidays")) {
    if (auto x = parse_date(d))
      c.days.holidays.insert(*x);
    else
      cfg.error("calendar.holidays",
                config_file::quote(d) + " is not a date YYYY-MM-DD");
  }
  for (auto& key : cfg.keys("calendar.session.")) {
    auto v = cfg.get_string(key);
    auto d = parse_date(std::string_view{key}.substr(17));
    auto x = parse_window(v);
    if (!d)
      cfg.error(key, "the key's date is not YYYYMMDD");
    else if (!x || x->empty())
      cfg.error(key, config_file::quote(v) + " is not HH:MM-HH:MM");
    else
      c.days.sessions[*d] = *x;
  }
  c.kis = cfg.get_bool("calendar.kis", o.env != "paper");
  std::string home;
  if (auto* h = std::getenv("HOME"))
    home = h;
  c.cache = cfg.get_string(
      "calendar.cache",
      o.sim || home.empty() ? "" : home + "/.cache/kisrt/calendar");
  if (c.cache.size() > 4096)
    cfg.error("calendar.cache", "longer than 4096 bytes");
  auto refresh = cfg.get_string("calendar.refresh", "06:00");
  if (auto m = parse_hhmm(refresh); m < 0) {
    cfg.error("calendar.refresh",
              config_file::quote(refresh) + " is not HH:MM");
  } else {
    c.refresh_hour = m / 60;
    c.refresh_minute = m % 60;
  }
}

} // namespace

std::string read_secrets_file(const std::string& path,
                              std::map<std::string, std::string>& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return "secrets file " + path + " cannot be read";
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return "secrets file " + path + " is not a regular file";
  }
  if ((st.st_mode & 0077) != 0) {
    ::close(fd);
    return "secrets file " + path
           + " is readable by group or others; chmod 600 it";
  }
  if (static_cast<std::size_t>(st.st_size) > max_secrets_file_bytes) {
    ::close(fd);
    return "secrets file " + path + " is larger than "
           + std::to_string(max_secrets_file_bytes / 1024) + " KiB";
  }
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (text.size() + static_cast<std::size_t>(n) > max_secrets_file_bytes) {
      ::close(fd); // it grew while read
      return "secrets file " + path + " is larger than "
             + std::to_string(max_secrets_file_bytes / 1024) + " KiB";
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  // Lines end in LF or CRLF; names and values are trimmed of spaces, tabs
  // and CR. Errors name the file, the line and the name, never a value.
  std::size_t pos = 0;
  int n = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto line = std::string_view{text}.substr(
        pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++n;
    auto where = path + ":" + std::to_string(n);
    line = trim_secret(line);
    if (line.empty() || line[0] == '#')
      continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return where + ": expected name=value";
    auto name = trim_secret(line.substr(0, eq));
    auto value = trim_secret(line.substr(eq + 1));
    if (name.empty() || name.size() > 64)
      return where + ": expected name=value";
    if (value.size() > max_secret_bytes)
      return where + ": " + config_file::quote(name) + " is "
             + std::to_string(value.size()) + " bytes, more than "
             + std::to_string(max_secret_bytes);
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return where + ": " + config_file::quote(name)
               + " holds a control character";
    out[std::string{name}] = std::string{value};
  }
  return {};
}

gateway_options read_options(config_file& cfg, const env_reader& env,
                             std::vector<std::string>& errors) {
  gateway_options o;
  o.sim = cfg.get_bool("kis.sim", false);
  o.env = cfg.get_string("kis.env", o.sim ? "sim" : "");
  if (o.env.empty())
    errors.push_back("key 'kis.env': required (sim, paper or real), or run "
                     "with --sim");
  else if (o.env != "sim" && o.env != "paper" && o.env != "real")
    cfg.error("kis.env",
              config_file::quote(o.env) + " is not sim, paper or real");
  if (o.env == "sim")
    o.sim = true;
  o.rest_url =
      cfg.get_string("kis.rest_url", o.env == "paper" ? paper_rest : real_rest);
  o.ws_url =
      cfg.get_string("kis.ws_url", o.env == "paper" ? paper_ws : real_ws);
  for (auto [key, value, schemes] :
       {std::tuple{"kis.rest_url", &o.rest_url, "http https"},
        std::tuple{"kis.ws_url", &o.ws_url, "ws wss"}}) {
    net::url u;
    if (auto why = net::parse_url(*value, u); !why.empty())
      cfg.error(key, config_file::quote(*value) + ": " + why);
    else if (std::string{schemes}.find(u.scheme) == std::string::npos)
      cfg.error(key,
                config_file::quote(*value) + ": expected " + schemes + " URL");
  }
  o.rest_tls.verify = cfg.get_bool("kis.verify_tls", true);
  o.rest_tls.ca_file = cfg.get_string("kis.ca_file");
  o.custtype = cfg.get_string("kis.custtype", "P");
  if (o.custtype != "P" && o.custtype != "B")
    cfg.error("kis.custtype", "must be P (individual) or B (corporate)");
  // -- sessions --
  auto names = cfg.sections("session.");
  for (auto& sec : names) {
    session_options s;
    s.name = sec.substr(8);
    if (cfg.has(sec + ".app_secret") || cfg.has(sec + ".approval_key")
        || cfg.has(sec + ".token")) {
      errors.push_back("key '" + sec
                       + ".app_secret': secrets are not read "
                         "from the config file; use "
                       + sec + ".app_secret_env or " + sec + ".secrets_file");
      cfg.get_string(sec + ".app_secret"); // reported, not unknown
      cfg.get_string(sec + ".approval_key");
      cfg.get_string(sec + ".token");
    }
    std::map<std::string, std::string> file;
    if (auto path = cfg.get_string(sec + ".secrets_file"); !path.empty())
      if (auto err = read_secrets_file(path, file); !err.empty())
        errors.push_back("key '" + sec + ".secrets_file': " + err);
    if (auto key = cfg.get_string(sec + ".app_key"); !key.empty()) {
      s.app_key = key; // an app key is an identifier, not a secret
      if (key.size() > max_secret_bytes)
        cfg.error(sec + ".app_key", std::to_string(key.size())
                                        + " bytes, more than "
                                        + std::to_string(max_secret_bytes));
    } else {
      s.app_key = secret(cfg, sec, "app_key", env, file, errors);
    }
    s.app_secret = secret(cfg, sec, "app_secret", env, file, errors);
    s.hts_id = cfg.get_string(sec + ".hts_id");
    s.notice = cfg.get_bool(sec + ".notice", true);
    if (s.notice && s.hts_id.empty())
      errors.push_back("key '" + sec + ".hts_id': required while " + sec
                       + ".notice is on (the notice's tr_key is the HTS ID)");
    o.sessions.push_back(std::move(s));
  }
  if (o.sessions.empty()) {
    if (o.sim) {
      // The embedded simulator's demo account.
      o.sessions.push_back(
          {"s1", "SIMAPPKEY1", "SIMSECRET1", "simuser1", true});
    } else {
      errors.push_back("no [session.NAME] section: at least one app key is "
                       "needed");
    }
  }
  // -- slots --
  auto cap = static_cast<std::uint32_t>(cfg.get_int("slots.cap", 41, 1, 1000));
  for (std::size_t i = 0; i < o.sessions.size(); ++i) {
    session_config sc;
    sc.id = static_cast<session_id>(i);
    sc.cap = cap;
    sc.reserve_notice = o.sessions[i].notice;
    if (o.sessions[i].notice)
      sc.notice =
          slot_key{o.env == "paper" ? std::string{kis::paper_tr_id("H0STCNI0")}
                                    : std::string{"H0STCNI0"},
                   o.sessions[i].hts_id};
    o.slots.sessions.push_back(sc);
  }
  // A class holds market-data TRs only: an execution notice (an encrypted
  // TR: H0STCNI0, H0STCNI9, H0GSCNI0, ...) takes a tr_key that is an HTS
  // ID, not a stock code, and KIS drops the session over it. The TRs of a
  // class take its symbols: stock codes, or overseas keys for the overseas
  // lists (net/kis/key_form.hpp).
  auto trs = [&](const char* key, std::vector<std::string> dflt,
                 kis::key_kind want, const char* symbols) {
    auto v = cfg.get_list(key, dflt);
    if (v.empty())
      cfg.error(key, "needs at least one tr_id");
    for (auto& tr : v) {
      kis::key_kind kind{};
      if (!kis::key_kind_of(tr, kind))
        cfg.error(key, kis::check_tr(tr));
      else if (kind == kis::key_kind::hts_id)
        cfg.error(key, "'" + tr
                           + "' is an execution-notice TR, not a data TR (the "
                             "notice is registered per session: "
                             "session.NAME.notice)");
      else if (kind != want
               && !(want == kis::key_kind::stock
                    && kind == kis::key_kind::elw)) // ELW codes look alike
        cfg.error(key, "'" + tr + "' takes "
                           + std::string{kis::key_form_text(kind)}
                           + ", not the " + symbols + " of this class");
    }
    return v;
  };
  constexpr auto stock = kis::key_kind::stock;
  constexpr auto overseas = kis::key_kind::overseas;
  o.slots.holding_trs =
      trs("slots.tr.holding", o.slots.holding_trs, stock, "stock codes");
  o.slots.pick_trs =
      trs("slots.tr.pick", o.slots.pick_trs, stock, "stock codes");
  o.slots.scan_trs =
      trs("slots.tr.scan", o.slots.scan_trs, stock, "stock codes");
  o.slots.overseas_holding_trs =
      trs("slots.tr.overseas_holding", o.slots.overseas_holding_trs, overseas,
          "overseas keys");
  o.slots.overseas_pick_trs =
      trs("slots.tr.overseas_pick", o.slots.overseas_pick_trs, overseas,
          "overseas keys");
  // Bounds: docs/configuration.md ("Bounds").
  auto dur = [&](const char* key, mono_time dflt, std::chrono::milliseconds lo,
                 std::chrono::milliseconds hi) {
    return ms(cfg.get_duration(
        key, std::chrono::duration_cast<std::chrono::milliseconds>(dflt), lo,
        hi));
  };
  o.slots.min_hold = dur("slots.p3_min_hold", o.slots.min_hold, 0s, 24h);
  o.slots.candidate_ttl =
      dur("slots.candidate_ttl", o.slots.candidate_ttl, 1s, 24h);
  o.slots.scan_silence =
      dur("slots.scan_silence", o.slots.scan_silence, 1s, 24h);
  o.slots.stale_after = dur("slots.stale_after", o.slots.stale_after, 1s, 24h);
  o.slots.retry_base = dur("slots.retry_base", o.slots.retry_base, 100ms, 1h);
  o.slots.retry_max = dur("slots.retry_max", o.slots.retry_max, 100ms, 24h);
  if (o.slots.retry_base > o.slots.retry_max)
    cfg.error("slots.retry_base", "is larger than slots.retry_max");
  o.slots.reject_retry =
      dur("slots.reject_retry", o.slots.reject_retry, 10s, 24h);
  o.slots.cap_probe = dur("slots.cap_probe", o.slots.cap_probe, 0s, 1h);
  if (o.slots.cap_probe.count() != 0 && o.slots.cap_probe < 1s)
    cfg.error("slots.cap_probe", "must be 0 (off) or 1s..1h");
  // -- connection --
  auto& c = o.connection;
  c.custtype = o.custtype;
  c.send_rate = cfg.get_double("connection.send_rate", c.send_rate, 0.1, 1000);
  c.send_burst = cfg.get_double("connection.send_burst", c.send_burst, 1, 1000);
  // KIS's PINGPONG comes every ~10 to ~110 s (undocumented): under 10 s
  // every quiet session would be dropped and reconnected. Backoffs of 0
  // would reconnect in a loop (thousands a second against KIS).
  c.idle_timeout = dur("connection.idle_timeout", c.idle_timeout, 10s, 1h);
  c.backoff_min = dur("connection.backoff_min", c.backoff_min, 100ms, 10min);
  c.backoff_max = dur("connection.backoff_max", c.backoff_max, 1s, 1h);
  c.stable_after = dur("connection.stable_after", c.stable_after, 1s, 1h);
  c.in_use_backoff = dur("connection.in_use_backoff", c.in_use_backoff, 1s, 1h);
  c.answer_timeout =
      dur("connection.answer_timeout", c.answer_timeout, 1s, 5min);
  c.answer_timeouts_to_recycle = static_cast<std::uint32_t>(
      cfg.get_int("connection.answer_timeouts_to_recycle",
                  c.answer_timeouts_to_recycle, 0, 1000));
  if (c.backoff_min > c.backoff_max)
    cfg.error("connection.backoff_min", "is larger than backoff_max");
  // -- static demand --
  o.holdings = cfg.get_list("demand.holdings");
  o.picks = cfg.get_list("demand.picks");
  // Each symbol against every TR it would be registered under: a stock
  // code for the class's TRs, an overseas key for its overseas TRs.
  for (auto [key, list, domestic, abroad] :
       {std::tuple{"demand.holdings", &o.holdings, &o.slots.holding_trs,
                   &o.slots.overseas_holding_trs},
        std::tuple{"demand.picks", &o.picks, &o.slots.pick_trs,
                   &o.slots.overseas_pick_trs}})
    for (auto& code : *list)
      for (auto& tr : slot_config::trs_for(code, *domestic, *abroad))
        if (auto why = kis::check_key(tr, code); !why.empty()) {
          cfg.error(key, why
                             + " (an overseas symbol is D or R, an exchange "
                               "and a symbol: DNASAAPL)");
          break;
        }
  // -- admin --
  auto listen = cfg.get_string("admin.listen", "127.0.0.1:0");
  o.admin_allow_remote = cfg.get_bool("admin.allow_remote", false);
  auto token_var = cfg.get_string("admin.token_env");
  if (!token_var.empty()) {
    if (auto v = env(token_var.c_str()); v && !v->empty())
      o.admin_token = *v;
    else
      cfg.error("admin.token_env",
                "environment variable " + token_var + " is not set");
    if (!o.admin_token.empty() && o.admin_token.size() < 16)
      cfg.error("admin.token_env",
                "the token in " + token_var + " is shorter than 16 characters");
  }
  if (listen == "off") {
    o.admin = false;
  } else {
    net::listen_address addr;
    if (auto why = net::parse_listen_address(listen, addr); !why.empty()) {
      cfg.error("admin.listen", why);
    } else {
      o.admin_host = addr.host;
      o.admin_port = addr.port;
      if (!addr.loopback && !o.admin_allow_remote)
        cfg.error("admin.listen",
                  "'" + listen
                      + "' is not a loopback address; the admin API serves "
                        "127.0.0.0/8 and [::1] only, unless "
                        "admin.allow_remote = on with admin.token_env");
      if (!addr.loopback && o.admin_allow_remote && token_var.empty())
        cfg.error("admin.allow_remote",
                  "needs admin.token_env (the variable holding the bearer "
                  "token every request must carry)");
    }
  }
  // /healthz: a key pending or releasing past the connection's answer
  // deadline is degraded; holdings get as long to become active.
  o.health.answer_timeout = c.answer_timeout;
  o.health.holding_grace = o.health.answer_timeout;
  // -- embedded simulator --
  o.sim_seed = static_cast<std::uint64_t>(
      cfg.get_int("sim.seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  o.sim_rate = cfg.get_double("sim.rate", 0, 0, 1e7);
  read_source_options(cfg, o);
  read_calendar_options(cfg, o);
  // -- remote nodes (apps/kisrt/publish.cpp)
  o.publish = read_publish_options(cfg, errors);
  // -- the WebSocket stream (apps/kisrt/stream.cpp), under the node policy
  o.stream = read_stream_options(cfg, env);
  o.stream.policy = o.publish.nodes;
  // -- the notice journal (docs/nodes.md)
  o.notices_journal = cfg.get_string("notices.journal");
  o.notices_journal_max = static_cast<std::size_t>(
      cfg.get_int("notices.journal_max", 100'000, 1, 10'000'000));
  // -- CAF's scheduler (actors/scheduler_tuning.hpp)
  o.scheduler.workers =
      static_cast<std::size_t>(cfg.get_int("scheduler.workers", 0, 0, 256));
  o.scheduler.poll_sleep = std::chrono::microseconds{
      cfg.get_int("scheduler.poll_sleep_us", 2, 0, 100'000)};
  o.scheduler.timer_slack_ns = static_cast<std::uint64_t>(
      cfg.get_int("scheduler.timer_slack_ns", 1, 0, 1'000'000'000));
  o.log_level = read_log_level(cfg);
  for (auto& e : cfg.errors())
    errors.push_back(e);
  for (auto& e : cfg.unused_keys())
    errors.push_back(e);
  return o;
}

} // namespace kisrt::app
