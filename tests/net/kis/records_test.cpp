// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.records
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "net/kis/decoder.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/records.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt;
using namespace kisrt::kis;

namespace {

// Decodes a single-record plain frame of `tr_id` into T.
template <class T, class... Ts>
codec_error one(const std::string& tr_id, const std::vector<std::string>& f,
                T& out, Ts... xs) {
  std::string payload;
  append_record(payload, f);
  // The decoder's views point into the message: keep it alive.
  auto msg = encode_frame(tr_id, 1, payload);
  frame_decoder dec;
  if (auto err = dec.decode(msg))
    return err;
  return decode(dec.records()[0], out, xs...);
}

std::vector<std::string> numbered(std::size_t n, const char* prefix = "") {
  std::vector<std::string> f;
  for (std::size_t i = 0; i < n; ++i)
    f.push_back(prefix + std::to_string(i));
  return f;
}

} // namespace

CAF_TEST(trades of KRX NXT and combined share a layout) {
  for (auto tr : {"H0STCNT0", "H0UNCNT0", "H0NXCNT0"}) {
    trade t;
    auto err = one(tr, test::trade_fields("005930", 3), t);
    CAF_REQUIRE_EQUAL(err.to_string(), "none:");
    CAF_CHECK_EQUAL(t.symbol, "005930");
    CAF_CHECK(t.time == (hms{9, 30, 1}));
    CAF_CHECK_EQUAL(t.price, 71300);
    CAF_CHECK_EQUAL(t.sign, 2);
    CAF_CHECK_EQUAL(t.change, 500);
    CAF_CHECK_EQUAL(t.change_rate.raw, 7100);
    CAF_CHECK_EQUAL(t.high, 71500);
    CAF_CHECK_EQUAL(t.volume, 13);
    CAF_CHECK_EQUAL(t.cum_volume, 1234567);
    CAF_CHECK_EQUAL(t.cum_value, 87654321000);
    CAF_CHECK(t.cls == trade_class::buy);
    CAF_CHECK_EQUAL(t.date, 20250102);
    CAF_CHECK(!t.halted);
  }
}

CAF_TEST(a bad typed field names its index and name) {
  auto f = test::trade_fields("005930", 0);
  f[2] = "71k00";
  trade t;
  auto err = one("H0STCNT0", f, t);
  CAF_CHECK(err.code == errc::bad_field);
  CAF_CHECK_EQUAL(err.field, 2);
  CAF_CHECK(err.detail.find("STCK_PRPR") != std::string::npos);
  f = test::trade_fields("005930", 0);
  f[1] = "99";
  CAF_CHECK_EQUAL(one("H0STCNT0", f, t).field, 1);
  // An undocumented sign digit is kept; a non-digit is an error.
  f = test::trade_fields("005930", 0);
  f[3] = "0";
  CAF_CHECK(!one("H0STCNT0", f, t));
  CAF_CHECK_EQUAL(t.sign, 0);
  f[3] = "+";
  CAF_CHECK_EQUAL(one("H0STCNT0", f, t).field, 3);
  // Empty optional numbers are zero, not errors.
  f = test::trade_fields("005930", 0);
  f[14] = "";
  CAF_CHECK(!one("H0STCNT0", f, t));
  CAF_CHECK_EQUAL(t.cum_value, 0);
}

CAF_TEST(order book has ten levels each side) {
  std::vector<std::string> f = {"000660", "100000", "0"};
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(120100 + i * 100)); // asks
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(120000 - i * 100)); // bids
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(10 + i)); // ask qty
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(20 + i)); // bid qty
  f.push_back("145");                    // 43 total ask
  f.push_back("245");                    // 44 total bid
  f.push_back("0");
  f.push_back("0");
  f.push_back("120000"); // 47 expected price
  f.push_back("77");     // 48 expected qty
  for (int i = 49; i < 53; ++i)
    f.push_back("0");
  f.push_back("999999");        // 53 cum volume
  for (int i = 54; i < 62; ++i) // 62 fields: KIS sends more than documented
    f.push_back("0");
  order_book b;
  auto err = one("H0STASP0", f, b);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(b.symbol, "000660");
  CAF_CHECK_EQUAL(b.asks[0].price, 120100);
  CAF_CHECK_EQUAL(b.asks[9].price, 121000);
  CAF_CHECK_EQUAL(b.bids[0].price, 120000);
  CAF_CHECK_EQUAL(b.bids[9].price, 119100);
  CAF_CHECK_EQUAL(b.asks[3].qty, 13);
  CAF_CHECK_EQUAL(b.bids[3].qty, 23);
  CAF_CHECK_EQUAL(b.total_ask_qty, 145);
  CAF_CHECK_EQUAL(b.total_bid_qty, 245);
  CAF_CHECK_EQUAL(b.expected_price, 120000);
  CAF_CHECK_EQUAL(b.expected_qty, 77);
  CAF_CHECK_EQUAL(b.cum_volume, 999999);
}

