// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE actors.kst_clock
#include <caf/test/dsl.hpp>

#include "actors/kst_clock.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

CAF_TEST(civil dates map to days since the epoch) {
  CAF_CHECK_EQUAL(kst_clock::days_from_civil(1970, 1, 1), 0);
  CAF_CHECK_EQUAL(kst_clock::days_from_civil(2000, 3, 1), 11017);
  CAF_CHECK_EQUAL(kst_clock::days_from_civil(2025, 1, 6), 20094);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(0), 19700101);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(11017), 20000301);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(20094), 20250106);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(kst_clock::days_from_civil(2024, 2, 29)),
                  20240229);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(kst_clock::days_from_civil(2024, 12, 31)),
                  20241231);
}

CAF_TEST(the actor clock maps to KST from the anchor) {
  mono_time base{123s};
  // Monday 2025-01-06 07:19:30 KST.
  auto c = kst_clock::at_kst(base, 2025, 1, 6, 7, 19, 30);
  auto t = c.to_kst(base);
  CAF_CHECK_EQUAL(t.day, 20094);
  CAF_CHECK_EQUAL(t.second, 7 * 3600 + 19 * 60 + 30);
  CAF_CHECK_EQUAL(t.weekday, 1);
  // Thirty seconds later it is 07:20; seventeen hours later, Tuesday.
  CAF_CHECK_EQUAL(c.to_kst(base + 30s).minute_of_day(), 7 * 60 + 20);
  auto tue = c.to_kst(base + 17h);
  CAF_CHECK_EQUAL(tue.weekday, 2);
  CAF_CHECK_EQUAL(tue.second, 19 * 60 + 30);
  // A raw UTC anchor: 2025-01-05 22:19:30 UTC is the same instant.
  kst_clock u{base,
              std::chrono::seconds{20093LL * 86400 + 22 * 3600 + 19 * 60 + 30}};
  CAF_CHECK_EQUAL(u.to_kst(base).second, t.second);
  CAF_CHECK_EQUAL(u.to_kst(base).day, t.day);
}

CAF_TEST(next_at finds the next wall - clock time on the actor clock) {
  mono_time base{5s};
  auto c = kst_clock::at_kst(base, 2025, 1, 6, 7, 19, 30);
  CAF_CHECK_EQUAL(c.next_at(base, 7, 20), base + 30s);
  // At exactly 07:20 the next 07:20 is tomorrow.
  CAF_CHECK_EQUAL(c.next_at(base + 30s, 7, 20), base + 30s + 24h);
  CAF_CHECK_EQUAL(c.next_at(base, 9, 0), base + 1h + 40min + 30s);
}

CAF_TEST(market hours open at 09 : 00 and close at 15 : 30 on weekdays) {
  mono_time base{0};
  auto c = kst_clock::at_kst(base, 2025, 1, 6, 8, 59, 59); // Monday
  market_hours h;
  CAF_CHECK(!h.is_open(c.to_kst(base)));
  CAF_CHECK(h.is_open(c.to_kst(base + 1s)));
  CAF_CHECK(h.is_open(c.to_kst(base + 6h + 30min)));       // 15:29:59
  CAF_CHECK(!h.is_open(c.to_kst(base + 6h + 30min + 1s))); // 15:30:00
  CAF_CHECK(!h.is_open(c.to_kst(base + 5 * 24h + 1h)));    // Saturday
  h.weekdays_only = false;
  CAF_CHECK(h.is_open(c.to_kst(base + 5 * 24h + 1h)));
  h.open_minute = 8 * 60;
  CAF_CHECK(h.is_open(c.to_kst(base)));
}

CAF_TEST(an actor without an anchor starts on a Monday at 09 : 00 KST) {
  mono_time spawn{42s};
  auto c = kst_clock::unanchored(spawn);
  auto t = c.to_kst(spawn);
  CAF_CHECK_EQUAL(kst_clock::yyyymmdd(t.day), 20000103);
  CAF_CHECK_EQUAL(t.weekday, 1);
  CAF_CHECK_EQUAL(t.second, 9 * 3600);
  // The regular session is open, and the next 07:20 is the next morning.
  CAF_CHECK(market_hours{}.is_open(t));
  CAF_CHECK_EQUAL(c.next_at(spawn, 7, 20) - spawn, mono_time{22h + 20min});
}

namespace {

struct clock_fixture : test_coordinator_fixture<> {};

} // namespace

CAF_TEST_FIXTURE_SCOPE(actor_clock_tests, clock_fixture)

CAF_TEST(now_of reads the actor clock that advance_time moves) {
  auto t0 = now_of(sched.clock());
  mono_time seen{-1};
  // With an argument: CAF 0.17.6 binds a null reference when a function
  // actor has none (UBSan reports it).
  auto a = sys.spawn(
      [](caf::event_based_actor* ptr, mono_time* out) -> caf::behavior {
        return {[ptr, out](caf::get_atom) { *out = now_of(ptr); }};
      },
      &seen);
  sched.advance_time(90s);
  CAF_CHECK_EQUAL(now_of(sched.clock()) - t0, mono_time{90s});
  self->send(a, caf::get_atom_v);
  run();
  CAF_CHECK_EQUAL(seen, t0 + mono_time{90s});
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  run();
}

CAF_TEST_FIXTURE_SCOPE_END()
