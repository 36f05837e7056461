// SPDX-License-Identifier: Apache-2.0
// The typed records beyond the core TRs (NXT and combined books, index,
// index futures and options, ETF NAV), checked against frames built from
// their layouts by field name.
#define CAF_SUITE net.records_typed
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "net/kis/decoder.hpp"
#include "net/kis/records.hpp"
#include "net/kis/records_derivatives.hpp"
#include "net/kis/records_indices.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt;
using namespace kisrt::kis;

namespace {

// Decodes every record of `msg` into a T; the first error stops.
template <class T>
codec_error all(const std::string& msg, std::vector<T>& out,
                std::size_t* extra = nullptr) {
  frame_decoder dec;
  out.clear();
  if (auto err = dec.decode(msg))
    return err;
  for (std::size_t i = 0; i < dec.records().size(); ++i) {
    T x;
    if (auto err = decode(dec.records()[i], x))
      return err;
    if (extra)
      *extra = dec.records()[i].extra_count();
    out.push_back(std::move(x));
  }
  return {};
}

template <class T>
codec_error one(std::string_view tr_id, const std::vector<std::string>& f,
                T& out) {
  std::vector<T> xs;
  auto err = all(test::layout_frame(tr_id, {f}), xs);
  if (!err && xs.size() == 1)
    out = xs[0];
  return err;
}

fixed4 fx(std::int64_t hundredths) {
  return fixed4{hundredths * 100};
}

std::string sym(int i) {
  return std::to_string(1000000 + i + 1).substr(1);
}

} // namespace

CAF_TEST(layout records are built by name) {
  auto f = test::layout_record("H0UPCNT0", {{"PRPR_NMIX", "1.00"}});
  CAF_REQUIRE_EQUAL(f.size(), find_layout("H0UPCNT0")->width);
  CAF_CHECK_EQUAL(f[2], "1.00");
  // An unknown name or TR gives no record, so a typo cannot pass silently.
  CAF_CHECK(test::layout_record("H0UPCNT0", {{"NO_SUCH", "1"}}).empty());
  CAF_CHECK(test::layout_record("H0XXXXX0", {}).empty());
}

CAF_TEST(NXT and combined books carry the mid point fields) {
  for (auto tr : {"H0NXASP0", "H0UNASP0"}) {
    CAF_MESSAGE(tr);
    auto f = test::book_fields(tr, "005930", 0);
    CAF_REQUIRE_EQUAL(f.size(), 65u);
    order_book b;
    auto err = one(tr, f, b);
    CAF_REQUIRE_EQUAL(err.to_string(), "none:");
    CAF_CHECK_EQUAL(b.symbol, "005930");
    CAF_CHECK(b.time == (hms{9, 30, 1}));
    CAF_CHECK_EQUAL(b.asks[0].price, 71100);
    CAF_CHECK_EQUAL(b.asks[9].price, 72000);
    CAF_CHECK_EQUAL(b.bids[0].price, 71000);
    CAF_CHECK_EQUAL(b.bids[9].price, 70100);
    CAF_CHECK_EQUAL(b.asks[4].qty, 105);
    CAF_CHECK_EQUAL(b.bids[4].qty, 205);
    CAF_CHECK_EQUAL(b.total_ask_qty, 14500);
    CAF_CHECK_EQUAL(b.total_bid_qty, 24500);
    CAF_CHECK_EQUAL(b.expected_price, 71000);
    CAF_CHECK_EQUAL(b.expected_qty, 77);
    CAF_CHECK_EQUAL(b.cum_volume, 999999);
    CAF_CHECK(b.krx_mid == (book_mid{71050, 300, "1"}));
    CAF_CHECK(b.nxt_mid == (book_mid{71050, 40, "2"}));
  }
}

CAF_TEST(a KRX book wider than its layout has no mids) {
  // KIS has sent H0STASP0 with 62 fields: what sits at 59..61 there is not
  // the NXT mid-point block.
  auto f = test::book_fields("H0STASP0", "005930", 0);
  CAF_REQUIRE_EQUAL(f.size(), 59u);
  for (auto v : {"71050", "300", "1", "71050", "40", "2"})
    f.push_back(v);
  order_book b;
  b.krx_mid.price = 1; // stale values from an earlier record are cleared
  CAF_REQUIRE_EQUAL(one("H0STASP0", f, b).to_string(), "none:");
  CAF_CHECK_EQUAL(b.asks[0].price, 71100);
  CAF_CHECK(b.krx_mid == book_mid{});
  CAF_CHECK(b.nxt_mid == book_mid{});
}