namespace {

std::vector<std::string> notice(const char* side, const char* cntg,
                                const char* rfus) {
  return {"TESTID",
          "1234567801",
          "0000012345",
          "",
          side,
          "0",
          "00",
          "0",
          "005930",
          "10",
          "71000",
          "093001",
          rfus,
          cntg,
          "2",
          "06010",
          "30",
          "HONG",
          "",
          "1",
          "Y",
          "",
          "",
          "",
          "\xec\x82\xbc\xec\x84\xb1",
          "70500"};
}

} // namespace

CAF_TEST(execution notice fill vs acknowledgement) {
  exec_notice n;
  CAF_REQUIRE(!one("H0STCNI0", notice("02", "2", "0"), n));
  CAF_CHECK(n.kind == notice_kind::fill);
  CAF_CHECK(n.order_side == side::buy);
  CAF_CHECK_EQUAL(n.fill_qty, 10);
  CAF_CHECK_EQUAL(n.fill_price, 71000);
  CAF_CHECK_EQUAL(n.order_qty, 30);
  CAF_CHECK_EQUAL(n.order_price, 70500);
  CAF_CHECK_EQUAL(n.exchange, 1);
  CAF_CHECK(!n.rejected);
  // An acknowledgement carries order quantity and price at 9 and 10.
  CAF_REQUIRE(!one("H0STCNI0", notice("01", "1", "0"), n));
  CAF_CHECK(n.kind == notice_kind::ack);
  CAF_CHECK(n.order_side == side::sell);
  CAF_CHECK_EQUAL(n.fill_qty, 0);
  CAF_CHECK_EQUAL(n.fill_price, 0);
  CAF_CHECK_EQUAL(n.order_qty, 10);
  CAF_CHECK_EQUAL(n.order_price, 71000);
  // A rejection.
  CAF_REQUIRE(!one("H0STCNI9", notice("01", "1", "1"), n));
  CAF_CHECK(n.rejected);
  // CNTG_YN must be 1 or 2.
  CAF_CHECK_EQUAL(one("H0STCNI0", notice("01", "7", "0"), n).field, 13);
}

CAF_TEST(program trading expected trade and market status) {
  program_trade p;
  auto f = numbered(11);
  f[0] = "005930";
  f[1] = "100000";
  CAF_REQUIRE(!one("H0STPGM0", f, p));
  CAF_CHECK_EQUAL(p.sell_qty, 2);
  CAF_CHECK_EQUAL(p.whole_net_qty, 10);
  expected_trade e;
  auto g = test::trade_fields("005930", 0);
  g.pop_back(); // H0STANC0 has 45 fields
  g[1] = "085500";
  CAF_REQUIRE(!one("H0STANC0", g, e));
  CAF_CHECK_EQUAL(e.price, 71000);
  CAF_CHECK(e.time == (hms{8, 55, 0}));
  CAF_CHECK_EQUAL(e.cum_volume, 1234567);
  market_status s;
  std::vector<std::string> m = {"005930", "Y",  "reason", "11", "21", "0",
                                "0",      "00", "1",      "0",  "K"};
  CAF_REQUIRE(!one("H0STMKO0", m, s));
  CAF_CHECK(s.halted);
  CAF_CHECK_EQUAL(s.suspension_reason, "reason");
  CAF_CHECK_EQUAL(s.vi_code, "1");
  CAF_CHECK_EQUAL(s.exchange_code, "K");
}

CAF_TEST(overseas trade uses fixed point prices) {
  std::vector<std::string> f = {
      "DNASAAPL", "AAPL",   "4",        "20250102",      "20250102", "093001",
      "20250102", "233001", "181.0000", "183.5000",      "180.2500", "182.5200",
      "2",        "1.5200", "0.84",     "182.5100",      "182.5300", "100",
      "200",      "50",     "123456",   "22500000.5000", "0",        "0",
      "0",        "1"};
  overseas_trade t;
  auto err = one("HDFSCNT0", f, t);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(t.rsym, "DNASAAPL");
  CAF_CHECK_EQUAL(t.last.raw, 1825200);
  CAF_CHECK_EQUAL(t.change_rate.raw, 8400);
  CAF_CHECK_EQUAL(t.volume, 50);
  CAF_CHECK_EQUAL(t.cum_volume, 123456);
  CAF_CHECK(t.kr_time == (hms{23, 30, 1}));
}

