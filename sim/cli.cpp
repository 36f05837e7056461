// SPDX-License-Identifier: Apache-2.0
#include "sim/cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kisrt::sim {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

bool to_u64(const std::string& s, unsigned long long max,
            unsigned long long& out) {
  if (!all_digits(s) || s.size() > 19)
    return false;
  errno = 0;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return errno == 0 && out <= max;
}

bool to_double(const std::string& s, double& out) {
  if (s.empty())
    return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end != nullptr && *end == '\0' && std::isfinite(out)
         && out >= 0;
}

// APPKEY:APPSECRET:HTS_ID:CANO
std::string parse_account(const std::string& v, account& a) {
  auto parts = split(v, ':');
  if (parts.size() != 4)
    return "expected APPKEY:APPSECRET:HTS_ID:CANO";
  for (const auto& p : parts)
    if (p.empty())
      return "expected APPKEY:APPSECRET:HTS_ID:CANO (no empty part)";
  if (parts[3].size() != 8 || !all_digits(parts[3]))
    return "CANO must be 8 digits";
  a.app_key = parts[0];
  a.app_secret = parts[1];
  a.hts_id = parts[2];
  a.cano = parts[3];
  return {};
}

// CANO:CODE:QTY,...
std::string parse_holdings(const std::string& v, options& out) {
  for (const auto& item : split(v, ',')) {
    auto parts = split(item, ':');
    unsigned long long q = 0;
    if (parts.size() != 3 || parts[0].size() != 8 || !all_digits(parts[0])
        || parts[1].size() != 6 || !all_digits(parts[1])
        || !to_u64(parts[2], 1'000'000'000ULL, q))
      return "expected CANO:CODE:QTY[,...], got '" + item + "'";
    out.holdings.push_back(
        holding{parts[0], parts[1], static_cast<std::int64_t>(q)});
  }
  return {};
}

} // namespace

int parse_kst_time(const std::string& s) {
  int h = 0, m = 0, sec = 0;
  char tail = 0;
  if (s.size() != 8
      || std::sscanf(s.c_str(), "%2d:%2d:%2d%c", &h, &m, &sec, &tail) != 3)
    return -1;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
    return -1;
  return h * 3600 + m * 60 + sec;
}

std::string read_accounts_file(const std::string& path, options& out) {
  std::ifstream in(path);
  if (!in)
    return "--accounts: cannot read " + path;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#')
      continue;
    std::istringstream ss(line.substr(first));
    std::string acct, holds;
    ss >> acct >> holds;
    account a;
    if (auto err = parse_account(acct, a); !err.empty())
      return "--accounts " + path + " line " + std::to_string(n) + ": " + err;
    out.accounts.push_back(a);
    if (!holds.empty()) {
      // CODE:QTY,... for this account
      std::string expanded;
      for (const auto& h : split(holds, ',')) {
        if (!expanded.empty())
          expanded += ',';
        expanded += a.cano + ":" + h;
      }
      if (auto err = parse_holdings(expanded, out); !err.empty())
        return "--accounts " + path + " line " + std::to_string(n)
               + ": holdings: expected CODE:QTY[,...]";
    }
  }
  return {};
}

