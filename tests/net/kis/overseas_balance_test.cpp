// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.overseas_balance
#include <caf/test/unit_test.hpp>

#include "net/kis/overseas_balance.hpp"

using namespace kisrt::kis;

CAF_TEST(an overseas balance page gives symbols exchanges and quantities) {
  overseas_balance_page p;
  auto body =
      R"({"ctx_area_fk200":"50000001^01^NASD^  ","ctx_area_nk200":"NEXT  ",)"
      R"("output1":[{"ovrs_pdno":"AAPL","ovrs_item_name":"APPLE INC",)"
      R"("ovrs_cblc_qty":"5","ovrs_excg_cd":"NASD"},)"
      R"({"ovrs_pdno":"BRK.B","ovrs_item_name":"BERKSHIRE",)"
      R"("ovrs_cblc_qty":"2.00000000","ovrs_excg_cd":"NYSE"}],)"
      R"("output2":{},"rt_cd":"0","msg_cd":"KIOK0510","msg1":"ok"})";
  CAF_REQUIRE(!parse_overseas_balance_response(body, "F", p));
  CAF_REQUIRE_EQUAL(p.rows.size(), 2u);
  CAF_CHECK_EQUAL(p.rows[0].symbol, "AAPL");
  CAF_CHECK_EQUAL(p.rows[0].exchange, "NASD");
  CAF_CHECK_EQUAL(p.rows[0].name, "APPLE INC");
  CAF_CHECK_EQUAL(p.rows[0].qty, 5);
  CAF_CHECK_EQUAL(p.rows[1].symbol, "BRK.B");
  CAF_CHECK_EQUAL(p.rows[1].qty, 2);
  CAF_CHECK_EQUAL(p.ctx_fk200, "50000001^01^NASD^");
  CAF_CHECK_EQUAL(p.ctx_nk200, "NEXT");
  CAF_CHECK(p.more);
  CAF_REQUIRE(!parse_overseas_balance_response(body, "D", p));
  CAF_CHECK(!p.more);
}

CAF_TEST(a bad overseas balance body is refused) {
  overseas_balance_page p;
  CAF_CHECK(parse_overseas_balance_response("[", "", p).code == errc::bad_json);
  CAF_CHECK(parse_overseas_balance_response("{}", "", p).code
            == errc::bad_control);
  CAF_CHECK(parse_overseas_balance_response(
                R"({"output1":[{"ovrs_cblc_qty":"1"}]})", "", p)
                .code
            == errc::bad_control);
  CAF_CHECK(
      parse_overseas_balance_response(
          R"({"output1":[{"ovrs_pdno":"AAPL","ovrs_cblc_qty":"x"}]})", "", p)
          .code
      == errc::bad_control);
  std::string many = R"({"output1":[)";
  for (std::size_t i = 0; i <= max_overseas_balance_rows; ++i)
    many += std::string{i > 0 ? "," : ""}
            + R"({"ovrs_pdno":"A","ovrs_cblc_qty":"1"})";
  many += "]}";
  CAF_CHECK(parse_overseas_balance_response(many, "", p).code
            == errc::bad_control);
}

CAF_TEST(holdings take the real - time key of their exchange) {
  CAF_CHECK_EQUAL(overseas_realtime_key("NASD", "AAPL"), "DNASAAPL");
  CAF_CHECK_EQUAL(overseas_realtime_key("NYSE", "BRK.B"), "DNYSBRK.B");
  CAF_CHECK_EQUAL(overseas_realtime_key("AMEX", "SPY"), "DAMSSPY");
  CAF_CHECK_EQUAL(overseas_realtime_key("SEHK", "00700"), "DHKS00700");
  CAF_CHECK_EQUAL(overseas_realtime_key("TKSE", "7203"), "DTSE7203");
  CAF_CHECK_EQUAL(overseas_realtime_key("SHAA", "600519"), "DSHS600519");
  CAF_CHECK_EQUAL(overseas_realtime_key("VNSE", "VNM"), "DHSXVNM");
  CAF_CHECK_EQUAL(overseas_realtime_key("XXXX", "AAPL"), "");
  CAF_CHECK_EQUAL(overseas_realtime_key("NASD", ""), "");
  CAF_CHECK_EQUAL(overseas_realtime_key("NASD", "AA PL"), "");
}

CAF_TEST(the query names the account exchange and currency) {
  CAF_CHECK_EQUAL(overseas_balance_query("50000001", "NASD", "", ""),
                  "CANO=50000001&ACNT_PRDT_CD=01&OVRS_EXCG_CD=NASD"
                  "&TR_CRCY_CD=USD&CTX_AREA_FK200=&CTX_AREA_NK200=");
  CAF_CHECK_EQUAL(overseas_balance_query("50000001", "SEHK", "a^b", "c"),
                  "CANO=50000001&ACNT_PRDT_CD=01&OVRS_EXCG_CD=SEHK"
                  "&TR_CRCY_CD=HKD&CTX_AREA_FK200=a%5Eb&CTX_AREA_NK200=c");
  CAF_CHECK(is_balance_exchange("TKSE"));
  CAF_CHECK(!is_balance_exchange("NAS"));
}