CAF_TEST(overseas book level count comes from the width) {
  overseas_book b;
  auto one_level = numbered(17);
  one_level[0] = "DNASAAPL";
  one_level[1] = "AAPL";
  one_level[3] = "20250102";
  one_level[4] = "093001";
  one_level[5] = "20250102";
  one_level[6] = "233001";
  CAF_REQUIRE(!one("HDFSASP0", one_level, b));
  CAF_CHECK_EQUAL(b.level_count, 1);
  CAF_CHECK_EQUAL(b.levels[0].bid.raw, 110000);
  CAF_CHECK_EQUAL(b.levels[0].ask_qty_change, 16);
  auto ten = one_level;
  for (int i = 17; i < 71; ++i)
    ten.push_back(std::to_string(i));
  CAF_REQUIRE(!one("HDFSASP0", ten, b));
  CAF_CHECK_EQUAL(b.level_count, 10);
  CAF_CHECK_EQUAL(b.levels[9].bid.raw, 650000);    // field 65
  CAF_CHECK_EQUAL(b.levels[9].ask_qty_change, 70); // field 70
  CAF_REQUIRE(!one("HDFSASP1", one_level, b));
  CAF_CHECK_EQUAL(b.level_count, 1);
}

CAF_TEST(overseas notice prices carry implied decimals by market) {
  std::vector<std::string> f = {
      "TESTID",    "1234567801",  "0000000777", "",  "02", "0", "00",    "AAPL",
      "3",         "00001825200", "093001",     "0", "2",  "2", "06010", "5",
      "HONG",      "APPLE",       "0",          "",  "",   "",  "",      "",
      "0001825200"};
  overseas_notice n;
  CAF_REQUIRE(!one("H0GSCNI0", f, n));
  CAF_CHECK(n.kind == notice_kind::fill);
  CAF_CHECK_EQUAL(n.fill_qty, 3);
  CAF_CHECK_EQUAL(n.fill_price.raw, 1825200); // US: 4 decimals = 182.52
  CAF_CHECK_EQUAL(n.order_qty, 5);
  CAF_CHECK_EQUAL(n.name, "APPLE");
  f[9] = "12345";
  CAF_REQUIRE(!one("H0GSCNI9", f, n, overseas_market::jp));
  CAF_CHECK_EQUAL(n.fill_price.raw, 12345000); // JP: 1 decimal = 1234.5
  CAF_REQUIRE(!one("H0GSCNI9", f, n, overseas_market::vn));
  CAF_CHECK_EQUAL(n.fill_price.raw, 123450000);
}

CAF_TEST(overseas notice prices follow the market of their symbol) {
  // The notice names no exchange; the symbol's form does: a Hong Kong
  // fill is not read with US decimals.
  std::vector<std::string> f = {
      "TESTID", "1234567801", "0000000777", "",        "02", "0", "00",
      "00700",  "100",        "376400",     "093001",  "0",  "2", "2",
      "06010",  "100",        "HONG",       "TENCENT", "0",  "",  "",
      "",       "",           "",           "376400"};
  overseas_notice n;
  CAF_REQUIRE(!one("H0GSCNI0", f, n));
  CAF_CHECK_EQUAL(n.symbol, "00700");
  CAF_CHECK_EQUAL(n.fill_price.raw, 3764000); // HK: 3 decimals = 376.4
  f[7] = "7203";                              // Tokyo (TSE): 1 decimal
  f[9] = "28505";
  CAF_REQUIRE(!one("H0GSCNI9", f, n));
  CAF_CHECK_EQUAL(n.fill_price.raw, 28505000); // 2850.5
  f[7] = "130A";                               // a newer TSE code
  CAF_REQUIRE(!one("H0GSCNI9", f, n));
  CAF_CHECK_EQUAL(n.fill_price.raw, 28505000);
  f[7] = "600519"; // Shanghai: 3 decimals
  f[9] = "1650120";
  CAF_REQUIRE(!one("H0GSCNI0", f, n));
  CAF_CHECK_EQUAL(n.fill_price.raw, 16501200); // 1650.12
  // A market the caller knows wins over the symbol's form (Vietnam's
  // tickers look like US ones).
  f[7] = "VNM";
  f[9] = "65000";
  CAF_REQUIRE(!one("H0GSCNI0", f, n, overseas_market::vn));
  CAF_CHECK_EQUAL(n.fill_price.raw, 650000000);
  overseas_market m{};
  CAF_REQUIRE(market_of_exchange("HSX", m));
  CAF_CHECK(m == overseas_market::vn);
  CAF_REQUIRE(market_of_exchange("BAQ", m));
  CAF_CHECK(m == overseas_market::us);
  CAF_CHECK(!market_of_exchange("XXX", m));
  CAF_CHECK(market_of_symbol("AAPL") == overseas_market::us);
  CAF_CHECK(market_of_symbol("BRK.B") == overseas_market::us);
}

