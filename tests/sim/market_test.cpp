// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.market
#include <caf/test/unit_test.hpp>

#include <set>

#include "net/kis/decoder.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/records.hpp"
#include "sim/market.hpp"

using namespace kisrt::sim;
namespace kis = kisrt::kis;

CAF_TEST(tick sizes follow the KRX grid) {
  CAF_CHECK_EQUAL(tick_size(1999), 1);
  CAF_CHECK_EQUAL(tick_size(2000), 5);
  CAF_CHECK_EQUAL(tick_size(19990), 10);
  CAF_CHECK_EQUAL(tick_size(20000), 50);
  CAF_CHECK_EQUAL(tick_size(71000), 100);
  CAF_CHECK_EQUAL(tick_size(200000), 500);
  CAF_CHECK_EQUAL(tick_size(500000), 1000);
  CAF_CHECK_EQUAL(floor_tick(71050), 71000);
  CAF_CHECK_EQUAL(ceil_tick(71050), 71100);
}

CAF_TEST(at least 2000 named codes with real names for the best known) {
  market m{7, 20250102, 10 * 3600};
  CAF_CHECK_GREATER_OR_EQUAL(m.size(), 2000u);
  std::set<std::string> codes, names;
  for (const auto& s : m.stocks()) {
    CAF_CHECK_EQUAL(s.code.size(), 6u);
    CAF_CHECK(!s.name.empty());
    codes.insert(s.code);
    names.insert(s.name);
    // Limits within +-30% and prices on the grid within them.
    CAF_CHECK(s.upper <= s.prev_close * 13 / 10);
    CAF_CHECK(s.lower * 10 >= s.prev_close * 7);
    CAF_CHECK(s.lower <= s.last && s.last <= s.upper);
    CAF_CHECK_EQUAL(s.last % tick_size(s.last), 0);
  }
  CAF_CHECK_EQUAL(codes.size(), m.size());
  CAF_CHECK_EQUAL(names.size(), m.size());
  CAF_REQUIRE(m.find("005930") != nullptr);
  CAF_CHECK_EQUAL(m.find("005930")->name, "삼성전자");
  CAF_CHECK_EQUAL(m.find("000660")->name, "SK하이닉스");
  CAF_CHECK_EQUAL(m.find("035420")->name, "NAVER");
  CAF_CHECK(m.find_us("AAPL") != nullptr);
}

CAF_TEST(the seed makes the market deterministic) {
  market a{9, 20250102, 10 * 3600}, b{9, 20250102, 10 * 3600},
      c{10, 20250102, 10 * 3600};
  std::string pa, pb;
  for (int i = 0; i < 100; ++i) {
    a.trade(*a.find("005930"), 36000 + i);
    b.trade(*b.find("005930"), 36000 + i);
  }
  a.append_trade(*a.find("005930"), 36100, pa);
  b.append_trade(*b.find("005930"), 36100, pb);
  CAF_CHECK_EQUAL(pa, pb);
  CAF_CHECK_NOT_EQUAL(a.find("005930")->prev_close,
                      c.find("005930")->prev_close);
}

CAF_TEST(every feed record decodes and is consistent) {
  market m{3, 20250102, 8 * 3600 + 50 * 60};
  auto& s = *m.find("000660");
  std::string p;
  m.expect(s, 8 * 3600 + 55 * 60);
  m.append_expected(s, 8 * 3600 + 55 * 60, p);
  kis::frame_decoder dec;
  std::string frame = kis::encode_frame("H0STANC0", 1, p);
  CAF_REQUIRE(!dec.decode(frame));
  kis::expected_trade x;
  CAF_REQUIRE(!kis::decode(dec.records()[0], x));
  CAF_CHECK_EQUAL(x.price, s.exp_price);
  // The open happens at the expected price.
  m.trade(s, 9 * 3600);
  CAF_CHECK_EQUAL(s.open, x.price);
  std::int64_t cum = s.cum_vol, value = s.cum_value;
  for (int i = 0; i < 500; ++i) {
    m.trade(s, 9 * 3600 + i);
    p.clear();
    m.append_trade(s, 9 * 3600 + i, p);
    CAF_REQUIRE(!dec.decode(frame = kis::encode_frame("H0STCNT0", 1, p)));
    kis::trade t;
    CAF_REQUIRE(!kis::decode(dec.records()[0], t));
    cum += t.volume;
    value += t.volume * t.price;
    CAF_CHECK_EQUAL(t.cum_volume, cum);
    CAF_CHECK_EQUAL(t.cum_value, value);
    CAF_CHECK_EQUAL(t.change, t.price - s.prev_close);
    CAF_CHECK(t.low <= t.price && t.price <= t.high);
    CAF_CHECK_EQUAL(t.price % tick_size(t.price), 0);
    auto sign = t.change > 0 ? 2 : t.change < 0 ? 5 : 3;
    if (t.price == s.upper)
      sign = 1;
    if (t.price == s.lower)
      sign = 4;
    CAF_CHECK_EQUAL(t.sign, sign);
    p.clear();
    m.append_book(s, 9 * 3600 + i, p);
    CAF_REQUIRE(!dec.decode(frame = kis::encode_frame("H0STASP0", 1, p)));
    kis::order_book b;
    CAF_REQUIRE(!kis::decode(dec.records()[0], b));
    if (b.asks[0].price != 0 && b.bids[0].price != 0) {
      CAF_CHECK(b.bids[0].price <= t.price && t.price <= b.asks[0].price);
    }
    std::int64_t ta = 0;
    for (auto& l : b.asks)
      ta += l.qty;
    CAF_CHECK_EQUAL(ta, b.total_ask_qty);
  }
  p.clear();
  m.program(s);
  m.append_program(s, 9 * 3600 + 600, p);
  CAF_REQUIRE(!dec.decode(frame = kis::encode_frame("H0STPGM0", 1, p)));
  kis::program_trade pg;
  CAF_REQUIRE(!kis::decode(dec.records()[0], pg));
  CAF_CHECK_EQUAL(pg.net_qty, pg.buy_qty - pg.sell_qty);
  p.clear();
  auto& u = *m.find_us("AAPL");
  m.us_trade(u);
  m.append_us_trade(u, "DNASAAPL", 23 * 3600 + 40 * 60, p);
  CAF_REQUIRE(!dec.decode(frame = kis::encode_frame("HDFSCNT0", 1, p)));
  kis::overseas_trade ot;
  CAF_REQUIRE(!kis::decode(dec.records()[0], ot));
  CAF_CHECK_EQUAL(ot.symbol, "AAPL");
  CAF_CHECK_EQUAL(ot.rsym, "DNASAAPL");
  CAF_CHECK_EQUAL(ot.last.raw, u.last);
}
