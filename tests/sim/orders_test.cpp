// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.orders
#include <caf/test/unit_test.hpp>

#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/records.hpp"
#include "tests/sim/client.hpp"

using namespace kisrt::sim;
using namespace kisrt::sim::test;
using st = ws_client::status;
namespace json = boost::json;
namespace kis = kisrt::kis;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

headers auth(const std::string& token, const std::string& tr_id,
             const std::string& cont = "") {
  return {{"authorization", "Bearer " + token},
          {"appkey", "APPKEY1"},
          {"appsecret", "SECRET1"},
          {"tr_id", tr_id},
          {"tr_cont", cont},
          {"custtype", "P"}};
}

std::string balance_url(const std::string& nk = "") {
  return "/uapi/domestic-stock/v1/trading/inquire-balance?CANO=12345678"
         "&ACNT_PRDT_CD=01&AFHR_FLPR_YN=N&OFL_YN=&INQR_DVSN=02&UNPR_DVSN=01"
         "&FUND_STTL_ICLD_YN=N&FNCG_AMT_AUTO_RDPT_YN=N&PRCS_DVSN=00"
         "&CTX_AREA_FK100=&CTX_AREA_NK100="
         + nk;
}

std::string pct(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ')
      out += "%20";
    else if (c == '^')
      out += "%5E";
    else
      out += c;
  }
  return out;
}

// Notices read from `c`, decrypted with the ack's key.
struct notice_reader {
  ws_client& c;
  kis::frame_decoder dec;

  bool next(kis::exec_notice& out) {
    std::string msg;
    for (;;) {
      if (c.read(msg) != st::ok)
        return false;
      if (kis::classify(msg) != kis::message_kind::data)
        continue;
      if (dec.decode(msg))
        return false;
      if (dec.header().tr_id.substr(0, 7) != "H0STCNI")
        continue;
      return !kis::decode(dec.records()[0], out);
    }
  }
};

const json::object* row_of(const json::value& v, const std::string& code) {
  for (const auto& r : v.at("output1").as_array())
    if (jstr(r, "pdno") == code)
      return &r.as_object();
  return nullptr;
}

void run_orders(sim_env& env, bool paper) {
  auto ak = env.approval("APPKEY1", "SECRET1");
  auto tok = env.token("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  auto tr = paper ? "H0STCNI9" : "H0STCNI0";
  c.send(env.sub(ak, tr, "user1"));
  std::string out;
  CAF_REQUIRE(c.read_control(out) == st::ok);
  kis::control_message ack;
  CAF_REQUIRE(!kis::parse_control(out, ack));
  CAF_REQUIRE_EQUAL(ack.msg_cd, "OPSP0000");
  CAF_REQUIRE(ack.encrypted);
  notice_reader nr{c, {}};
  CAF_REQUIRE(!nr.dec.set_key(tr, ack.key, ack.iv));
  // Buy 10 of 005930 at a limit, filled 4 + 6.
  order_request buy{"12345678", "005930", "buy", 10, 70000, {4, 6}};
  auto res = env.sim->place_order(buy);
  CAF_REQUIRE_EQUAL(res.status, 200);
  env.sim->advance_time(std::chrono::milliseconds(100));
  kis::exec_notice n;
  CAF_REQUIRE(nr.next(n));
  CAF_CHECK(n.kind == kis::notice_kind::ack);
  CAF_CHECK(n.order_side == kis::side::buy);
  CAF_CHECK_EQUAL(n.symbol, "005930");
  CAF_CHECK_EQUAL(n.order_qty, 10);
  CAF_CHECK_EQUAL(n.order_price, 70000);
  CAF_CHECK_EQUAL(n.customer_id, "user1");
  CAF_CHECK_EQUAL(n.account, "1234567801");
  CAF_CHECK_EQUAL(n.name, "삼성전자");
  CAF_CHECK_EQUAL(nr.dec.records()[0].size(), 26u);
  auto order_no = n.order_no;
  CAF_REQUIRE(nr.next(n));
  CAF_CHECK(n.kind == kis::notice_kind::fill);
  CAF_CHECK_EQUAL(n.fill_qty, 4);
  CAF_CHECK_EQUAL(n.fill_price, 70000);
  CAF_CHECK_EQUAL(n.order_no, order_no);
  CAF_REQUIRE(nr.next(n));
  CAF_CHECK_EQUAL(n.fill_qty, 6);
  // Sell all 5 of 000660 at market: a sold-out row remains with qty 0.
  order_request sell{"12345678", "000660", "sell", 5, 0, {}};
  CAF_REQUIRE_EQUAL(env.sim->place_order(sell).status, 200);
  env.sim->advance_time(std::chrono::milliseconds(100));
  CAF_REQUIRE(nr.next(n));
  CAF_CHECK(n.kind == kis::notice_kind::ack);
  CAF_CHECK(n.order_side == kis::side::sell);
  std::int64_t sold = 0;
  while (sold < 5 && nr.next(n)) {
    CAF_CHECK(n.kind == kis::notice_kind::fill);
    CAF_CHECK_GREATER(n.fill_price, 0);
    sold += n.fill_qty;
  }
  CAF_CHECK_EQUAL(sold, 5);
  // Selling more than held is rejected with a notice.
  auto rej = env.sim->place_order(
      order_request{"12345678", "000660", "sell", 1, 0, {}});
  CAF_CHECK(rej.body.find("rejected") != std::string::npos);
  CAF_REQUIRE(nr.next(n));
  CAF_CHECK(n.rejected);
  // Balance agrees with the fills.
  auto http = env.rest();
  auto bal = http.request("GET", balance_url(),
                          auth(tok, paper ? "VTTC8434R" : "TTTC8434R"));
  CAF_REQUIRE_EQUAL(bal.status, 200);
  auto v = bal.json();
  CAF_CHECK_EQUAL(jstr(v, "msg_cd"), paper ? "20310000" : "KIOK0510");
  CAF_CHECK_EQUAL(bal.header("tr_cont"), "D");
  auto* sam = row_of(v, "005930");
  CAF_REQUIRE(sam != nullptr);
  CAF_CHECK_EQUAL(jstr(*sam, "hldg_qty"), "20");
  CAF_CHECK_EQUAL(jstr(*sam, "thdt_buyqty"), "10");
  auto* hy = row_of(v, "000660");
  CAF_REQUIRE(hy != nullptr);
  CAF_CHECK_EQUAL(jstr(*hy, "hldg_qty"), "0");
  CAF_CHECK_EQUAL(jstr(*hy, "thdt_sll_qty"), "5");
  CAF_CHECK_EQUAL(jstr(v, "ctx_area_nk100").size(), 100u);
  // /state lists orders and fills.
  auto s = env.state();
  CAF_CHECK_EQUAL(s.at("orders").as_array().size(), 3u);
  CAF_CHECK_GREATER_OR_EQUAL(s.at("fills").as_array().size(), 3u);
  CAF_CHECK_EQUAL(s.at("notices").at("lost").to_number<int>(), 0);
}

} // namespace