std::string cli_usage() {
  return R"(kisrt-sim: a local KIS Open API (WebSocket, REST, admin) for tests and demos

usage: kisrt-sim [flags]
  --ws-port P             WebSocket port (0 = OS chooses; default 0)
  --rest-port P           REST port (0 = OS chooses; default 0)
  --admin-port P          admin HTTP port on 127.0.0.1 (0 = OS chooses)
  --bind ADDR             address of the ws and REST listeners (127.0.0.1)
  --account K:S:H:C       APPKEY:APPSECRET:HTS_ID:CANO (repeatable)
  --accounts FILE         accounts file (see config/sim-accounts.example)
  --holdings C:CODE:Q,..  starting holdings CANO:CODE:QTY
  --seed N                market seed (default 1)
  --rate N                total data records/s across registrations
                          (default: realistic, a few per symbol and second)
  --batch-max K           most records per data frame (default 20, <= 999)
  --tick-us N             feed and timer period in us (default 5000;
                          100..1000000): the feed leaves in one burst per tick
  --cert FILE --key FILE  REST TLS certificate/key (PEM); default self-signed
  --rest-plain            REST over plain HTTP
  --cap N                 registrations per session, notice included (41)
  --hold-after-close S    app key stays busy S seconds after a disconnect (5)
  --pingpong-interval S   PINGPONG every S seconds (10)
  --pingpong-timeout S    close sessions silent for S seconds (30)
  --pingpong-strict       only a text echo answers a PINGPONG
  --paper                 paper trading (H0STCNI9, VTTC8434R, 2 req/s)
  --faults FILE           timed fault schedule (JSON lines)
  --kst-start HH:MM:SS    simulated KST time at start (08:59:50)
  --kst-date YYYYMMDD     simulated business date (today in KST)
  --holidays YYYYMMDD,... days the holiday call reports without trading
  --token-interval S      token issuance rule (60 = once per minute)
  --fill-delay MS         delay before each fill notice (20)
  --first-order N         the first order number (12345)
  --log-level L           trace, debug, info, warn, error, off (info)
  --help
Prints {"ws_port":..,"rest_port":..,"admin_port":..} on stdout once bound;
logs go to stderr. SIGINT/SIGTERM stop it.
)";
}