CAF_TEST(index ticks keep two decimals exactly) {
  index_trade t;
  auto err = one("H0UPCNT0", test::index_fields("0001", 0), t);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(t.code, "0001");
  CAF_CHECK(t.time == (hms{10, 0, 0}));
  CAF_CHECK(t.level == fx(265035));
  CAF_CHECK_EQUAL(t.sign, 5);
  CAF_CHECK(t.change == fx(-1250));
  CAF_CHECK(t.change_rate == fx(-47));
  CAF_CHECK(t.open == fx(266010));
  CAF_CHECK(t.high == fx(267100));
  CAF_CHECK(t.low == fx(264005));
  CAF_CHECK_EQUAL(t.volume, 120);
  CAF_CHECK_EQUAL(t.value, 3400);
  CAF_CHECK_EQUAL(t.cum_volume, 312345);
  CAF_CHECK_EQUAL(t.cum_value, 8765432);
  CAF_CHECK_EQUAL(t.upper_limit_count, 3);
  CAF_CHECK_EQUAL(t.up_count, 310);
  CAF_CHECK_EQUAL(t.flat_count, 80);
  CAF_CHECK_EQUAL(t.down_count, 520);
  CAF_CHECK_EQUAL(t.lower_limit_count, 1);
}

CAF_TEST(futures trades keep prices basis and open interest) {
  futures_trade t;
  auto err = one("H0IFCNT0", test::futures_fields("101W09", 0), t);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(t.symbol, "101W09");
  CAF_CHECK(t.time == (hms{10, 15, 2}));
  CAF_CHECK(t.price == fx(36735));
  CAF_CHECK_EQUAL(t.sign, 2);
  CAF_CHECK(t.change == fx(75));
  CAF_CHECK(t.change_rate == fx(20));
  CAF_CHECK(t.open == fx(36710));
  CAF_CHECK(t.high == fx(36760));
  CAF_CHECK(t.low == fx(36705));
  CAF_CHECK_EQUAL(t.volume, 2);
  CAF_CHECK_EQUAL(t.cum_volume, 1596);
  CAF_CHECK_EQUAL(t.cum_value, 146552687);
  CAF_CHECK(t.theoretical == fx(36608));
  CAF_CHECK(t.market_basis == fx(122));
  CAF_CHECK(t.theoretical_basis == fx(49));
  CAF_CHECK(t.disparity == fx(33));
  CAF_CHECK_EQUAL(t.open_interest, 268223);
  CAF_CHECK_EQUAL(t.open_interest_change, -15);
  CAF_CHECK(t.ask1 == fx(36740));
  CAF_CHECK(t.bid1 == fx(36735));
  CAF_CHECK_EQUAL(t.ask1_qty, 24);
  CAF_CHECK_EQUAL(t.bid1_qty, 21);
  CAF_CHECK_EQUAL(t.total_ask_qty, 813);
  CAF_CHECK_EQUAL(t.total_bid_qty, 783);
  CAF_CHECK(t.upper_limit == fx(37470));
  CAF_CHECK(t.lower_limit == fx(36000));
}

CAF_TEST(option trades keep greeks beyond four decimals) {
  option_trade t;
  auto err = one("H0IOCNT0", test::option_fields("201W09340", 0), t);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(t.symbol, "201W09340");
  CAF_CHECK(t.time == (hms{10, 15, 3}));
  CAF_CHECK(t.price == fx(245));
  CAF_CHECK_EQUAL(t.sign, 5);
  CAF_CHECK(t.change == fx(-12));
  CAF_CHECK(t.change_rate == fx(-467));
  CAF_CHECK(t.high == fx(271));
  CAF_CHECK_EQUAL(t.volume, 10);
  CAF_CHECK_EQUAL(t.cum_volume, 45210);
  CAF_CHECK(t.theoretical == fx(248));
  CAF_CHECK_EQUAL(t.open_interest, 61234);
  CAF_CHECK_EQUAL(t.open_interest_change, 120);
  CAF_CHECK(t.intrinsic_value == fixed4{});
  CAF_CHECK(t.time_value == fx(245));
  CAF_CHECK_EQUAL(t.delta, 0.41234);
  CAF_CHECK_EQUAL(t.gamma, 0.00912);
  CAF_CHECK_EQUAL(t.vega, 0.5521);
  CAF_CHECK_EQUAL(t.theta, -0.1834);
  CAF_CHECK_EQUAL(t.rho, 0.0312);
  CAF_CHECK_EQUAL(t.implied_vol, 17.85);
  CAF_CHECK(t.ask1 == fx(246));
  CAF_CHECK(t.bid1 == fx(245));
  CAF_CHECK_EQUAL(t.ask1_qty, 310);
  CAF_CHECK_EQUAL(t.bid1_qty, 275);
  CAF_CHECK_EQUAL(t.total_ask_qty, 9100);
  CAF_CHECK_EQUAL(t.total_bid_qty, 8800);
  CAF_CHECK(t.upper_limit == fx(320));
  CAF_CHECK(t.lower_limit == fx(180));
}