CAF_TEST(order notices decrypt with the session key and update the balance) {
  sim_env env;
  run_orders(env, false);
}

CAF_TEST(paper trading uses H0STCNI9 over HTTPS) {
  auto o = default_options();
  o.paper = true;
  o.rest_plain = false;
  sim_env env{o};
  run_orders(env, true);
}

CAF_TEST(bad orders are refused with a clear error) {
  sim_env env;
  auto a = env.admin();
  auto r = a.request("POST", "/order", {}, "{bad json");
  CAF_CHECK_EQUAL(r.status, 400);
  r = a.request("POST", "/order", {},
                R"({"cano":"99999999","code":"005930","side":"buy","qty":1})");
  CAF_CHECK_EQUAL(r.status, 400);
  r = a.request("POST", "/order", {},
                R"({"cano":"12345678","code":"005930","side":"hold","qty":1})");
  CAF_CHECK_EQUAL(r.status, 400);
  r = a.request("POST", "/order", {},
                R"({"cano":"12345678","code":"005930","side":"buy","qty":-3})");
  CAF_CHECK_EQUAL(r.status, 400);
  r = a.request(
      "POST", "/order", {},
      R"({"cano":"12345678","code":"005930","side":"buy","qty":10,"price":0})");
  CAF_CHECK_EQUAL(r.status, 200);
  r = a.request("GET", "/state");
  CAF_CHECK_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.json().at("orders").as_array().size(), 1u);
  r = a.request("GET", "/nowhere");
  CAF_CHECK_EQUAL(r.status, 404);
}

