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
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "messages/demand.hpp"
#include "messages/slot_types.hpp"
#include "messages/sources.hpp"
#include "net/kis/records.hpp"

namespace kisrt {

class portfolio_core {
public:
  /// `settle`: how long a notice-derived position outranks REST.
  explicit portfolio_core(mono_time settle) noexcept
      : settle_(settle) {
    // nop
  }

  /// Applies an execution notice received at `now`. Returns the resulting
  /// position for a fill; nothing for acknowledgements, rejections,
  /// duplicates (same order number and fill) and notices without a symbol
  /// or quantity. A buy adds, a sell lowers (never below zero).
  std::optional<position_update> apply(const kis::exec_notice& n,
                                       mono_time now);

  /// Reconciles with a balance snapshot requested at `asked`. A position
  /// changed by a notice at or after `asked - settle` keeps its notice
  /// state (the fill may not be in the balance yet); every other position
  /// takes the REST quantity. Returns one text per corrected difference.
  std::vector<std::string> reconcile(const std::vector<holding_qty>& rows,
                                     mono_time asked);

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

  // (order number, fill time, quantity, price): KIS notices carry no fill
  // sequence number, so two identical partial fills of one order in the
  // same second count once until the next snapshot corrects them.
  using fill_id =
      std::tuple<std::string, std::int32_t, std::int64_t, std::int64_t>;

  mono_time settle_;
  bool synced_ = false; ///< a snapshot was reconciled
  std::map<std::string, position, std::less<>> pos_;
  std::set<fill_id> seen_;
  std::deque<fill_id> seen_order_;
};

} // namespace kisrt
