// SPDX-License-Identifier: Apache-2.0
// The gateway's configuration: what a config file (with the command line
// and environment applied) asks for, read and checked. No actors are
// spawned here (apps/kisrt/gateway.hpp assembles them).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/connection_core.hpp"
#include "actors/scanner_core.hpp"
#include "actors/scheduler_tuning.hpp"
#include "actors/slot_config.hpp"
#include "actors/trading_calendar.hpp"
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/health.hpp"
#include "apps/kisrt/publish.hpp"
#include "apps/kisrt/stream.hpp"
#include "net/tls.hpp"

namespace kisrt::app {

struct session_options {
  std::string name; ///< "s1"
  std::string app_key;
  std::string app_secret; ///< secret: never logged
  std::string hts_id;     ///< the execution notice's tr_key
  bool notice = true;
};

// -- demand sources ----------------------------------------------

/// One account portfolio_sync follows and the session whose app key owns
/// it (its REST token and rate limit).
struct account_option {
  std::string cano;        ///< 8 digits
  std::size_t session = 0; ///< index into gateway_options::sessions
};

/// portfolio_sync, picks_loader and scanner (docs/configuration.md).
struct sources_options {
  /// Account (CANO, 8 digits) whose balance gives the holdings; empty: no
  /// portfolio_sync. Its REST calls use the first session's app key.
  std::string cano;
  /// Every account followed (portfolio.accounts, `CANO@SESSION`; or
  /// portfolio.cano on the first session). `cano` is the first one's.
  std::vector<account_option> accounts;
  /// portfolio.overseas: the overseas balance too (its holdings at
  /// priority 1 on HDFSCNT0, the overseas notice registered), on these
  /// balance exchanges (portfolio.overseas_exchanges).
  bool overseas = false;
  std::vector<std::string> overseas_exchanges{"NASD"};
  std::chrono::milliseconds balance_interval{std::chrono::minutes{5}};
  std::chrono::milliseconds settle{std::chrono::seconds{30}};
  /// A failed balance poll is retried after retry_min, doubling up to
  /// retry_max (portfolio.retry_min, portfolio.retry_max).
  std::chrono::milliseconds balance_retry_min{std::chrono::seconds{2}};
  std::chrono::milliseconds balance_retry_max{std::chrono::seconds{60}};
  /// SQLite picks database; empty: no picks_loader.
  std::string picks_db;
  int picks_hour = 7;
  int picks_minute = 20;
  std::size_t picks_top = 20;
  bool scanner = false;
  bool rank_fluctuation = true; ///< scanner.rankings
  bool rank_volume = true;
  std::chrono::milliseconds scan_interval{std::chrono::seconds{10}};
  scan_filter filter;
  int open_minute = 9 * 60;
  int close_minute = 15 * 60 + 30;
  /// REST requests per second per app key (KIS: 20 real, 2 paper).
  double rest_rate = 20;
  /// Access token cache directory; empty: tokens stay in memory.
  std::string token_dir;
  /// `snapshot.on_subscribe`: a key's current price by REST when it
  /// becomes active.
  bool snapshots = true;
  /// `picks.poll`: how often the picks database is checked for changes
  /// (SQLite data_version); 0: only at the daily refresh.
  std::chrono::milliseconds picks_poll{std::chrono::seconds{10}};
};

/// `calendar.*` (docs/configuration.md; docs/arbiter.md, "Calendar and
/// sessions").
struct calendar_options {
  /// The configured holidays and special sessions (and the weekday rule).
  trading_calendar days;
  /// Ask KIS's holiday call (default: on, except on paper).
  bool kis = true;
  /// The cache of KIS's answer; empty: none.
  std::string cache;
  /// The daily call, KST.
  int refresh_hour = 6;
  int refresh_minute = 0;
};

struct gateway_options {
  std::string env = "sim"; ///< sim, paper or real
  std::string rest_url;
  std::string ws_url;
  net::tls_options rest_tls;
  std::string custtype = "P";
  std::vector<session_options> sessions;
  slot_config slots;
  connection_config connection;
  /// Static demand (a watch list without the portfolio/picks sources).
  std::vector<std::string> holdings;
  std::vector<std::string> picks;
  bool admin = true;
  std::string admin_host = "127.0.0.1";
  std::uint16_t admin_port = 0;
  /// `admin.allow_remote`: serve a non-loopback admin.listen (needs the
  /// token).
  bool admin_allow_remote = false;
  /// Bearer token from the variable named by `admin.token_env`; empty: no
  /// token asked. A secret: never logged.
  std::string admin_token;
  /// What `/healthz` tolerates (apps/kisrt/health.hpp).
  health_settings health;
  /// Start the simulator in-process and point the gateway at it.
  bool sim = false;
  std::uint64_t sim_seed = 1;
  double sim_rate = 0;
  /// Embedded simulator's KST start (seconds after midnight; -1: its
  /// default) and manual clock (tests move it through simulator()).
  int sim_kst_start = -1;
  bool sim_manual_clock = false;
  /// `clock.kst_start`: the gateway's KST time of day at start (seconds
  /// after midnight; -1: the real time, or the embedded simulator's).
  int clock_kst_start = -1;
  /// `clock.every_day`: market hours and the picks refresh on weekends too
  /// (default: with --sim).
  bool every_day = false;
  sources_options sources;
  /// `hours.*`: sessions per market (staleness counts only inside the
  /// hours of a key's market).
  trading_hours hours;
  /// `calendar.*`: trading days.
  calendar_options calendar;
  /// Remote nodes (--publish; docs/nodes.md).
  publish_options publish;
  /// The WebSocket JSON stream (--stream; docs/stream.md).
  stream_options stream;
  /// The notice journal (`notices.*`; docs/nodes.md): its SQLite file
  /// (empty: in memory) and the most notices it keeps.
  std::string notices_journal;
  std::size_t notices_journal_max = 100'000;
  /// CAF's scheduler (`scheduler.*`); applied by whoever builds the
  /// actor_system (kisrt's main, the callback facade) through
  /// configure_scheduler().
  scheduler_options scheduler;
  /// `log.level` (apps/kisrt/logging.hpp); applied by kisrt's main.
  std::string log_level = "info";
};

/// Reads the environment; tests substitute a map.
using env_reader = std::function<std::optional<std::string>(const char*)>;

/// Builds options from `cfg` (already loaded and overridden). Every problem
/// goes to `errors` naming the key and why; secrets never appear in them.
gateway_options read_options(config_file& cfg, const env_reader& env,
                             std::vector<std::string>& errors);

/// Reads `KEY=value` lines of a secrets file; refuses a file readable by
/// group or others. Returns an error text or empty.
std::string read_secrets_file(const std::string& path,
                              std::map<std::string, std::string>& out);

} // namespace kisrt::app
