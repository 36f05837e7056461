// SPDX-License-Identifier: Apache-2.0
// Latency samples (ns) to benchmark counters: p50_us, p99_us, max_us,
// samples. Shared by the bare loop (sim_bench) and the gateway case.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kisrt::bench {

inline void report_latency(benchmark::State& state,
                           std::vector<std::int64_t> lat) {
  if (lat.empty())
    return;
  auto pct = [&](double q) {
    auto k = static_cast<std::size_t>(q * static_cast<double>(lat.size() - 1));
    std::nth_element(lat.begin(), lat.begin() + static_cast<long>(k),
                     lat.end());
    return static_cast<double>(lat[k]) / 1000.0;
  };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = pct(1.0);
  state.counters["samples"] = static_cast<double>(lat.size());
}

} // namespace kisrt::bench
