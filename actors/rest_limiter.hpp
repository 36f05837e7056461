// SPDX-License-Identifier: Apache-2.0
// One REST rate limit per app key (KIS: 20 requests/s real, 2/s paper),
// shared by every caller of that key (balance polls, rankings). Callers
// reserve a send time and wait for it themselves; time comes from the
// caller, so tests pass it explicitly.
#pragma once

#include <algorithm>
#include <mutex>

#include "actors/token_bucket.hpp"

namespace kisrt {

class rest_limiter {
public:
  /// No bursts: requests are spaced 1/rate apart, so no one-second window
  /// holds more than `rate` of them plus one at its very edge.
  explicit rest_limiter(double rate) noexcept
      : bucket_(rate, 1.0) {
    // nop
  }

  /// Reserves the next free send time at or after `now`. Thread-safe.
  mono_time reserve(mono_time now) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto at = bucket_.next_token(std::max(now, last_));
    bucket_.try_take(at);
    last_ = at;
    return at;
  }

private:
  std::mutex mtx_;
  token_bucket bucket_;
  mono_time last_{0};
};

} // namespace kisrt
