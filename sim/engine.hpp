// SPDX-License-Identifier: Apache-2.0
// The simulator's brain, free of sockets: sessions and their registrations,
// the market feed, accounts and orders, REST and admin handlers, faults.
// Everything runs on the simulator's one network thread; the network layer
// calls in with what arrived and gives each connection a ws_link to send
// through.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/kis/aes.hpp"
#include "sim/feeds.hpp"
#include "sim/market.hpp"
#include "sim/rng.hpp"
#include "sim/simulator.hpp"

namespace kisrt::sim {

/// Writes `ns` (steady clock) into the stamp placeholder of every trade
/// record of an H0STCNT0 frame built with options::stamp_trades; called when
/// the frame goes to the socket, so the stamp is the send time. False when
/// the frame has no placeholder.
bool restamp_trades(std::string& frame, std::int64_t ns);

/// One WebSocket connection as the engine sees it.
class ws_link {
public:
  virtual ~ws_link() = default;
  /// Queues a text message; `data` frames may be dropped by a full queue.
  virtual void send(std::shared_ptr<const std::string> msg, bool data) = 0;
  /// Closes after what is queued (`with_frame`: a close frame) or at once
  /// at the TCP level (no close frame).
  virtual void close(bool with_frame) = 0;
  /// Bytes queued and not yet written (the feed backs off above a mark).
  virtual std::size_t queued_bytes() const = 0;
};

struct http_request {
  std::string method; ///< "GET", "POST"
  std::string target; ///< path with query
  /// Header names lower-cased.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Case-insensitive header value, empty when absent.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct http_reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class engine {
public:
  explicit engine(options opts);
  ~engine();

  const options& opts() const noexcept { return opts_; }

  // -- clock ----------------------------------------------------------------
  /// Simulated milliseconds since start.
  std::int64_t now_ms() const;
  /// The same clock in microseconds (the feed is generated at this grain).
  std::int64_t now_us() const;
  void advance(std::chrono::milliseconds d);
  /// Simulated KST time of day in seconds.
  int kst() const;

  // -- WebSocket ------------------------------------------------------------
  std::uint64_t ws_open(std::shared_ptr<ws_link> link, std::string remote);
  void ws_text(std::uint64_t id, std::string_view msg);
  void ws_pong(std::uint64_t id, std::string_view payload);
  void ws_closed(std::uint64_t id);
  /// True while the `refuse` fault is active.
  bool refusing() const;
  /// Closes every session with a close frame (shutdown).
  void close_all();

  // -- HTTP -----------------------------------------------------------------
  http_reply rest(const http_request& req);
  http_reply admin(const http_request& req);

  // -- admin ----------------------------------------------------------------
  admin_result place_order(const order_request& req);
  admin_result fault(std::string_view json);
  std::string state_json();
  /// `{"H0UPCNT0":["0001",...],...}`: the keys fed per TR id (GET /feeds).
  std::string feeds_json();

  /// Runs what is due: scheduled actions, PINGPONG, data generation.
  void tick();

  /// Reads a `--faults` file into the schedule; throws on a bad line.
  void load_faults(const std::string& path);

private:
  enum class feed : std::uint8_t {
    none,
    trade,
    book,
    expected,
    program,
    us_trade,
    notice,
    generic ///< any layout, filled by name from an instrument (feeds.hpp)
  };

  struct registration {
    std::string tr_id;
    std::string tr_key;
    feed kind = feed::none;
    stock* st = nullptr;
    us_stock* us = nullptr;
    instrument* in = nullptr; ///< feed::generic
    const kis::tr_layout* layout = nullptr;
    bool follow = false; ///< generic: mirrors `st` instead of trading itself
    double acc = 0;
    std::int64_t active_from = 0;
  };

  struct session {
    std::uint64_t id = 0;
    std::shared_ptr<ws_link> link;
    std::string remote;
    std::int64_t since_ms = 0;
    std::string since_utc;
    std::string app_key; ///< empty until the first valid subscribe
    std::string aes_key, aes_iv;
    kis::aes_key aes;
    std::vector<registration> regs;
    std::int64_t next_ping = 0;
    std::int64_t ping_outstanding = -1;
    std::uint64_t pings_sent = 0, pings_answered = 0;
    bool stalled = false;
    std::int64_t stall_until = -1; ///< -1: until the connection ends
    bool closing = false;
    bool no_hold = false; ///< restart: the app key is free at once
    std::uint64_t frames = 0, records = 0, dropped = 0;
  };

  struct token_info {
    std::string app_key;
    std::int64_t issued_ms = 0;
    bool revoked = false;
  };

  struct approval_info {
    std::string app_key;
    std::int64_t issued_ms = 0;
  };

  struct position {
    std::int64_t qty = 0;
    std::int64_t prev_qty = 0; ///< held at the start of the day
    std::int64_t pchs_amt = 0;
    std::int64_t bought = 0, sold = 0; ///< today
    std::int64_t pending_sell = 0;
  };

  struct account_state {
    account acct;
    std::map<std::string, position> pos; ///< by code
    std::int64_t cash = 100'000'000;
    std::int64_t buy_amt = 0, sell_amt = 0; ///< today
  };

