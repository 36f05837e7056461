// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <chrono>

#include "messages/slot_types.hpp"

namespace kisrt {

/// Paces requests: `rate` per second on average, bursts up to `burst`.
/// Time comes from the caller (the actor clock), never from a clock read.
class token_bucket {
public:
  token_bucket(double rate, double burst) noexcept
      : rate_(rate)
      , burst_(std::max(1.0, burst))
      , tokens_(burst_) {
    // nop
  }

  /// Takes one token if there is one at `now`.
  bool try_take(mono_time now) noexcept {
    refill(now);
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

  /// When the next token will be there (now, if one is).
  mono_time next_token(mono_time now) noexcept {
    refill(now);
    if (tokens_ >= 1.0 || rate_ <= 0)
      return now;
    auto secs = (1.0 - tokens_) / rate_;
    return now
           + std::chrono::duration_cast<mono_time>(
               std::chrono::duration<double>{secs})
           + mono_time{1};
  }

private:
  void refill(mono_time now) noexcept {
    if (now > last_) {
      auto secs = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(burst_, tokens_ + secs * rate_);
      last_ = now;
    }
  }

  double rate_;
  double burst_;
  double tokens_;
  mono_time last_{0};
};

} // namespace kisrt
