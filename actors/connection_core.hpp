// SPDX-License-Identifier: Apache-2.0
// The logic of one KIS connection (one app key) as a plain class: events in,
// actions out. The connection actor runs the actions (sockets, REST, actor
// messages); tests drive this class directly with chosen times.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/backoff.hpp"
#include "actors/token_bucket.hpp"
#include "messages/session_messages.hpp"
#include "messages/slot_types.hpp"

namespace kisrt {

struct connection_config {
  session_id session = 0;
  /// The session's configured name, for log lines ("s1").
  std::string label;
  std::string custtype = "P";
  mono_time backoff_min = std::chrono::seconds{1};
  mono_time backoff_max = std::chrono::seconds{60};
  /// A connection up this long resets the backoff.
  mono_time stable_after = std::chrono::seconds{60};
  /// Minimum wait after OPSP8996 (another session holds the app key; KIS
  /// may keep a closed session for a while).
  mono_time in_use_backoff = std::chrono::seconds{30};
  /// No message of any kind (PINGPONG included) for this long: reconnect.
  mono_time idle_timeout = std::chrono::seconds{100};
  /// Approval keys live 24 h; re-issue on reconnect past this age.
  mono_time approval_max_age = std::chrono::hours{23};
  /// True at a quiet moment (outside market hours). A connection open with
  /// a key older than `approval_max_age` then fetches a new key and
  /// reconnects with it, before the old one runs out in trading hours.
  /// Unset: keys are renewed only at reconnects and on OPSP0011.
  std::function<bool(mono_time)> quiet;
  /// How often a connection with an old key asks `quiet` again.
  mono_time quiet_check = std::chrono::minutes{1};
  /// Subscribe/unsubscribe pacing.
  double send_rate = 20;
  double send_burst = 5;
  /// A subscribe or unsubscribe unanswered this long after its frame went
  /// to the socket (after pacing) is reported to the arbiter, which
  /// re-sends it.
  mono_time answer_timeout = std::chrono::seconds{10};
  /// This many answer timeouts in a row (no answer in between) recycle
  /// the connection: close, reconnect, new epoch.
  std::uint32_t answer_timeouts_to_recycle = 3;
};

enum class conn_state : std::uint8_t {
  idle,       ///< not started, or stopped
  approving,  ///< waiting for an approval key
  connecting, ///< socket being opened
  open,       ///< registered traffic flows
  waiting,    ///< backing off before the next attempt
};

std::string_view to_string(conn_state x) noexcept;

/// What the actor must do, in order.
struct conn_action {
  enum kind_t : std::uint8_t {
    fetch_approval, ///< ask REST for an approval key
    connect,        ///< open transport `transport`
    send,           ///< write `text` as a text frame on the open transport
    abort,          ///< drop the transport without a close frame
    close,          ///< close the transport with a close frame
    up,             ///< tell the arbiter: session up with `epoch`
    down,           ///< tell the arbiter: session down (`epoch` ended)
    forward,        ///< hand `text` to the decoder (with `epoch`)
    log,            ///< something worth a log line: `text`
    warn,           ///< something wrong worth a warning: `text`
    timeout,        ///< tell the arbiter: `command` went unanswered
  };
  kind_t kind;
  std::string text = {};
  epoch_t epoch = 0;
  std::uint64_t transport = 0;
  /// For `timeout`: the unanswered command.
  wire_command command = {};
};

struct connection_stats {
  std::uint64_t connects = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t pingpongs = 0;
  std::uint64_t sent = 0;
  std::uint64_t dropped_commands = 0; ///< stale epoch or not open
  std::uint64_t watchdog_fired = 0;
  std::uint64_t in_use = 0;   ///< OPSP8996 seen
  std::uint64_t rekeys = 0;   ///< OPSP0011 seen (approval key re-issued)
  std::uint64_t renewals = 0; ///< old keys renewed at a quiet moment
  std::uint64_t answer_timeouts = 0;
  std::uint64_t recycled = 0; ///< reconnects after answer timeouts
};

class connection_core {
public:
  using actions = std::vector<conn_action>;

  connection_core(connection_config cfg, std::uint64_t seed);

  // -- lifecycle --

  void start(mono_time now, actions& out);
  void stop(mono_time now, actions& out);

  // -- REST results --

  void approval_ok(mono_time now, std::string key, actions& out);
  void approval_failed(mono_time now, std::string_view why, actions& out);

  // -- transport events (tagged with the transport they came from) --

  void opened(mono_time now, std::uint64_t transport, actions& out);
  void closed(mono_time now, std::uint64_t transport, std::string_view why,
              actions& out);
  void received(mono_time now, std::uint64_t transport, std::string text,
                actions& out);

  // -- from the arbiter --

  void command(mono_time now, const wire_command& cmd, actions& out);

  // -- time --

  /// Runs what is due at `now`: the next attempt, queued sends, watchdog.
  void tick(mono_time now, actions& out);

  /// The earliest time tick() has something to do, if any.
  std::optional<mono_time> next_wakeup(mono_time now);

  // -- introspection --

  session_id session() const noexcept { return cfg_.session; }
  const std::string& label() const noexcept { return cfg_.label; }
  conn_state state() const noexcept { return state_; }
  epoch_t epoch() const noexcept { return epoch_; }
  std::uint64_t transport() const noexcept { return transport_; }
  std::size_t queued() const noexcept { return queue_.size(); }
  /// Commands sent and not yet answered.
  std::size_t unanswered() const noexcept { return waiting_.size(); }
  const connection_stats& stats() const noexcept { return stats_; }
  bool has_approval() const noexcept { return !approval_.empty(); }

private:
  void attempt(mono_time now, actions& out);
  void lost(mono_time now, std::string_view why, actions& out);
  void schedule_retry(mono_time now, mono_time floor, actions& out);
  void drain(mono_time now, actions& out);
  void rekey(mono_time now, std::string_view why, actions& out);
  void maybe_renew(mono_time now, actions& out);
  void renewed(mono_time now, std::string key, actions& out);
  void answered(const std::string& tr_id, const std::string& tr_key);
  void check_answers(mono_time now, actions& out);

  /// A command on the socket waiting for its answer.
  struct in_flight {
    wire_command cmd;
    mono_time deadline;
  };

  connection_config cfg_;
  backoff backoff_;
  token_bucket bucket_;
  conn_state state_ = conn_state::idle;
  epoch_t epoch_ = 0;
  std::uint64_t transport_ = 0;
  std::string approval_;
  mono_time approval_at_{0};
  /// A renewal's key request is out while the connection stays open.
  bool renewing_ = false;
  /// An old key's connection asks `quiet` again at this time.
  mono_time renew_check_at_{0};
  mono_time retry_at_{0};
  mono_time last_rx_{0};
  mono_time retry_floor_{0};
  std::deque<wire_command> queue_;
  /// At most one command per key is in flight (the arbiter's rule), in
  /// send order, so the front has the earliest deadline.
  std::deque<in_flight> waiting_;
  std::uint32_t missed_in_a_row_ = 0;
  connection_stats stats_;
};

} // namespace kisrt
