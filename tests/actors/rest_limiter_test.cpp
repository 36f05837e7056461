// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE actors.rest_limiter
#include <caf/test/unit_test.hpp>

#include <chrono>

#include "actors/rest_limiter.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

CAF_TEST(rest limiter spaces requests per app key) {
  rest_limiter paper{2};
  mono_time t{10s};
  CAF_CHECK_EQUAL(paper.reserve(t), t);
  auto second = paper.reserve(t);
  CAF_CHECK_GREATER_OR_EQUAL(second, t + 550ms);
  CAF_CHECK_LESS(second, t + 551ms);
  auto third = paper.reserve(t);
  CAF_CHECK_GREATER_OR_EQUAL(third, t + 1100ms);
  // Later callers start from where the reservations are.
  CAF_CHECK_GREATER_OR_EQUAL(paper.reserve(t + 100ms), t + 1650ms);
  // After a quiet period a request goes at once.
  CAF_CHECK_EQUAL(paper.reserve(t + 10s), t + 10s);
  rest_limiter real{20};
  int in_first_second = 0;
  for (int i = 0; i < 40; ++i)
    if (real.reserve(t) < t + 1s)
      ++in_first_second;
  // 55 ms apart: 19 in the first second, well within KIS's 20.
  CAF_CHECK_EQUAL(in_first_second, 19);
}