cli_result parse_cli(const std::vector<std::string>& args, options& out,
                     std::string& error) {
  std::vector<std::string> accounts_files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_value = false;
    if (auto eq = flag.find('=');
        flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    auto need = [&]() -> bool {
      if (has_value)
        return true;
      if (i + 1 >= args.size()) {
        error = flag + ": missing value";
        return false;
      }
      value = args[++i];
      return true;
    };
    auto bad = [&](const std::string& what) {
      error = flag + ": " + what + ", got '" + value + "'";
      return cli_result::error;
    };
    auto port = [&](std::uint16_t& p) {
      unsigned long long v = 0;
      if (!need())
        return false;
      if (!to_u64(value, 65535, v)) {
        bad("expected a port 0..65535");
        return false;
      }
      p = static_cast<std::uint16_t>(v);
      return true;
    };
    auto seconds = [&](std::chrono::milliseconds& d) {
      double v = 0;
      if (!need())
        return false;
      if (!to_double(value, v) || v > 86400.0 * 365) {
        bad("expected seconds >= 0");
        return false;
      }
      d = std::chrono::milliseconds(static_cast<std::int64_t>(v * 1000));
      return true;
    };
    auto boolean = [&](bool& b) {
      if (has_value) {
        error = flag + ": takes no value";
        return false;
      }
      b = true;
      return true;
    };
    bool ok = true;
    if (flag == "--help" || flag == "-h") {
      return cli_result::help;
    } else if (flag == "--ws-port") {
      ok = port(out.ws_port);
    } else if (flag == "--rest-port") {
      ok = port(out.rest_port);
    } else if (flag == "--admin-port") {
      ok = port(out.admin_port);
    } else if (flag == "--bind") {
      ok = need();
      out.bind = value;
    } else if (flag == "--account") {
      if (!(ok = need()))
        break;
      account a;
      if (auto err = parse_account(value, a); !err.empty()) {
        // Never echo the value: it holds the app secret.
        error = "--account: " + err;
        return cli_result::error;
      }
      out.accounts.push_back(a);
    } else if (flag == "--accounts") {
      if (!(ok = need()))
        break;
      accounts_files.push_back(value);
    } else if (flag == "--holdings") {
      if (!(ok = need()))
        break;
      if (auto err = parse_holdings(value, out); !err.empty()) {
        error = "--holdings: " + err;
        return cli_result::error;
      }
    } else if (flag == "--seed") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, ~0ULL, v))
        return bad("expected an unsigned integer");
      out.seed = v;
    } else if (flag == "--rate") {
      if (!(ok = need()))
        break;
      if (!to_double(value, out.rate) || out.rate > 1e8)
        return bad("expected records/s >= 0");
    } else if (flag == "--batch-max") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, 999, v) || v == 0)
        return bad("expected 1..999");
      out.batch_max = v;
    } else if (flag == "--tick-us") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, 1'000'000, v) || v < 100)
        return bad("expected 100..1000000 (microseconds)");
      out.tick = std::chrono::microseconds{v};
    } else if (flag == "--cert") {
      ok = need();
      out.cert_file = value;
    } else if (flag == "--key") {
      ok = need();
      out.key_file = value;
    } else if (flag == "--rest-plain") {
      ok = boolean(out.rest_plain);
    } else if (flag == "--cap") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, 1000, v) || v == 0)
        return bad("expected 1..1000");
      out.cap = v;
    } else if (flag == "--hold-after-close") {
      ok = seconds(out.hold_after_close);
    } else if (flag == "--pingpong-interval") {
      ok = seconds(out.pingpong_interval);
    } else if (flag == "--pingpong-timeout") {
      ok = seconds(out.pingpong_timeout);
    } else if (flag == "--pingpong-strict") {
      ok = boolean(out.pingpong_strict);
    } else if (flag == "--paper") {
      ok = boolean(out.paper);
    } else if (flag == "--faults") {
      ok = need();
      out.faults_file = value;
    } else if (flag == "--kst-start") {
      if (!(ok = need()))
        break;
      auto t = parse_kst_time(value);
      if (t < 0)
        return bad("expected HH:MM:SS");
      out.kst_start = t;
    } else if (flag == "--kst-date") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (value.size() != 8 || !to_u64(value, 99991231, v) || v < 19000101)
        return bad("expected YYYYMMDD");
      out.kst_date = static_cast<std::int32_t>(v);
    } else if (flag == "--holidays") {
      if (!(ok = need()))
        break;
      std::size_t start = 0;
      for (;;) {
        auto comma = value.find(',', start);
        auto d = std::string{value.substr(start, comma - start)};
        unsigned long long v = 0;
        if (d.size() != 8 || !to_u64(d, 99991231, v) || v < 19000101)
          return bad("expected YYYYMMDD,...");
        out.holidays.push_back(static_cast<std::int32_t>(v));
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
    } else if (flag == "--token-interval") {
      ok = seconds(out.token_interval);
    } else if (flag == "--fill-delay") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, 3'600'000, v))
        return bad("expected milliseconds");
      out.fill_delay = std::chrono::milliseconds(v);
    } else if (flag == "--first-order") {
      unsigned long long v = 0;
      if (!(ok = need()))
        break;
      if (!to_u64(value, 9'000'000'000ULL, v) || v == 0)
        return bad("expected an order number 1..9000000000");
      out.first_order = v;
    } else if (flag == "--log-level") {
      ok = need();
      out.log_level = value;
    } else {
      error = flag + ": unknown flag (see --help)";
      return cli_result::error;
    }
    if (!ok)
      return cli_result::error;
  }
  if (!error.empty())
    return cli_result::error;
  for (const auto& f : accounts_files)
    if (auto err = read_accounts_file(f, out); !err.empty()) {
      error = err;
      return cli_result::error;
    }
  if (out.cert_file.empty() != out.key_file.empty()) {
    error = out.cert_file.empty() ? "--key: needs --cert too"
                                  : "--cert: needs --key too";
    return cli_result::error;
  }
  if (out.pingpong_interval.count() == 0) {
    error = "--pingpong-interval: must be > 0";
    return cli_result::error;
  }
  if (out.accounts.empty()) {
    // A demo account so that a bare `kisrt-sim` is usable at once.
    out.accounts.push_back(account{"PSDEMOAPPKEY0001", "DEMOAPPSECRET0001",
                                   "demouser", "50000001"});
    if (out.holdings.empty())
      out.holdings = {{"50000001", "005930", 10},
                      {"50000001", "000660", 5},
                      {"50000001", "035420", 3}};
  }
  for (const auto& h : out.holdings) {
    bool known = false;
    for (const auto& a : out.accounts)
      known = known || a.cano == h.cano;
    if (!known) {
      error = "--holdings: no account with CANO " + h.cano;
      return cli_result::error;
    }
  }
  return cli_result::run;
}

} // namespace kisrt::sim
