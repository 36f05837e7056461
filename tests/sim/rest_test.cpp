// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.rest
#include <caf/test/unit_test.hpp>

#include "net/kis/requests.hpp"
#include "tests/sim/client.hpp"

using namespace kisrt::sim;
using namespace kisrt::sim::test;
namespace json = boost::json;

namespace {

struct fixture {
  sim_env env;

  using headers = std::vector<std::pair<std::string, std::string>>;

  headers auth(const std::string& token, const std::string& tr_id,
               const std::string& key = "APPKEY1",
               const std::string& secret = "SECRET1") {
    return {{"authorization", "Bearer " + token},
            {"appkey", key},
            {"appsecret", secret},
            {"tr_id", tr_id},
            {"tr_cont", ""},
            {"custtype", "P"}};
  }
};

std::size_t rows(const json::value& v, const char* name) {
  auto* o = v.if_object();
  if (o == nullptr)
    return 0;
  auto* a = o->if_contains(name);
  return a && a->is_array() ? a->as_array().size() : 0;
}

bool all_strings(const json::value& v) {
  if (v.is_string())
    return true;
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (!all_strings(x))
        return false;
    return true;
  }
  if (v.is_object()) {
    for (const auto& kv : v.as_object())
      if (!all_strings(kv.value()))
        return false;
    return true;
  }
  return false;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(sim_rest_tests, fixture)

CAF_TEST(token rules same token once per minute bad key and secret) {
  auto c = env.rest();
  auto body = kisrt::kis::encode_token_request("APPKEY1", "SECRET1");
  auto r = c.request("POST", "/oauth2/tokenP", {}, body);
  CAF_REQUIRE_EQUAL(r.status, 200);
  auto tok = jstr(r.json(), "access_token");
  CAF_CHECK_EQUAL(jstr(r.json(), "token_type"), "Bearer");
  CAF_CHECK_EQUAL(jstr(r.json(), "access_token_token_expired").size(), 19u);
  // HS512 JWT whose jti is the app key.
  CAF_CHECK_EQUAL(std::count(tok.begin(), tok.end(), '.'), 2);
  auto r2 = c.request("POST", "/oauth2/tokenP", {}, body);
  CAF_CHECK_EQUAL(r2.status, 403);
  CAF_CHECK_EQUAL(jstr(r2.json(), "error_code"), "EGW00133");
  env.sim->advance_time(std::chrono::seconds(61));
  auto r3 = c.request("POST", "/oauth2/tokenP", {}, body);
  CAF_CHECK_EQUAL(r3.status, 200);
  CAF_CHECK_EQUAL(jstr(r3.json(), "access_token"), tok);
  // After 6 h a new token.
  env.sim->advance_time(std::chrono::hours(6));
  auto r4 = c.request("POST", "/oauth2/tokenP", {}, body);
  CAF_CHECK_EQUAL(r4.status, 200);
  CAF_CHECK_NOT_EQUAL(jstr(r4.json(), "access_token"), tok);
  auto bad_key = c.request("POST", "/oauth2/tokenP", {},
                           kisrt::kis::encode_token_request("NOPE", "SECRET1"));
  CAF_CHECK_EQUAL(bad_key.status, 403);
  CAF_CHECK_EQUAL(jstr(bad_key.json(), "error_code"), "EGW00103");
  auto bad_secret =
      c.request("POST", "/oauth2/tokenP", {},
                kisrt::kis::encode_token_request("APPKEY1", "WRONG"));
  CAF_CHECK_EQUAL(bad_secret.status, 403);
  CAF_CHECK_EQUAL(jstr(bad_secret.json(), "error_code"), "EGW00105");
  // Secrets never show in errors or state.
  CAF_CHECK(bad_secret.body.find("WRONG") == std::string::npos);
  auto st = env.sim->state_json();
  CAF_CHECK(st.find("SECRET1") == std::string::npos);
  CAF_CHECK(st.find(tok) == std::string::npos);
  auto garbage = c.request("POST", "/oauth2/tokenP", {}, "{not json");
  CAF_CHECK_EQUAL(garbage.status, 400);
  // Hostile sizes get a clear error, and the simulator keeps serving.
  auto c2 = env.rest();
  auto huge = c2.request("POST", "/oauth2/tokenP", {},
                         std::string(2 * 1024 * 1024, 'x'));
  // The server answers 413 and closes; a client still writing the body
  // may see the reset before the answer (a race of TCP, not of the
  // simulator). Either way nothing is accepted and serving goes on below.
  CAF_CHECK(huge.status == 413 || huge.status == 0);
  auto deep =
      env.rest().request("POST", "/oauth2/Approval", {},
                         std::string(5000, '[') + std::string(5000, ']'));
  CAF_CHECK_EQUAL(deep.status, 400);
  CAF_CHECK_EQUAL(env.approval("APPKEY1", "SECRET1").size(), 36u);
}

CAF_TEST(approval needs secretkey and revoke invalidates the token) {
  auto c = env.rest();
  auto r = c.request(
      "POST", "/oauth2/Approval", {},
      R"({"grant_type":"client_credentials","appkey":"APPKEY1","appsecret":"SECRET1"})");
  CAF_CHECK_EQUAL(r.status, 403);
  auto ak = env.approval("APPKEY1", "SECRET1");
  CAF_CHECK_EQUAL(ak.size(), 36u);
  auto tok = env.token("APPKEY1", "SECRET1");
  auto price = "/uapi/domestic-stock/v1/quotations/inquire-price"
               "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930";
  auto ok = c.request("GET", price, auth(tok, "FHKST01010100"));
  CAF_CHECK_EQUAL(ok.status, 200);
  auto rv =
      c.request("POST", "/oauth2/revokeP", {},
                kisrt::kis::encode_revoke_request("APPKEY1", "SECRET1", tok));
  CAF_CHECK_EQUAL(rv.status, 200);
  auto after = c.request("GET", price, auth(tok, "FHKST01010100"));
  CAF_CHECK_EQUAL(after.status, 500);
  CAF_CHECK_EQUAL(jstr(after.json(), "msg_cd"), "EGW00121");
}

CAF_TEST(bad and expired tokens get the gateway error shapes) {
  auto c = env.rest();
  auto price = "/uapi/domestic-stock/v1/quotations/inquire-price"
               "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930";
  auto r = c.request("GET", price, auth("garbage", "FHKST01010100"));
  CAF_CHECK_EQUAL(r.status, 500);
  CAF_CHECK_EQUAL(jstr(r.json(), "rt_cd"), "1");
  CAF_CHECK_EQUAL(jstr(r.json(), "msg_cd"), "EGW00121");
  auto tok = env.token("APPKEY1", "SECRET1");
  auto wrong_secret =
      c.request("GET", price, auth(tok, "FHKST01010100", "APPKEY1", "x"));
  CAF_CHECK_EQUAL(jstr(wrong_secret.json(), "msg_cd"), "EGW00105");
  auto wrong_tr = c.request("GET", price, auth(tok, "XXXX"));
  CAF_CHECK_EQUAL(jstr(wrong_tr.json(), "msg_cd"), "OPSQ0002");
  env.sim->advance_time(std::chrono::hours(24));
  auto old = c.request("GET", price, auth(tok, "FHKST01010100"));
  CAF_CHECK_EQUAL(old.status, 500);
  CAF_CHECK_EQUAL(jstr(old.json(), "msg_cd"), "EGW00123");
}

CAF_TEST(more than 20 requests per second get EGW00201) {
  auto c = env.rest();
  auto tok = env.token("APPKEY1", "SECRET1");
  auto price = "/uapi/domestic-stock/v1/quotations/inquire-price"
               "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930";
  int ok = 0;
  for (int i = 0; i < 20; ++i)
    ok += c.request("GET", price, auth(tok, "FHKST01010100")).status == 200;
  CAF_CHECK_EQUAL(ok, 20);
  auto r = c.request("GET", price, auth(tok, "FHKST01010100"));
  CAF_CHECK_EQUAL(r.status, 500);
  CAF_CHECK_EQUAL(jstr(r.json(), "msg_cd"), "EGW00201");
  env.sim->advance_time(std::chrono::seconds(1));
  CAF_CHECK_EQUAL(c.request("GET", price, auth(tok, "FHKST01010100")).status,
                  200);
}

CAF_TEST(inquire price and rankings come from the simulated market) {
  auto c = env.rest();
  auto tok = env.token("APPKEY1", "SECRET1");
  auto r = c.request("GET",
                     "/uapi/domestic-stock/v1/quotations/inquire-price"
                     "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930",
                     auth(tok, "FHKST01010100"));
  CAF_REQUIRE_EQUAL(r.status, 200);
  // Lowercase response headers, every body value a string.
  CAF_CHECK_EQUAL(r.header("tr_id"), "FHKST01010100");
  CAF_CHECK_EQUAL(r.header("gt_uid").size(), 32u);
  bool has_tr_cont = false;
  for (const auto& h : r.headers)
    has_tr_cont = has_tr_cont || h.first == "tr_cont";
  CAF_CHECK(has_tr_cont);
  auto v = r.json();
  CAF_CHECK(all_strings(v));
  CAF_CHECK_EQUAL(jstr(v, "msg_cd"), "MCA00000");
  auto prpr = std::stoll(jstr(v, "output", "stck_prpr"));
  auto mx = std::stoll(jstr(v, "output", "stck_mxpr"));
  auto ll = std::stoll(jstr(v, "output", "stck_llam"));
  CAF_CHECK(ll <= prpr && prpr <= mx);
  auto fl = c.request("GET",
                      "/uapi/domestic-stock/v1/ranking/fluctuation"
                      "?fid_cond_mrkt_div_code=J&fid_cond_scr_div_code=20170"
                      "&fid_input_iscd=0000&fid_rank_sort_cls_code=0"
                      "&fid_input_cnt_1=0&fid_prc_cls_code=1"
                      "&fid_input_price_1=&fid_input_price_2=&fid_vol_cnt="
                      "&fid_trgt_cls_code=0&fid_trgt_exls_cls_code=0"
                      "&fid_div_cls_code=0&fid_rsfl_rate1=&fid_rsfl_rate2=",
                      auth(tok, "FHPST01700000"));
  CAF_REQUIRE_EQUAL(fl.status, 200);
  auto fv = fl.json();
  CAF_CHECK(all_strings(fv));
  CAF_REQUIRE_EQUAL(rows(fv, "output"), 30u);
  double prev = 1e9;
  for (const auto& row : fv.at("output").as_array()) {
    auto rate = std::stod(jstr(row, "prdy_ctrt"));
    CAF_CHECK_LESS_OR_EQUAL(rate, prev);
    prev = rate;
    CAF_CHECK_EQUAL(jstr(row, "stck_shrn_iscd").size(), 6u);
    CAF_CHECK(!jstr(row, "hts_kor_isnm").empty());
  }
  // Uppercase names on the volume ranking, matched case-insensitively.
  auto vr = c.request("GET",
                      "/uapi/domestic-stock/v1/quotations/volume-rank"
                      "?FID_COND_MRKT_DIV_CODE=J&FID_COND_SCR_DIV_CODE=20171"
                      "&FID_INPUT_ISCD=0001&FID_DIV_CLS_CODE=0"
                      "&FID_BLNG_CLS_CODE=0&FID_TRGT_CLS_CODE=111111111"
                      "&FID_TRGT_EXLS_CLS_CODE=000000&FID_INPUT_PRICE_1="
                      "&FID_INPUT_PRICE_2=&FID_VOL_CNT=&FID_INPUT_DATE_1=",
                      auth(tok, "FHPST01710000"));
  CAF_REQUIRE_EQUAL(vr.status, 200);
  auto vv = vr.json();
  CAF_REQUIRE_EQUAL(rows(vv, "output"), 30u);
  long long pv = -1;
  for (const auto& row : vv.at("output").as_array()) {
    auto vol = std::stoll(jstr(row, "acml_vol"));
    if (pv >= 0)
      CAF_CHECK_LESS_OR_EQUAL(vol, pv);
    pv = vol;
    CAF_CHECK_EQUAL(jstr(row, "mksc_shrn_iscd").size(), 6u);
  }
}

CAF_TEST(the overseas balance answers the overseas holdings of the account) {
  auto o = default_options();
  o.overseas_holdings = {{"12345678", "NASD", "AAPL", 5},
                         {"12345678", "NYSE", "IBM", 3},
                         {"12345678", "SEHK", "00700", 100},
                         {"87654321", "NASD", "MSFT", 7}};
  sim_env e{o};
  auto c = e.rest();
  auto tok = e.token("APPKEY1", "SECRET1");
  auto ask = [&](const std::string& ex, const std::string& tr_id,
                 const std::string& cano = "12345678") {
    return c.request("GET",
                     "/uapi/overseas-stock/v1/trading/inquire-balance?CANO="
                         + cano + "&ACNT_PRDT_CD=01&OVRS_EXCG_CD=" + ex
                         + "&TR_CRCY_CD=USD&CTX_AREA_FK200=&CTX_AREA_NK200=",
                     auth(tok, tr_id));
  };
  // NASD answers every US exchange, one page.
  auto r = ask("NASD", "TTTS3012R");
  CAF_REQUIRE_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.header("tr_cont"), "D");
  auto v = r.json();
  CAF_CHECK(all_strings(v));
  CAF_CHECK_EQUAL(jstr(v, "rt_cd"), "0");
  CAF_REQUIRE_EQUAL(rows(v, "output1"), 2u);
  auto& out = v.as_object().at("output1").as_array();
  CAF_CHECK_EQUAL(json::value_to<std::string>(out[0].at("ovrs_pdno")), "AAPL");
  CAF_CHECK_EQUAL(json::value_to<std::string>(out[0].at("ovrs_excg_cd")),
                  "NASD");
  CAF_CHECK_EQUAL(json::value_to<std::string>(out[0].at("ovrs_cblc_qty")), "5");
  CAF_CHECK_EQUAL(json::value_to<std::string>(out[1].at("ovrs_pdno")), "IBM");
  CAF_CHECK_EQUAL(rows(ask("SEHK", "TTTS3012R").json(), "output1"), 1u);
  CAF_CHECK_EQUAL(rows(ask("TKSE", "TTTS3012R").json(), "output1"), 0u);
  // Another account's CANO, an unknown exchange, the wrong tr_id: refused.
  CAF_CHECK_EQUAL(jstr(ask("NASD", "TTTS3012R", "87654321").json(), "msg_cd"),
                  "OPSQ2000");
  CAF_CHECK_EQUAL(jstr(ask("NAS", "TTTS3012R").json(), "msg_cd"), "OPSQ2000");
  CAF_CHECK_EQUAL(jstr(ask("NASD", "VTTS3012R").json(), "msg_cd"), "OPSQ0002");
}

