// SPDX-License-Identifier: Apache-2.0
// portfolio_sync: the P1 source. Holdings come from two places and go to
// the arbiter (and any holding listener, such as the scanner):
//
// - Execution notices (`notice_event`, sent by the decoder to its
//   subscribed notice sinks): a fill changes the position at once
//   and sends `position_update{symbol, quantity after}`. Acks, rejections
//   and duplicates (same order number and fill) change nothing.
// - Balance snapshots (`balance_snapshot`): from the injected
//   `balance_source` (polled at start, every `poll_interval`, after every
//   session replay and on `atom::poll`), or sent directly by anyone (a test,
//   the scenario runner, another node). Each one is reconciled with the
//   notice state (REST wins for positions without a fill in the last
//   `settle`), differences are logged, and the full `holding_set` is sent.
//   A failed poll is retried with backoff (`retry_min` .. `retry_max`); a
//   disagreement inside a settle window polls again when the window ends.
//
// Spawn: `sys.spawn(portfolio_sync, portfolio_sync_config{...}, arbiter)`;
// subscribe it to the decoder (`subscribe_atom, notice_sink_actor`) and,
// to poll after reconnects, to the arbiter (`subscribe_atom,
// slot_observer_actor`). Query: `get_atom, atom::holdings` returns the held
// positions as a `balance_snapshot`; `get_atom, atom::poll` how the polls
// went (`portfolio_status`, for /healthz).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/portfolio_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

/// Where balances come from; the gateway implements it with KIS REST,
/// tests and the scenario runner with scripted snapshots.
class balance_source {
public:
  virtual ~balance_source();

  /// Fetches every page of the balance; calls `done` exactly once, from
  /// any thread (a failure as a snapshot with `error` set).
  virtual void fetch(std::function<void(balance_snapshot)> done) = 0;
};

struct portfolio_sync_config {
  /// Polls the balance: at start, every `poll_interval` (0: no timer, as a
  /// scenario runner that fires every timer at once needs), after session
  /// replays. Null: snapshots only arrive as
  /// messages.
  std::shared_ptr<balance_source> source;
  mono_time poll_interval = std::chrono::minutes{5};
  /// The account (CANO) whose notices count; empty: every notice.
  std::string account;
  /// More accounts whose notices count, with `account` (several accounts,
  /// each on the app key that owns it). Their balances come through
  /// `source`: merged_balance_source() for several.
  std::vector<std::string> accounts;
  /// Overseas holdings: balance rows whose code is an overseas key (`D` +
  /// exchange + symbol, e.g. DNASAAPL) are not part of the holding_set;
  /// each is requested from the arbiter at priority 1 on this TR (owner
  /// `portfolio`) and released when sold.
  std::string overseas_tr = "HDFSCNT0";
  /// Registered at priority 1 at start (owner `portfolio`): the overseas
  /// execution notice (H0GSCNI0, H0GSCNI9 on paper, + HTS ID).
  std::vector<slot_key> overseas_notices;
  /// How long a fill's notice state outranks a balance snapshot. A
  /// snapshot that disagrees with a notice inside this window is followed
  /// by another poll when the window ends.
  mono_time settle = std::chrono::seconds{30};
  /// A failed poll is retried after `retry_min`, doubling per consecutive
  /// failure up to `retry_max`, until one succeeds (the periodic polls go
  /// on as well).
  mono_time retry_min = std::chrono::seconds{2};
  mono_time retry_max = std::chrono::seconds{60};
  /// Also told of every holding_set and position_update.
  std::vector<holding_listener_actor> listeners;
};

/// One account's balance source, named in its errors ("account
/// 50000001"; empty: not named).
struct account_balance {
  std::string label;
  std::shared_ptr<balance_source> source;
};

/// The balances of several accounts as one: fetched at once, rows of one
/// code summed. One account failing fails the whole snapshot (its error
/// names the account), so holdings never lose an account by accident.
std::shared_ptr<balance_source>
merged_balance_source(std::vector<account_balance> parts);

/// True for an overseas key of the real-time overseas TRs: `D` or `R`, a
/// 3-letter exchange and a symbol (DNASAAPL, RBAQAAPL).
bool is_overseas_key(std::string_view code) noexcept;

struct portfolio_sync_state {
  std::optional<portfolio_core> core;
  portfolio_sync_config cfg;
  std::optional<slot_arbiter_actor> arbiter;
  /// When the poll in flight started (unset: none in flight).
  std::optional<mono_time> polling;
  /// When the next retry or follow-up poll is due (unset: none).
  std::optional<mono_time> extra_poll;
  /// The answers so far (get_atom, atom::poll).
  portfolio_status status;
  /// Overseas holdings requested from the arbiter.
  std::set<std::string> overseas;

  static inline const char* name = "portfolio_sync";
};

/// The wait before retry number `failures` (1 = the first): `min`
/// doubled per further failure, at most `max`.
mono_time poll_retry_delay(std::uint32_t failures, mono_time min,
                           mono_time max);

portfolio_sync_actor::behavior_type portfolio_sync(
    portfolio_sync_actor::stateful_pointer<portfolio_sync_state> self,
    portfolio_sync_config cfg, slot_arbiter_actor arbiter);

} // namespace kisrt
