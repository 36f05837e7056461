// SPDX-License-Identifier: Apache-2.0
// The one fixture of the actor tests on CAF's deterministic test coordinator:
// the kisrt type-ID block (actor_config.hpp), the actor clock, and drain()
// and advance() that move messages and time only when a test says so.
#pragma once

#include <chrono>

#include <caf/test/dsl.hpp>

#include "messages/slot_types.hpp"
#include "tests/common/actor_config.hpp"

namespace kisrt::test {

template <class Config = actor_test_config>
struct actor_fixture : test_coordinator_fixture<Config> {
  /// The actor clock now (CAF's test clock does not start at zero).
  mono_time now() {
    return std::chrono::duration_cast<mono_time>(
        this->sched.clock().now().time_since_epoch());
  }

  /// Delivers every queued message but fires no timer: a periodic tick
  /// would otherwise run forever (run() triggers timeouts). Time moves only
  /// through advance().
  void drain() {
    while (this->sched.try_run_once()) {
      // nop
    }
  }

  /// Moves the actor clock, fires what is due and delivers the results.
  void advance(mono_time d) {
    this->advance_time(d);
    drain();
  }
};

} // namespace kisrt::test