CAF_TEST(futures and options books have five levels with order counts) {
  for (auto tr : {"H0IFASP0", "H0IOASP0"}) {
    CAF_MESSAGE(tr);
    derivative_book b;
    auto err = one(tr, test::derivative_book_fields(tr, "101W09", 0), b);
    CAF_REQUIRE_EQUAL(err.to_string(), "none:");
    CAF_CHECK_EQUAL(b.symbol, "101W09");
    CAF_CHECK(b.time == (hms{10, 15, 4}));
    CAF_CHECK(b.asks[0] == (derivative_level{fx(36740), 21, 1}));
    CAF_CHECK(b.asks[4] == (derivative_level{fx(36760), 25, 5}));
    CAF_CHECK(b.bids[0] == (derivative_level{fx(36735), 31, 11}));
    CAF_CHECK(b.bids[4] == (derivative_level{fx(36715), 35, 15}));
    CAF_CHECK_EQUAL(b.total_ask_count, 187);
    CAF_CHECK_EQUAL(b.total_bid_count, 241);
    CAF_CHECK_EQUAL(b.total_ask_qty, 813);
    CAF_CHECK_EQUAL(b.total_bid_qty, 783);
    CAF_CHECK_EQUAL(b.total_ask_qty_change, -4);
    CAF_CHECK_EQUAL(b.total_bid_qty_change, 6);
  }
}

CAF_TEST(ETF NAV skips the leading response fields) {
  etf_nav n;
  auto err = one("H0STNAV0", test::nav_fields("069500", 0), n);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(n.symbol, "069500");
  CAF_CHECK(n.nav == fx(3512345));
  CAF_CHECK_EQUAL(n.sign, 2);
  CAF_CHECK(n.change == fx(10120));
  CAF_CHECK(n.change_rate == fx(29));
  CAF_CHECK(n.open == fx(3505000));
  CAF_CHECK(n.high == fx(3520015));
  CAF_CHECK(n.low == fx(3499080));
}

namespace {

// A frame of five records of `tr_id` (each with `extra` trailing fields)
// decodes to five records whose key and price follow the record index.
template <class T, class Key, class Price, class Make>
void check_batch(std::string_view tr_id, Make make, Key key, Price price,
                 std::vector<std::int64_t> prices, int extra) {
  std::vector<std::vector<std::string>> records;
  for (int i = 0; i < 5; ++i)
    records.push_back(make(sym(i), i));
  std::vector<T> out;
  std::size_t extra_seen = 0;
  auto err = all(test::layout_frame(tr_id, records, extra), out, &extra_seen);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_REQUIRE_EQUAL(out.size(), 5u);
  CAF_CHECK_EQUAL(extra_seen, static_cast<std::size_t>(extra));
  for (std::size_t i = 0; i < out.size(); ++i) {
    CAF_CHECK_EQUAL(key(out[i]), sym(static_cast<int>(i)));
    CAF_CHECK_EQUAL(price(out[i]), prices[i]);
  }
}

} // namespace