CAF_TEST(both notice layouts decode their shared fields alike) {
  // The same notice in both layouts: the overseas one has no correction
  // field, so from the symbol on its fields sit one to the left.
  auto dom = notice("01", "1", "1");
  dom[0] = "CUST";
  dom[3] = "0000011111";
  dom[14] = "Y";
  std::vector<std::string> ovs = {
      "CUST",   "1234567801", "0000012345", "0000011111", "01",
      "0",      "00",         "005930",     "10",         "00000071000",
      "093001", "1",          "1",          "Y",          "06010",
      "30",     "HONG",       "NAME",       "0",          "",
      "",       "",           "",           "",           "0000070500"};
  exec_notice d;
  overseas_notice o;
  CAF_REQUIRE(!one("H0STCNI0", dom, d));
  CAF_REQUIRE(!one("H0GSCNI0", ovs, o));
  CAF_CHECK_EQUAL(d.customer_id, "CUST");
  CAF_CHECK_EQUAL(d.account, "1234567801");
  CAF_CHECK_EQUAL(d.order_no, "0000012345");
  CAF_CHECK_EQUAL(d.orig_order_no, "0000011111");
  CAF_CHECK(d.order_side == side::sell);
  CAF_CHECK_EQUAL(d.symbol, "005930");
  CAF_CHECK(d.rejected);
  CAF_CHECK(d.kind == notice_kind::ack);
  CAF_CHECK(d.accepted);
  CAF_CHECK(d.time == (hms{9, 30, 1}));
  CAF_CHECK_EQUAL(o.customer_id, d.customer_id);
  CAF_CHECK_EQUAL(o.account, d.account);
  CAF_CHECK_EQUAL(o.order_no, d.order_no);
  CAF_CHECK_EQUAL(o.orig_order_no, d.orig_order_no);
  CAF_CHECK(o.order_side == d.order_side);
  CAF_CHECK_EQUAL(o.symbol, d.symbol);
  CAF_CHECK_EQUAL(o.rejected, d.rejected);
  CAF_CHECK(o.kind == d.kind);
  CAF_CHECK_EQUAL(o.accepted, d.accepted);
  CAF_CHECK(o.time == d.time);
  // Not accepted, not rejected, a fill.
  dom[12] = "0";
  dom[13] = "2";
  dom[14] = "0";
  ovs[11] = "0";
  ovs[12] = "2";
  ovs[13] = "0";
  CAF_REQUIRE(!one("H0STCNI0", dom, d));
  CAF_REQUIRE(!one("H0GSCNI0", ovs, o));
  CAF_CHECK(!d.rejected && !o.rejected);
  CAF_CHECK(!d.accepted && !o.accepted);
  CAF_CHECK(d.kind == notice_kind::fill && o.kind == notice_kind::fill);
  // Each layout names its own field when a shared one is bad.
  dom[13] = ovs[12] = "7";
  CAF_CHECK_EQUAL(one("H0STCNI0", dom, d).field, 13);
  CAF_CHECK_EQUAL(one("H0GSCNI0", ovs, o).field, 12);
  dom[13] = ovs[12] = "2";
  dom[8] = ovs[7] = "";
  CAF_CHECK_EQUAL(one("H0STCNI0", dom, d).field, 8);
  CAF_CHECK_EQUAL(one("H0GSCNI0", ovs, o).field, 7);
  dom[8] = ovs[7] = "005930";
  dom[11] = ovs[10] = "99";
  CAF_CHECK_EQUAL(one("H0STCNI0", dom, d).field, 11);
  CAF_CHECK_EQUAL(one("H0GSCNI0", ovs, o).field, 10);
}