CAF_TEST_FIXTURE_SCOPE_END()

#include <cstdio>
#include <fstream>

#include <unistd.h>

#include "sim/net.hpp"

CAF_TEST(chk - holiday reports the configured holidays) {
  auto o = default_options();
  o.kst_date = 20251224;
  o.holidays = {20251225};
  sim_env e{o};
  auto c = e.rest();
  auto tok = e.token("APPKEY1", "SECRET1");
  auto auth = [&](const std::string& tr_id) {
    return std::vector<std::pair<std::string, std::string>>{
        {"authorization", "Bearer " + tok},
        {"appkey", "APPKEY1"},
        {"appsecret", "SECRET1"},
        {"tr_id", tr_id},
        {"tr_cont", ""},
        {"custtype", "P"}};
  };
  auto r = c.request("GET",
                     "/uapi/domestic-stock/v1/quotations/chk-holiday"
                     "?BASS_DT=20251224&CTX_AREA_NK=&CTX_AREA_FK=",
                     auth("CTCA0903R"));
  CAF_REQUIRE_EQUAL(r.status, 200);
  CAF_CHECK_EQUAL(r.header("tr_id"), "CTCA0903R");
  auto v = r.json();
  CAF_CHECK(all_strings(v));
  CAF_CHECK_EQUAL(jstr(v, "rt_cd"), "0");
  CAF_REQUIRE_EQUAL(rows(v, "output"), 31u);
  auto& out = v.as_object().at("output").as_array();
  auto row = [&](std::size_t i, const char* f) {
    return std::string{out[i].as_object().at(f).as_string().c_str()};
  };
  CAF_CHECK_EQUAL(row(0, "bass_dt"), "20251224");
  CAF_CHECK_EQUAL(row(0, "opnd_yn"), "Y");
  CAF_CHECK_EQUAL(row(0, "wday_dvsn_cd"), "04"); // Wednesday
  CAF_CHECK_EQUAL(row(1, "bass_dt"), "20251225");
  CAF_CHECK_EQUAL(row(1, "opnd_yn"), "N");
  CAF_CHECK_EQUAL(row(8, "bass_dt"), "20260101"); // across the year
  // The wrong tr_id and a bad date are refused.
  auto bad = c.request("GET",
                       "/uapi/domestic-stock/v1/quotations/chk-holiday"
                       "?BASS_DT=20251224",
                       auth("FHKST01010100"));
  CAF_CHECK_EQUAL(jstr(bad.json(), "msg_cd"), "OPSQ0002");
  auto bad_date = c.request("GET",
                            "/uapi/domestic-stock/v1/quotations/chk-holiday"
                            "?BASS_DT=2025",
                            auth("CTCA0903R"));
  CAF_CHECK_EQUAL(jstr(bad_date.json(), "rt_cd"), "1");
}