CAF_TEST(balance pages with tr_cont and ctx_area_nk100) {
  auto o = default_options();
  o.holdings.clear();
  // 60 holdings: two pages of 50 + 10 (real).
  sim_env probe{default_options()};
  std::vector<std::string> codes;
  {
    auto tok = probe.token("APPKEY1", "SECRET1");
    auto http = probe.rest();
    auto r = http.request(
        "GET",
        "/uapi/domestic-stock/v1/quotations/volume-rank?FID_INPUT_ISCD=0000",
        auth(tok, "FHPST01710000"));
    auto v1 = r.json();
    for (const auto& row : v1.at("output").as_array())
      codes.push_back(jstr(row, "mksc_shrn_iscd"));
    r = http.request("GET",
                     "/uapi/domestic-stock/v1/ranking/fluctuation"
                     "?fid_input_iscd=0000&fid_rank_sort_cls_code=0",
                     auth(tok, "FHPST01700000"));
    auto v2 = r.json();
    for (const auto& row : v2.at("output").as_array())
      codes.push_back(jstr(row, "stck_shrn_iscd"));
    r = http.request("GET",
                     "/uapi/domestic-stock/v1/ranking/fluctuation"
                     "?fid_input_iscd=0000&fid_rank_sort_cls_code=1",
                     auth(tok, "FHPST01700000"));
    auto v3 = r.json();
    for (const auto& row : v3.at("output").as_array())
      codes.push_back(jstr(row, "stck_shrn_iscd"));
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  CAF_REQUIRE_GREATER_OR_EQUAL(codes.size(), 60u);
  codes.resize(60);
  for (const auto& code : codes)
    o.holdings.push_back({"12345678", code, 1});
  sim_env env{o};
  auto tok = env.token("APPKEY1", "SECRET1");
  auto http = env.rest();
  auto p1 = http.request("GET", balance_url(), auth(tok, "TTTC8434R"));
  CAF_REQUIRE_EQUAL(p1.status, 200);
  CAF_CHECK_EQUAL(p1.header("tr_cont"), "F");
  auto v1 = p1.json();
  CAF_CHECK_EQUAL(v1.at("output1").as_array().size(), 50u);
  auto nk = jstr(v1, "ctx_area_nk100");
  CAF_CHECK_EQUAL(nk.size(), 100u);
  auto p2 =
      http.request("GET", balance_url(pct(nk)), auth(tok, "TTTC8434R", "N"));
  CAF_REQUIRE_EQUAL(p2.status, 200);
  CAF_CHECK_EQUAL(p2.header("tr_cont"), "E");
  auto v2 = p2.json();
  CAF_REQUIRE_EQUAL(v2.at("output1").as_array().size(), 10u);
  CAF_CHECK_EQUAL(jstr(v2.at("output1").as_array().at(0), "pdno"), codes[50]);
  CAF_CHECK_EQUAL(jstr(v2.at("output1").as_array().at(9), "pdno"), codes[59]);
}

CAF_TEST(paper balance pages hold 20 rows) {
  auto o = default_options();
  o.paper = true;
  o.holdings.clear();
  const char* list[] = {"005930", "000660", "035420", "035720", "005380",
                        "000270", "051910", "006400", "373220", "207940",
                        "068270", "005490", "105560", "055550", "012330",
                        "028260", "066570", "003550", "017670", "030200",
                        "034730", "096770", "015760", "032830", "018260"};
  for (const char* code : list)
    o.holdings.push_back({"12345678", code, 3});
  sim_env env{o};
  auto tok = env.token("APPKEY1", "SECRET1");
  auto http = env.rest();
  auto p1 = http.request("GET", balance_url(), auth(tok, "VTTC8434R"));
  CAF_REQUIRE_EQUAL(p1.status, 200);
  CAF_CHECK_EQUAL(p1.json().at("output1").as_array().size(), 20u);
  CAF_CHECK_EQUAL(p1.header("tr_cont"), "F");
  auto nk = jstr(p1.json(), "ctx_area_nk100");
  // Paper allows 2 requests per second.
  env.sim->advance_time(std::chrono::seconds(1));
  auto p2 =
      http.request("GET", balance_url(pct(nk)), auth(tok, "VTTC8434R", "N"));
  CAF_CHECK_EQUAL(p2.json().at("output1").as_array().size(), 5u);
  CAF_CHECK_EQUAL(p2.header("tr_cont"), "E");
  auto p3 = http.request("GET", balance_url(), auth(tok, "VTTC8434R"));
  auto p4 = http.request("GET", balance_url(), auth(tok, "VTTC8434R"));
  CAF_CHECK_EQUAL(p3.status, 200);
  CAF_CHECK_EQUAL(p4.status, 500);
  CAF_CHECK_EQUAL(jstr(p4.json(), "msg_cd"), "EGW00201");
}

CAF_TEST(order numbers start at first_order) {
  // A simulator restarted the same day must not hand out a number again:
  // a number identifies an order (and its fills) for the whole day.
  auto o = default_options();
  o.first_order = 500000;
  sim_env env{o};
  auto a = env.admin();
  for (auto want : {"0000500000", "0000500001"}) {
    auto r = a.request(
        "POST", "/order", {},
        R"({"cano":"12345678","code":"005930","side":"buy","qty":1,"price":0})");
    CAF_REQUIRE_EQUAL(r.status, 200);
    CAF_CHECK_EQUAL(jstr(r.json(), "order_no"), want);
  }
}
