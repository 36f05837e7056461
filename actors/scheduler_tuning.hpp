// SPDX-License-Identifier: Apache-2.0
// How CAF's scheduler runs the gateway's actors, tuned for latency on small
// machines (docs/benchmarks.md, "End to end"; docs/configuration.md,
// `scheduler.*`). CAF 0.17.6 starts max(cores, 4) workers; an idle worker
// polls, then sleeps 50 us between polls (plus Linux's default 50 us timer
// slack) for 25 ms before it waits on a condition variable, so a frame
// handed over by the network thread waits for a sleeping worker, and on a
// 2-core machine four workers fight the network thread for the cores.
// kisrt leaves one core to the network thread (workers = cores - 1, 1 to
// 4), polls every 2 us and asks for 1 ns of timer slack on CAF's threads by
// default. The price: a worker with nothing to do wakes every few us for
// about 1-2 ms after its last message before it blocks, so under a steady
// feed it keeps part of a core busy.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace caf {
class actor_system_config;
} // namespace caf

namespace kisrt {

struct scheduler_options {
  /// CAF worker threads; 0: default_workers().
  std::size_t workers = 0;
  /// Sleep between polls of an idle worker before it blocks (CAF: 50 us).
  /// 0 keeps CAF's default.
  std::chrono::microseconds poll_sleep{2};
  /// Linux timer slack of CAF's threads in ns (the kernel's default is
  /// 50,000); 0 leaves it alone. Ignored elsewhere.
  std::uint64_t timer_slack_ns = 1;
};

/// Workers for `cores` cores (0: unknown): cores - 1, at least 1, at most 4
/// (the gateway has a handful of busy actors; more workers only poll).
std::size_t default_workers(unsigned cores) noexcept;

/// Applies `opts` to `cfg`; call before the actor_system is constructed.
void configure_scheduler(caf::actor_system_config& cfg,
                         const scheduler_options& opts);

} // namespace kisrt
