// SPDX-License-Identifier: Apache-2.0
// The guard of the polling sources (scanner, portfolio_sync): one poll in
// flight at a time, but a poll that never answers does not block the next
// one forever.
#pragma once

#include <optional>

#include "messages/slot_types.hpp"

namespace kisrt {

/// Whether a new poll may start at `now`, given when the poll in flight
/// started (`in_flight`, unset: none): yes without one, or once it has gone
/// unanswered for `patience` or longer.
inline bool poll_may_start(const std::optional<mono_time>& in_flight,
                           mono_time now, mono_time patience) noexcept {
  return !in_flight || now - *in_flight >= patience;
}

} // namespace kisrt
