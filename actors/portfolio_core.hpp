// SPDX-License-Identifier: Apache-2.0
// Holdings from execution notices and balance snapshots, without a mailbox.
// Notices change a position at once; a REST snapshot replaces every
// position whose last notice is older than the settle time (the balance
// has caught up with it), and reports each difference it corrected.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/demand.hpp"
#include "messages/slot_types.hpp"
#include "messages/sources.hpp"
#include "net/kis/records.hpp"

namespace kisrt {

class portfolio_core {
public:
  /// `settle`: how long a notice-derived position outranks REST.
  /// `account`: the CANO (8 digits) whose notices count; notices of other
  /// accounts of the same customer are ignored. Empty: every notice.
  explicit portfolio_core(mono_time settle, std::string account = {})
      : settle_(settle) {
    if (!account.empty())
      accounts_.push_back(std::move(account));
  }

  /// `accounts`: every CANO whose notices count (several accounts, each
  /// on the app key that owns it); empty: every notice.
  portfolio_core(mono_time settle, std::vector<std::string> accounts)
      : settle_(settle)
      , accounts_(std::move(accounts)) {
    // nop
  }

  /// Applies an execution notice received at `now` on `session`. Returns
  /// the resulting position for a fill; nothing for acknowledgements,
  /// rejections, duplicates (below), other accounts' notices and notices
  /// without a symbol or quantity. A buy adds, a sell lowers (never below
  /// zero).
  ///
  /// Duplicates: KIS notices carry no fill number, cumulative or remaining
  /// quantity, so two partial fills of one order with equal quantity and
  /// price in the same second are identical in every field. A session
  /// delivers each fill once, so every arrival on one session counts; the
  /// same notice on another session (several app keys registered with one
  /// HTS ID) is the same fill: a notice counts as often as the session that
  /// delivered it most often. On top, an order's counted fills never exceed
  /// its order quantity (ODER_QTY): a fill past it is a replay.
  std::optional<position_update> apply(const kis::exec_notice& n, mono_time now,
                                       session_id session = 0);

  /// Why the last apply() ignored a fill as a duplicate (empty otherwise).
  const std::string& last_duplicate() const noexcept { return duplicate_; }

  /// Reconciles with a balance snapshot requested at `asked`. A position
  /// changed by a notice less than `settle` before `asked` keeps its notice
  /// state (the fill may not be in the balance yet); every other position
  /// takes the REST quantity. Returns one text per difference.
  std::vector<std::string> reconcile(const std::vector<holding_qty>& rows,
                                     mono_time asked);

  /// After reconcile(): when the earliest settle window of a position whose
  /// notice state disagreed with REST ends (a poll asked then settles it);
  /// unset when nothing disagreed inside a window.
  std::optional<mono_time> follow_up() const noexcept { return follow_up_; }

  /// Held codes (quantity above zero), sorted.
  holding_set holdings() const;

  /// Held positions, sorted by code.
  std::vector<holding_qty> positions() const;

  /// True once a balance snapshot was reconciled.
  bool synced() const noexcept { return synced_; }

  /// Quantity of `code` (0 when not held).
  std::int64_t quantity(std::string_view code) const;

  /// Fills remembered for duplicate detection (bounded).
  static constexpr std::size_t max_remembered_fills = 8192;

private:
  struct position {
    std::int64_t qty = 0;
    /// Time of the last notice that changed it; unset: REST only.
    std::optional<mono_time> noticed;
  };

  /// Every field of the notice, joined: its identity.
  static std::string fill_id(const kis::exec_notice& n);

  /// How often each session delivered one notice, and how often it counted.
  struct arrivals {
    std::map<session_id, std::uint32_t> per_session;
    std::uint32_t counted = 0;
  };

  mono_time settle_;
  std::vector<std::string> accounts_;
  bool synced_ = false; ///< a snapshot was reconciled
  std::map<std::string, position, std::less<>> pos_;
  std::map<std::string, arrivals> seen_;
  std::deque<std::string> seen_order_; ///< oldest first, for the bound
  /// Counted fill quantity per (account, order number).
  std::map<std::string, std::int64_t> filled_;
  std::deque<std::string> filled_order_;
  std::string duplicate_;
  std::optional<mono_time> follow_up_;
};

} // namespace kisrt
