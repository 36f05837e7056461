// SPDX-License-Identifier: Apache-2.0
// The guard the polling sources (scanner, portfolio_sync) share.
#define CAF_SUITE actors.poll_guard
#include <caf/test/unit_test.hpp>

#include "actors/poll_guard.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

CAF_TEST(without a poll in flight a poll may start) {
  CAF_CHECK(poll_may_start(std::nullopt, mono_time{0}, mono_time{30s}));
}

CAF_TEST(a poll in flight blocks the next until its patience runs out) {
  std::optional<mono_time> started = mono_time{100s};
  CAF_CHECK(!poll_may_start(started, mono_time{100s}, mono_time{30s}));
  CAF_CHECK(!poll_may_start(started, mono_time{129s}, mono_time{30s}));
  CAF_CHECK(poll_may_start(started, mono_time{130s}, mono_time{30s}));
  CAF_CHECK(poll_may_start(started, mono_time{500s}, mono_time{30s}));
}