CAF_TEST(REST over HTTPS with a given certificate and key) {
  auto tls = make_self_signed();
  auto base = "/tmp/kisrt-sim-tls-" + std::to_string(::getpid());
  std::ofstream(base + ".crt") << tls.cert_pem;
  std::ofstream(base + ".key") << tls.key_pem;
  auto o = default_options();
  o.rest_plain = false;
  o.cert_file = base + ".crt";
  o.key_file = base + ".key";
  sim_env env{o};
  CAF_CHECK_EQUAL(env.approval("APPKEY1", "SECRET1").size(), 36u);
  // A plain HTTP client gets nothing useful from the TLS port.
  http_client plain{env.p.rest, false};
  CAF_CHECK_EQUAL(plain.request("POST", "/oauth2/Approval", {}, "{}").status,
                  0);
  std::remove((base + ".crt").c_str());
  std::remove((base + ".key").c_str());
  // A missing key file is an error naming the flag.
  auto bad = default_options();
  bad.rest_plain = false;
  bad.cert_file = "/nonexistent.crt";
  bad.key_file = "/nonexistent.key";
  simulator sim{bad};
  std::string what;
  try {
    sim.start();
  } catch (const std::exception& e) {
    what = e.what();
  }
  CAF_CHECK(what.find("--cert") != std::string::npos);
}
