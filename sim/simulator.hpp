// SPDX-License-Identifier: Apache-2.0
// kisrt-sim as a library: a local KIS (WebSocket, REST, admin API) that the
// gateway can embed and tests can start in-process on OS-chosen ports. No
// Beast or Asio types here: everything network lives behind the pimpl.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kisrt::sim {

/// One KIS customer: credentials, HTS ID (the notice tr_key) and account.
struct account {
  std::string app_key;
  std::string app_secret;
  std::string hts_id;
  std::string cano; ///< 8 digits
};

/// A starting position: `qty` shares of `code` in account `cano`.
struct holding {
  std::string cano;
  std::string code;
  std::int64_t qty = 0;
};

/// A starting overseas position: `qty` shares of `symbol` on the balance
/// exchange `exchange` (NASD, NYSE, AMEX, SEHK, ...) in account `cano`,
/// answered by the overseas inquire-balance (TTTS3012R).
struct overseas_holding {
  std::string cano;
  std::string exchange;
  std::string symbol;
  std::int64_t qty = 0;
};

struct options {
  std::uint16_t ws_port = 0;    ///< 0: the OS chooses
  std::uint16_t rest_port = 0;  ///< 0: the OS chooses
  std::uint16_t admin_port = 0; ///< 0: the OS chooses
  /// Address the WebSocket and REST listeners bind (admin is always
  /// 127.0.0.1).
  std::string bind = "127.0.0.1";
  std::vector<account> accounts;
  std::vector<holding> holdings;
  std::vector<overseas_holding> overseas_holdings;
  std::uint64_t seed = 1;
  /// Total data records per second across every registration; 0 means
  /// realistic (a few per symbol and second, bursts at the open).
  double rate = 0;
  std::size_t batch_max = 20;
  /// How often the engine runs its due work and generates the feed. The
  /// feed goes out in one burst per tick: at 10 k records/s a 5 ms tick
  /// sends 50 records at once, a 100 us tick about one (evenly paced).
  std::chrono::microseconds tick{5000};
  std::string cert_file; ///< PEM; empty: self-signed at start
  std::string key_file;
  bool rest_plain = false;
  std::size_t cap = 41;
  std::chrono::milliseconds hold_after_close{5000};
  std::chrono::milliseconds pingpong_interval{10000};
  std::chrono::milliseconds pingpong_timeout{30000};
  bool pingpong_strict = false;
  bool paper = false;
  std::string faults_file;
  /// Simulated KST time of day at start, seconds after midnight.
  int kst_start = 8 * 3600 + 59 * 60 + 50;
  /// Simulated KST date YYYYMMDD; 0: today's date in KST.
  std::int32_t kst_date = 0;
  /// Days without trading (YYYYMMDD) that the holiday call (chk-holiday)
  /// reports with opnd_yn "N"; every other day trades (like the market).
  std::vector<std::int32_t> holidays;
  /// Manual clock: simulated time moves only through advance_time()
  /// (tests). Otherwise it follows the steady clock.
  bool manual_clock = false;
  /// Token issuance rule (KIS: once per minute).
  std::chrono::milliseconds token_interval{60000};
  /// Delay between an order's acknowledgement and each fill notice.
  std::chrono::milliseconds fill_delay{20};
  /// The first order number (ODNO). KIS numbers orders uniquely through a
  /// trading day, restarts included: a simulator started again the same
  /// day is given a number past the last one it handed out.
  std::uint64_t first_order = 12345;
  /// Outgoing bytes queued per session before data frames are dropped.
  std::size_t max_queue_bytes = 64 * 1024 * 1024;
  /// Benchmarks: every trade record (H0STCNT0/H0UNCNT0/H0NXCNT0) carries
  /// the steady-clock time its frame was handed to the socket (the write
  /// starting, after any queueing in the simulator), in ns since the steady
  /// clock's epoch, zero-padded to 20 digits, in place of ACML_TR_PBMN
  /// (cum_value).
  bool stamp_trades = false;
  /// spdlog level name for the stderr log ("info", "warn", "off", ...).
  std::string log_level = "info";
};

struct ports {
  std::uint16_t ws = 0;
  std::uint16_t rest = 0;
  std::uint16_t admin = 0;
};

/// An order as the admin API takes it.
struct order_request {
  std::string cano;
  std::string code;
  std::string side; ///< "buy" or "sell"
  std::int64_t qty = 0;
  std::int64_t price = 0; ///< 0: market
  /// Explicit partial fills (must sum to qty); empty: the simulator splits.
  std::vector<std::int64_t> fills;
};

/// Result of an admin call: HTTP-like status and a JSON body.
struct admin_result {
  int status = 200;
  std::string body;
};

class simulator {
public:
  explicit simulator(options opts);
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  /// Binds the listeners and starts the network thread. Throws
  /// std::runtime_error naming what failed (e.g. a port in use).
  ports start();

  /// Closes every connection and joins the network thread. Idempotent.
  void stop();

  const options& config() const noexcept;

  // -- in-process hooks (thread-safe; run on the simulator's thread) -------

  /// Same as `POST /order`.
  admin_result place_order(const order_request& req);

  /// Same as `POST /fault` with a JSON body such as {"kind":"drop"}.
  admin_result inject_fault(const std::string& json);

  /// Same as `GET /state`.
  std::string state_json();

  /// Moves simulated time forward (token rules, PINGPONG, holds, fills,
  /// market clock). With a manual clock this is the only way time moves.
  void advance_time(std::chrono::milliseconds d);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::sim
