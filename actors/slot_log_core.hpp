// SPDX-License-Identifier: Apache-2.0
// What the slot log writes, as plain functions and a rate limit: one line
// per slot event, at a level by its state, and no more than a few lines a
// second; the rest is counted and summed up in one line per window.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "messages/slot_outcome.hpp"

namespace kisrt {

enum class slot_log_level : std::uint8_t { debug, info, warn, error };

/// rejected, starved, stale: warn (a refused holding or execution notice,
/// priority 0 or 1: error); evicted, replayed: info; granted, active: debug.
slot_log_level level_of(const slot_outcome& ev);

/// "slot rejected: s1 H0STCNT0 999999 priority 3 OPSP8992 (permanent)".
/// `names` maps session indexes to names ("s1"); an index without a name
/// prints as "session N". Texts are made printable.
std::string format_slot_event(const slot_outcome& ev,
                              const std::vector<std::string>& names);

class slot_log_limiter {
public:
  /// At most `lines` lines per `window` (in the units of the times given).
  slot_log_limiter(std::int64_t window, std::size_t lines)
      : window_(window)
      , lines_(lines) {
    // nop
  }

  /// Whether a line of `ev` at time `now` may go out. A refused one is
  /// counted for the summary.
  bool admit(std::int64_t now, const slot_outcome& ev);

  /// When the summary of the current window is due (none when nothing was
  /// held back).
  std::optional<std::int64_t> due() const;

  /// The summary of what was held back ("12 more slot events in 1 s: 10
  /// evicted, 2 rejected"), at the highest level among them; resets the
  /// counts. Nothing when nothing was held back.
  std::optional<std::pair<slot_log_level, std::string>>
  summary(const std::string& window_text);

private:
  std::int64_t window_;
  std::size_t lines_;
  std::optional<std::int64_t> start_;
  std::size_t used_ = 0;
  std::array<std::uint64_t, 7> held_{};
  std::optional<slot_log_level> held_level_;
};

} // namespace kisrt
