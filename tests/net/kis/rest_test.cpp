// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.rest
#include <caf/test/unit_test.hpp>

#include "net/kis/rest.hpp"

using namespace kisrt::kis;

CAF_TEST(token and approval responses) {
  access_token t;
  CAF_REQUIRE(!parse_token_response(
      R"({"access_token":"eyJ0eXAi","access_token_token_expired":)"
      R"("2025-01-02 09:00:00","token_type":"Bearer","expires_in":86400})",
      t));
  CAF_CHECK_EQUAL(t.token, "eyJ0eXAi");
  CAF_CHECK_EQUAL(t.expires_at, "2025-01-02 09:00:00");
  CAF_CHECK_EQUAL(t.expires_in, 86400);
  CAF_CHECK(parse_token_response("{}", t).code == errc::bad_control);
  CAF_CHECK(parse_token_response("[", t).code == errc::bad_json);
  std::string key;
  CAF_REQUIRE(!parse_approval_response(R"({"approval_key":"abc-123"})", key));
  CAF_CHECK_EQUAL(key, "abc-123");
  CAF_CHECK(parse_approval_response(R"({"x":1})", key));
}

CAF_TEST(gateway and business errors) {
  auto e = read_rest_error(
      403,
      R"js({"error_description":"접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)",)js"
      R"js("error_code":"EGW00133"})js");
  CAF_CHECK_EQUAL(e.code, "EGW00133");
  CAF_CHECK_EQUAL(e.http_status, 403);
  e = read_rest_error(
      500,
      R"({"rt_cd":"1","msg_cd":"EGW00201","msg1":"초당 거래건수를 초과하였습니다.  "})");
  CAF_CHECK_EQUAL(e.code, "EGW00201");
  CAF_CHECK_EQUAL(e.message, "초당 거래건수를 초과하였습니다.");
  CAF_CHECK(
      read_rest_error(200, R"({"rt_cd":"0","msg_cd":"KIOK0510"})").empty());
  CAF_CHECK(read_rest_error(200, R"({"rt_cd":"7","msg_cd":"X"})").empty());
  CAF_CHECK_EQUAL(read_rest_error(200, R"({"rt_cd":"1","msg_cd":"E1"})").code,
                  "E1");
  CAF_CHECK(!read_rest_error(502, "<html>").empty());
}

CAF_TEST(balance pages) {
  balance_page p;
  CAF_REQUIRE(!parse_balance_response(
      R"({"rt_cd":"0","msg_cd":"KIOK0510","msg1":"ok","ctx_area_fk100":"FK  ",)"
      R"("ctx_area_nk100":"NK  ","output1":[{"pdno":"005930","prdt_name":)"
      R"("삼성전자","hldg_qty":"10","ord_psbl_qty":"10","pchs_avg_pric":)"
      R"("71000.0000","prpr":"71500"},{"pdno":"000660","prdt_name":"SK하이닉스",)"
      R"("hldg_qty":"0","ord_psbl_qty":"0","pchs_avg_pric":"0","prpr":"120000"}],)"
      R"("output2":[{}]})",
      "M", p));
  CAF_REQUIRE_EQUAL(p.rows.size(), 2u);
  CAF_CHECK_EQUAL(p.rows[0].code, "005930");
  CAF_CHECK_EQUAL(p.rows[0].qty, 10);
  CAF_CHECK_EQUAL(p.rows[1].qty, 0);
  CAF_CHECK(p.more);
  CAF_CHECK_EQUAL(p.ctx_fk100, "FK  ");
  CAF_REQUIRE(!parse_balance_response(R"({"output1":[]})", "D", p));
  CAF_CHECK(!p.more);
  CAF_CHECK(parse_balance_response(R"({"output1":[{"x":"1"}]})", "D", p));
  CAF_CHECK(parse_balance_response(R"({"output":[]})", "D", p));
  auto q = balance_query("12345678", "FK  ", "");
  CAF_CHECK(q.find("CANO=12345678&ACNT_PRDT_CD=01") == 0);
  CAF_CHECK(q.find("CTX_AREA_FK100=FK%20%20&CTX_AREA_NK100=")
            != std::string::npos);
  CAF_CHECK_EQUAL(paper_rest_tr_id("TTTC8434R"), "VTTC8434R");
  CAF_CHECK_EQUAL(paper_rest_tr_id("FHKST01010100"), "FHKST01010100");
  CAF_CHECK_EQUAL(url_encode("a b&c=d~"), "a%20b%26c%3Dd~");
}

CAF_TEST(both rankings) {
  std::vector<ranking_row> rows;
  CAF_REQUIRE(!parse_ranking_response(
      R"({"rt_cd":"0","output":[{"stck_shrn_iscd":"005930","data_rank":"1",)"
      R"("hts_kor_isnm":"삼성전자","stck_prpr":"71000","prdy_ctrt":"5.12",)"
      R"("acml_vol":"123"}]})",
      rows));
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_CHECK_EQUAL(rows[0].code, "005930");
  CAF_CHECK_EQUAL(rows[0].rank, 1);
  CAF_CHECK_EQUAL(rows[0].change_rate, "5.12");
  CAF_REQUIRE(!parse_ranking_response(
      R"({"output":[{"mksc_shrn_iscd":"000660","data_rank":"2","acml_vol":"9"}]})",
      rows));
  CAF_CHECK_EQUAL(rows[0].code, "000660");
  CAF_CHECK_EQUAL(rows[0].volume, 9);
  CAF_CHECK(parse_ranking_response(R"({"output":[{"x":1}]})", rows));
}
