// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE actors.trading_calendar
#include <caf/test/unit_test.hpp>

#include "actors/slot_model.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/type_ids.hpp"
#include "tests/actors/slot_model_fixture.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

// KST `h:m` on YYYYMMDD `date`.
kst_time at(std::int32_t date, int h, int m) {
  kst_time t;
  t.day =
      kst_clock::days_from_civil(date / 10000, date / 100 % 100, date % 100);
  t.second = h * 3600 + m * 60;
  t.weekday = weekday_of(date);
  return t;
}

} // namespace

CAF_TEST(the market of a key comes from its TR) {
  CAF_CHECK(market_of("H0STCNT0") == tr_market::krx);
  CAF_CHECK(market_of("H0STASP0") == tr_market::krx);
  CAF_CHECK(market_of("H0IFCNT0") == tr_market::krx); // day derivatives
  CAF_CHECK(market_of("H0NXCNT0") == tr_market::nxt);
  CAF_CHECK(market_of("H0UNCNT0") == tr_market::combined);
  CAF_CHECK(market_of("HDFSCNT0") == tr_market::unchecked);
  CAF_CHECK(market_of("H0GSCNI0") == tr_market::unchecked);
  CAF_CHECK(market_of("H0MFCNT0") == tr_market::unchecked); // night
}

CAF_TEST(windows parse as HH : MM - HH : MM or off) {
  auto w = parse_window("08:00-08:50");
  CAF_REQUIRE(w);
  CAF_CHECK_EQUAL(w->open_minute, 480);
  CAF_CHECK_EQUAL(w->close_minute, 530);
  CAF_CHECK(w->contains(480) && w->contains(529) && !w->contains(530));
  CAF_CHECK(parse_window("off")->empty());
  CAF_CHECK(!parse_window("09:00-09:00"));
  CAF_CHECK(!parse_window("15:30-09:00"));
  CAF_CHECK(!parse_window("9:00-15:30"));
  CAF_CHECK(!parse_window("09:00"));
  CAF_CHECK(!parse_window("25:00-26:00"));
}

CAF_TEST(dates parse with or without dashes and must exist) {
  CAF_CHECK_EQUAL(parse_date("2025-11-13").value_or(0), 20251113);
  CAF_CHECK_EQUAL(parse_date("20251225").value_or(0), 20251225);
  CAF_CHECK(!parse_date("2025-02-30"));
  CAF_CHECK(!parse_date("2025-13-01"));
  CAF_CHECK(!parse_date("2025/11/13"));
  CAF_CHECK(!parse_date("2025111"));
  CAF_CHECK_EQUAL(weekday_of(20250106), 1); // Monday
  CAF_CHECK_EQUAL(weekday_of(20251225), 4); // Thursday
}

CAF_TEST(overrides win over KIS and KIS over the weekday rule) {
  trading_calendar c;
  // Monday, Saturday: the weekday rule.
  CAF_CHECK(c.is_trading_day(20250106, 1));
  CAF_CHECK(!c.is_trading_day(20250111, 6));
  // KIS: Christmas (a Thursday) is closed.
  c.merge({{20251225, false}, {20251226, true}});
  CAF_CHECK(!c.is_trading_day(20251225, 4));
  CAF_CHECK(c.is_trading_day(20251226, 5));
  CAF_CHECK_EQUAL(c.kis_day(20251225).value_or(true), false);
  // A configured holiday beats KIS's "open"; a special session beats
  // KIS's "closed".
  c.holidays.insert(20251226);
  c.sessions[20251225] = time_window{10 * 60, 16 * 60 + 30};
  CAF_CHECK(!c.is_trading_day(20251226, 5));
  CAF_CHECK(c.is_trading_day(20251225, 4));
  // Every day in the simulator's week.
  trading_calendar every;
  every.weekdays_only = false;
  CAF_CHECK(every.is_trading_day(20250111, 6));
}

CAF_TEST(KIS answers are bounded) {
  trading_calendar c;
  std::vector<calendar_day> days;
  for (int i = 0; i < 500; ++i)
    days.push_back({kst_clock::yyyymmdd(20000 + i), true});
  c.merge(days);
  CAF_CHECK(!c.kis_day(kst_clock::yyyymmdd(20000)));
  CAF_CHECK(c.kis_day(kst_clock::yyyymmdd(20499)));
  // Nonsense dates are dropped.
  c.merge({{0, true}, {-5, false}});
  CAF_CHECK(!c.kis_day(0));
}

CAF_TEST(markets are in session inside their own hours) {
  trading_calendar c;
  trading_hours h;
  // Monday 2025-01-06.
  auto open = c.open_at(at(20250106, 8, 10), h);
  CAF_CHECK(!open.krx && open.nxt); // NXT pre-market
  open = c.open_at(at(20250106, 10, 0), h);
  CAF_CHECK(open.krx && open.nxt);
  open = c.open_at(at(20250106, 15, 25), h);
  CAF_CHECK(open.krx && !open.nxt); // NXT's break 15:20-15:30
  open = c.open_at(at(20250106, 19, 0), h);
  CAF_CHECK(!open.krx && open.nxt); // NXT after-market
  open = c.open_at(at(20250106, 20, 0), h);
  CAF_CHECK(!open.any());
  CAF_CHECK(open.covers({"H0STCNT0", "005930"}) == false);
  open = c.open_at(at(20250106, 19, 0), h);
  CAF_CHECK(open.covers({"H0NXCNT0", "005930"}));
  CAF_CHECK(!open.covers({"H0STCNT0", "005930"}));
  CAF_CHECK(open.covers({"H0UNCNT0", "005930"}));
  CAF_CHECK(!open.covers({"HDFSCNT0", "DNASAAPL"}));
  // KRX's after-hours when configured.
  h.krx_after = *parse_window("15:40-18:00");
  CAF_CHECK(c.open_at(at(20250106, 16, 0), h).krx);
  // A holiday: nothing is in session.
  c.holidays.insert(20250106);
  CAF_CHECK(!c.open_at(at(20250106, 10, 0), h).any());
  // The exam day opens an hour late, for both markets' main sessions.
  c.sessions[20251113] = *parse_window("10:00-16:30");
  CAF_CHECK(!c.open_at(at(20251113, 9, 30), h).krx);
  CAF_CHECK(c.open_at(at(20251113, 16, 0), h).krx);
  CAF_CHECK(c.open_at(at(20251113, 8, 10), h).nxt); // pre-market unchanged
}

CAF_TEST(staleness counts only inside the hours of the market of a key) {
  auto cfg = slot_config::with_sessions(1);
  cfg.holding_trs = {"H0NXCNT0", "H0STCNT0"};
  cfg.stale_after = 90s;
  model_fixture f{cfg};
  f.up(0);
  f.holdings({"005930"});
  f.settle();
  f.clear();
  f.advance(2min);
  // 19:00: NXT's after-market, KRX closed.
  open_markets nxt_only;
  nxt_only.nxt = true;
  f.m.tick(f.now, nxt_only, f.out);
  auto stale = f.events_of<slot_stale>();
  CAF_REQUIRE_EQUAL(stale.size(), 1u);
  CAF_CHECK_EQUAL(stale[0].key, (slot_key{"H0NXCNT0", "005930"}));
  f.clear();
  // Nothing in session (a holiday): nothing is stale.
  model_fixture g{cfg};
  g.up(0);
  g.holdings({"005930"});
  g.settle();
  g.clear();
  g.advance(1h);
  g.m.tick(g.now, open_markets{}, g.out);
  CAF_CHECK(g.events_of<slot_stale>().empty());
  CAF_CHECK(g.take_commands().empty());
}
