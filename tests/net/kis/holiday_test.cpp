// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.holiday
#include <caf/test/unit_test.hpp>

#include <string>

#include "net/kis/holiday.hpp"

using namespace kisrt::kis;

CAF_TEST(the holiday answer gives dates and opnd_yn) {
  holiday_page p;
  auto body =
      std::string{R"({"ctx_area_nk":"NK ","ctx_area_fk":"FK ",)"}
      + R"("output":[{"bass_dt":"20251224","wday_dvsn_cd":"04",)"
      + R"("bzdy_yn":"Y","tr_day_yn":"Y","opnd_yn":"Y","sttl_day_yn":"Y"},)"
      + R"({"bass_dt":"20251225","wday_dvsn_cd":"05","bzdy_yn":"N",)"
      + R"("tr_day_yn":"N","opnd_yn":"N","sttl_day_yn":"N"}],)"
      + R"("rt_cd":"0","msg_cd":"KIOK0500","msg1":"ok"})";
  CAF_REQUIRE(!parse_holiday_response(body, "M", p));
  CAF_REQUIRE_EQUAL(p.rows.size(), 2u);
  CAF_CHECK_EQUAL(p.rows[0].date, 20251224);
  CAF_CHECK(p.rows[0].open);
  CAF_CHECK_EQUAL(p.rows[1].date, 20251225);
  CAF_CHECK(!p.rows[1].open);
  CAF_CHECK(p.more);
  CAF_CHECK_EQUAL(p.ctx_nk, "NK");
  CAF_CHECK_EQUAL(p.ctx_fk, "FK");
  CAF_REQUIRE(!parse_holiday_response(R"({"output":[]})", "D", p));
  CAF_CHECK(!p.more);
}

CAF_TEST(a bad holiday answer is an error not a partial calendar) {
  holiday_page p;
  CAF_CHECK(parse_holiday_response("not json", "", p));
  CAF_CHECK(parse_holiday_response(R"({"rt_cd":"0"})", "", p));
  CAF_CHECK(parse_holiday_response(
      R"({"output":[{"bass_dt":"20251224","opnd_yn":"Y"},{"bass_dt":"2025"}]})",
      "", p));
  CAF_CHECK(p.rows.empty());
  CAF_CHECK(parse_holiday_response(
      R"({"output":[{"bass_dt":"20251324","opnd_yn":"Y"}]})", "", p));
  CAF_CHECK(parse_holiday_response(
      R"({"output":[{"bass_dt":"20251224","opnd_yn":"?"}]})", "", p));
  std::string many = R"({"output":[)";
  for (std::size_t i = 0; i <= max_holiday_rows; ++i)
    many +=
        std::string{i ? "," : ""} + R"({"bass_dt":"20251224","opnd_yn":"Y"})";
  many += "]}";
  CAF_CHECK(parse_holiday_response(many, "", p));
}

CAF_TEST(the holiday query names the date and the continuation keys) {
  CAF_CHECK_EQUAL(holiday_query(20251224, "", ""),
                  "BASS_DT=20251224&CTX_AREA_NK=&CTX_AREA_FK=");
  CAF_CHECK_EQUAL(holiday_query(20251224, "a b", "c"),
                  "BASS_DT=20251224&CTX_AREA_NK=c&CTX_AREA_FK=a%20b");
}
