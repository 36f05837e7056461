// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>

#include "messages/slot_types.hpp"

namespace kisrt {

/// Capped, jittered exponential reconnect delays. A connection that stayed
/// up for `stable_after` starts over at `min`; KIS warns that connect/close
/// loops get an app key or IP blocked, so the cap matters.
class backoff {
public:
  backoff(mono_time min, mono_time max, mono_time stable_after,
          std::uint64_t seed) noexcept
      : min_(min)
      , max_(max)
      , stable_after_(stable_after)
      , rng_(seed) {
    // nop
  }

  /// The delay before the next attempt: min * 2^attempts capped at max,
  /// then a uniform draw in [delay/2, delay] so that many gateways
  /// restarted at once do not reconnect in lockstep. Never below `floor`.
  mono_time next(mono_time floor = mono_time{0}) {
    auto base = min_;
    for (std::uint32_t i = 0; i < attempts_ && base < max_; ++i)
      base *= 2;
    base = std::min(base, max_);
    ++attempts_;
    std::uniform_int_distribution<std::int64_t> dist{base.count() / 2,
                                                     base.count()};
    return std::max(mono_time{dist(rng_)}, floor);
  }

  /// The connection opened at `now`.
  void opened(mono_time now) noexcept { opened_at_ = now; }

  /// The connection closed at `now`: a stable run resets the delays.
  void closed(mono_time now) noexcept {
    if (opened_at_ && now - *opened_at_ >= stable_after_)
      attempts_ = 0;
    opened_at_.reset();
  }

  std::uint32_t attempts() const noexcept { return attempts_; }

private:
  mono_time min_;
  mono_time max_;
  mono_time stable_after_;
  std::mt19937_64 rng_;
  std::uint32_t attempts_ = 0;
  std::optional<mono_time> opened_at_;
};

} // namespace kisrt
