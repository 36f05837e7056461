// SPDX-License-Identifier: Apache-2.0
// The one splitmix64 of the tree (the simulator's markets and the slot
// property walks): the reference sequence, so a seed means the same run on
// every platform.
#define CAF_SUITE sim.rng
#include <caf/test/unit_test.hpp>

#include "sim/rng.hpp"

using kisrt::sim::rng;

CAF_TEST(splitmix64 gives the reference sequence) {
  rng zero{0};
  CAF_CHECK_EQUAL(zero.next(), 0xe220a8397b1dcdafULL);
  CAF_CHECK_EQUAL(zero.next(), 0x6e789e6aa1b965f4ULL);
  CAF_CHECK_EQUAL(zero.next(), 0x06c45d188009454fULL);
  rng answer{42};
  CAF_CHECK_EQUAL(answer.next(), 0xbdd732262feb6e95ULL);
}