CAF_TEST(batches and extra fields decode every record) {
  for (int extra : {0, 3}) {
    CAF_MESSAGE("extra fields: " << extra);
    for (auto tr : {"H0NXASP0", "H0UNASP0"})
      check_batch<order_book>(
          tr,
          [tr](const std::string& s, int i) {
            return test::book_fields(tr, s, i);
          },
          [](const order_book& b) { return b.symbol; },
          [](const order_book& b) { return b.bids[0].price + b.nxt_mid.price; },
          {142050, 142250, 142450, 142650, 142850}, extra);
    check_batch<index_trade>(
        "H0UPCNT0", test::index_fields,
        [](const index_trade& t) { return t.code; },
        [](const index_trade& t) { return t.level.raw; },
        {26503500, 26513500, 26523500, 26533500, 26543500}, extra);
    check_batch<futures_trade>(
        "H0IFCNT0", test::futures_fields,
        [](const futures_trade& t) { return t.symbol; },
        [](const futures_trade& t) { return t.price.raw + t.volume; },
        {3673502, 3673603, 3673704, 3673805, 3673906}, extra);
    check_batch<option_trade>(
        "H0IOCNT0", test::option_fields,
        [](const option_trade& t) { return t.symbol; },
        [](const option_trade& t) { return t.price.raw + t.volume; },
        {24510, 24611, 24712, 24813, 24914}, extra);
    for (auto tr : {"H0IFASP0", "H0IOASP0"})
      check_batch<derivative_book>(
          tr,
          [tr](const std::string& s, int i) {
            return test::derivative_book_fields(tr, s, i);
          },
          [](const derivative_book& b) { return b.symbol; },
          [](const derivative_book& b) { return b.bids[0].price.raw; },
          {3673500, 3674000, 3674500, 3675000, 3675500}, extra);
    check_batch<etf_nav>(
        "H0STNAV0", test::nav_fields, [](const etf_nav& n) { return n.symbol; },
        [](const etf_nav& n) { return n.nav.raw; },
        {351234500, 351244500, 351254500, 351264500, 351274500}, extra);
  }
}

CAF_TEST(a bad or missing required field names itself) {
  // The record with field `name` set to `value`, and that field's index.
  auto expect_field = [](std::vector<std::string> f, std::string_view tr,
                         std::string_view name, std::string value) {
    auto i = find_layout(tr)->index_of(name);
    CAF_REQUIRE(i >= 0);
    f[static_cast<std::size_t>(i)] = std::move(value);
    return std::make_pair(f, i);
  };
  {
    auto [f, i] = expect_field(test::futures_fields("101W09", 0), "H0IFCNT0",
                               "FUTS_PRPR", "");
    futures_trade t;
    auto err = one("H0IFCNT0", f, t);
    CAF_CHECK(err.code == errc::bad_field);
    CAF_CHECK_EQUAL(err.field, i);
    CAF_CHECK(err.detail.find("FUTS_PRPR") != std::string::npos);
  }
  {
    auto [f, i] = expect_field(test::option_fields("201W09340", 0), "H0IOCNT0",
                               "DELTA", "0.4x");
    option_trade t;
    auto err = one("H0IOCNT0", f, t);
    CAF_CHECK_EQUAL(err.field, i);
    CAF_CHECK(err.detail.find("DELTA") != std::string::npos);
  }
  {
    auto [f, i] = expect_field(test::index_fields("0001", 0), "H0UPCNT0",
                               "PRPR_NMIX", "26o0.35");
    index_trade t;
    auto err = one("H0UPCNT0", f, t);
    CAF_CHECK_EQUAL(err.field, i);
    CAF_CHECK(err.detail.find("PRPR_NMIX") != std::string::npos);
  }
  {
    auto [f, i] = expect_field(test::nav_fields("069500", 0), "H0STNAV0",
                               "MKSC_SHRN_ISCD", "");
    etf_nav n;
    auto err = one("H0STNAV0", f, n);
    CAF_CHECK_EQUAL(err.field, i);
  }
  {
    auto [f, i] =
        expect_field(test::derivative_book_fields("H0IOASP0", "201W09340", 0),
                     "H0IOASP0", "BSOP_HOUR", "1015");
    derivative_book b;
    CAF_CHECK_EQUAL(one("H0IOASP0", f, b).field, i);
  }
  {
    // from_chars would read these; no KIS field means them.
    for (auto bad : {"nan", "inf", "-inf"}) {
      auto [f, i] = expect_field(test::option_fields("201W09340", 0),
                                 "H0IOCNT0", "VEGA", bad);
      option_trade t;
      CAF_CHECK_EQUAL(one("H0IOCNT0", f, t).field, i);
    }
  }
  // Optional numbers may be empty (then zero); a greek too.
  auto f = test::option_fields("201W09340", 0);
  f[static_cast<std::size_t>(find_layout("H0IOCNT0")->index_of("GAMA"))] = "";
  option_trade t;
  t.gamma = 1;
  CAF_REQUIRE(!one("H0IOCNT0", f, t));
  CAF_CHECK_EQUAL(t.gamma, 0.0);
}
