// SPDX-License-Identifier: Apache-2.0
// The gateway's live view: on a terminal a table refreshing in place (one
// row per slot: session, tr_id, symbol, name, priority, state, last price,
// ticks, age of the last data; totals per priority; reconnects, drops,
// decode errors); otherwise a plain log line now and then. Formatting is a
// pure function of a snapshot, so tests call it directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt::app {

class gateway;

struct live_row {
  std::string session; ///< "s1"; "-" while the slot has no session
  std::string tr_id;
  std::string symbol; ///< tr_key
  std::string name;   ///< display name when known, else empty
  int priority = 0;
  std::string state; ///< requested, pending, active, rejected, releasing
  std::optional<std::int64_t> last_price;
  std::uint64_t ticks = 0;
  /// Time since the last data of this key; empty when none arrived yet.
  std::optional<std::chrono::milliseconds> age;
};

struct live_session {
  std::string name;
  bool up = false;
  std::uint32_t used = 0;
  std::uint32_t cap = 0; ///< learned cap
};

struct live_snapshot {
  std::vector<live_session> sessions;
  std::vector<live_row> rows;
  std::uint64_t reconnects = 0;
  std::uint64_t drops = 0; ///< dropped or conflated for slow subscribers
  std::uint64_t decode_errors = 0;
};

/// The table as lines (no escape codes): a session line, a header, rows
/// by priority then session, tr_id and symbol (at most `max_rows`, then a
/// "... N more" line; 0 = all), totals per priority and the counters.
std::vector<std::string> format_live_table(const live_snapshot& snap,
                                           std::size_t max_rows = 0);

/// One plain log line: slots by state and priority, ticks and counters.
std::string format_live_summary(const live_snapshot& snap);

/// Columns `s` takes on a terminal (Hangul and other wide characters take
/// two).
std::size_t display_width(const std::string& s);

/// Runs the view of a started gateway: subscribes to its hub, asks the
/// arbiter, hub and decoder every `interval`. With `tty` the table is
/// redrawn on stdout; otherwise a summary goes to the log every
/// `log_every` refreshes.
class log_ring; // apps/kisrt/logging.hpp

class live_view {
public:
  /// On a terminal the frame also shows `head` (the stdout lines) on top,
  /// and under the table the latest slot events and the latest lines of
  /// `logs` (apps/kisrt/live_screen.hpp).
  live_view(caf::actor_system& sys, const gateway& gw, bool tty,
            std::chrono::milliseconds interval = std::chrono::seconds{1},
            int log_every = 30, std::vector<std::string> head = {},
            std::shared_ptr<log_ring> logs = nullptr);
  ~live_view();
  live_view(const live_view&) = delete;
  live_view& operator=(const live_view&) = delete;

  /// Stops refreshing; idempotent.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::app