  struct order {
    std::string order_no;
    std::string cano;
    std::string code;
    bool buy = true;
    std::int64_t qty = 0, price = 0, filled = 0;
    std::vector<std::int64_t> plan;
    std::string status; ///< accepted, partially_filled, filled, rejected
    std::string reason;
  };

  struct fill {
    std::string order_no;
    std::string cano;
    std::string code;
    bool buy = true;
    std::int64_t qty = 0, price = 0;
    std::string time;
  };

  struct scheduled {
    std::int64_t due = 0;
    std::uint64_t seq = 0;
    std::function<void()> run;
  };

  // -- helpers ---------------------------------------------------------------
  session* find_session(std::uint64_t id);
  session* session_of_key(std::string_view app_key);
  account_state* account_by_key(std::string_view app_key);
  account_state* account_by_cano(std::string_view cano);
  void at(std::int64_t due, std::function<void()> f);
  /// False when nothing went to the socket (session closing or stalled).
  bool send(session& s, std::string msg, bool data);
  /// An answer to a subscribe/unsubscribe: counted per msg_cd in
  /// `answers` when it goes to the socket, in `answers_lost` when a stall,
  /// a `drop_answers` fault or a closed session swallows it.
  void send_control(session& s, std::string msg, std::string msg_cd);
  void count_answer(bool sent, const std::string& msg_cd);
  void close_session(session& s, bool with_frame);
  void handle_subscribe(session& s, std::string_view msg);
  bool pingpong_answer(session& s, std::string_view msg);
  std::string_view check_tr_key(const session& s, std::string_view tr_id,
                                std::string_view tr_key, feed& kind,
                                bool& drop);
  void generate(std::int64_t dt_us);
  void notice(const account_state& a, const order& o, bool is_fill,
              std::int64_t qty, std::int64_t price, bool rejected);
  void do_fill(const std::string& order_no, std::int64_t qty);
  std::string kst_datetime() const;
  std::string new_uuid();
  std::string gt_uid();
  std::int64_t unix_now() const;
  std::size_t effective_cap() const;

  // -- REST ------------------------------------------------------------------
  http_reply rest_token(const http_request& req);
  http_reply rest_revoke(const http_request& req);
  http_reply rest_approval(const http_request& req);
  http_reply rest_balance(const http_request& req, account_state& a);
  http_reply rest_overseas_balance(const http_request& req,
                                   const account_state& a);
  http_reply rest_fluctuation(const http_request& req);
  http_reply rest_volume_rank(const http_request& req);
  http_reply rest_price(const http_request& req);
  http_reply rest_overseas_price(const http_request& req);
  http_reply rest_holiday(const http_request& req);
  std::string make_token(const std::string& app_key, std::int64_t iat,
                         std::int64_t exp);

  // -- faults ----------------------------------------------------------------
  admin_result apply_fault(std::string_view json);

  options opts_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::system_clock::time_point start_wall_;
  std::int64_t offset_ms_ = 0;
  std::int64_t last_gen_us_ = 0;
  rng rng_;  ///< feed timing and order splits (seeded)
  rng keys_; ///< keys, tokens (seeded from the OS)
  market market_;
  std::map<std::uint64_t, session> sessions_;
  std::uint64_t next_session_ = 1;
  std::map<std::string, std::int64_t> held_; ///< app key -> free at (ms)
  std::map<std::string, approval_info> approvals_;
  std::map<std::string, token_info> tokens_;
  std::map<std::string, std::string> current_token_; ///< app key -> token
  std::map<std::string, std::int64_t> last_token_ms_;
  std::map<std::string, std::deque<std::int64_t>> req_times_;
  std::vector<account_state> accounts_;
  std::vector<order> orders_;
  std::vector<fill> fills_;
  std::uint64_t next_order_ = 0; ///< from options::first_order
  std::vector<scheduled> schedule_;
  std::uint64_t schedule_seq_ = 0;
  std::map<std::string, std::uint64_t> frame_counts_;
  std::map<std::string, std::uint64_t> record_counts_;
  std::uint64_t pings_sent_ = 0, pings_answered_ = 0;
  std::uint64_t notices_sent_ = 0, notices_lost_ = 0;
  std::map<std::string, std::uint64_t> answers_, answers_lost_;
  /// REST: answered calls per tr_id, refusals per msg_cd (EGW00201, ...).
  std::map<std::string, std::uint64_t> rest_calls_, rest_refused_;
  std::string hmac_key_;
  // faults
  std::int64_t delay_acks_ms_ = 0;
  std::int64_t reject_left_ = 0;
  std::string reject_code_;
  std::string reject_key_; ///< empty: any subscribe
  std::int64_t drop_answers_left_ = 0;
  std::size_t cap_override_ = 0;
  std::int64_t refuse_until_ = -1;
  std::vector<std::string> fault_log_;
  // generic feeds: (TR family|key) -> instrument (node-stable)
  std::map<std::string, instrument> instruments_;
  // per-tick record cache: (tr_id|tr_key) -> single records
  std::unordered_map<std::string, std::vector<std::string>> cache_;
};

} // namespace kisrt::sim
