// SPDX-License-Identifier: Apache-2.0
// A small seeded generator (splitmix64): the same seed gives the same
// market on every platform, unlike std:: distributions.
#pragma once

#include <cstdint>
#include <string_view>

namespace kisrt::sim {

class rng {
public:
  explicit rng(std::uint64_t seed = 1) noexcept
      : state_(seed) {
    // nop
  }

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1).
  double uniform() noexcept {
    return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
  }

  double uniform(double lo, double hi) noexcept {
    return lo + (hi - lo) * uniform();
  }

  /// Uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    if (hi <= lo)
      return lo;
    auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span);
  }

  /// Roughly normal (Irwin-Hall of 6), mean 0, deviation `sd`.
  double normal(double sd) noexcept {
    double s = 0;
    for (int i = 0; i < 6; ++i)
      s += uniform();
    return (s - 3.0) * sd * 1.41421356;
  }

  bool chance(double p) noexcept { return uniform() < p; }

private:
  std::uint64_t state_;
};

/// FNV-1a, to derive per-symbol streams from the global seed.
inline std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

} // namespace kisrt::sim
