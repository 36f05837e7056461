// SPDX-License-Identifier: Apache-2.0
// The price calls of snapshots: which call a key gets, and their answers.
#define CAF_SUITE net.price
#include <caf/test/unit_test.hpp>

#include "net/kis/price.hpp"

using namespace kisrt::kis;

CAF_TEST(a domestic code asks inquire - price and an RSYM the overseas call) {
  price_call c;
  CAF_REQUIRE(price_call_of("005930", c));
  CAF_CHECK_EQUAL(c.tr_id, "FHKST01010100");
  CAF_CHECK(!c.overseas);
  CAF_CHECK_EQUAL(c.target, "/uapi/domestic-stock/v1/quotations/inquire-price"
                            "?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=005930");
  CAF_REQUIRE(price_call_of("DNASAAPL", c));
  CAF_CHECK_EQUAL(c.tr_id, "HHDFS00000300");
  CAF_CHECK(c.overseas);
  CAF_CHECK_EQUAL(c.target, "/uapi/overseas-price/v1/quotations/price"
                            "?AUTH=&EXCD=NAS&SYMB=AAPL");
  CAF_CHECK(price_call_of("RBAQBRK.B", c));
  CAF_CHECK(!price_call_of("", c));
  CAF_CHECK(!price_call_of("hts_id", c));
  CAF_CHECK(!price_call_of("DNAS", c));
  CAF_CHECK(!price_call_of("Dnasaapl", c));
  CAF_CHECK(!price_call_of("DNASAA&PL", c)); // nothing for the query
}

CAF_TEST(inquire - price answers the fields of a trade) {
  price_snapshot x;
  auto err = parse_domestic_price(
      R"({"output":{"stck_prpr":"71000","prdy_vrss":"-500",)"
      R"("prdy_vrss_sign":"5","prdy_ctrt":"-0.70","acml_vol":"1234567"},)"
      R"("rt_cd":"0","msg_cd":"MCA00000","msg1":"ok"})",
      x);
  CAF_REQUIRE(!err);
  CAF_CHECK_EQUAL(x.price.raw, 71000 * 10000);
  CAF_CHECK_EQUAL(x.change.raw, -500 * 10000);
  CAF_CHECK_EQUAL(x.sign, 5);
  CAF_CHECK_EQUAL(x.change_rate.raw, -7000);
  CAF_CHECK_EQUAL(x.cum_volume, 1234567);
  CAF_CHECK(x.snapshot);
  CAF_CHECK(parse_domestic_price(R"({"rt_cd":"7","msg_cd":"KIER2570"})", x));
  CAF_CHECK(parse_domestic_price(R"({"output":{"stck_prpr":"x"}})", x));
  CAF_CHECK(parse_domestic_price("not json", x));
}

CAF_TEST(the overseas call answers the fields of a trade) {
  price_snapshot x;
  auto err = parse_overseas_price(
      R"({"output":{"rsym":"DNASAAPL","zdiv":"4","base":"181.0000",)"
      R"("last":"182.5200","sign":"2","diff":"1.5200","rate":"+0.84",)"
      R"("tvol":"4200","tamt":"766584.00","ordy":""},"rt_cd":"0"})",
      x);
  CAF_REQUIRE(!err);
  CAF_CHECK_EQUAL(x.price.raw, 1825200);
  CAF_CHECK_EQUAL(x.change.raw, 15200);
  CAF_CHECK_EQUAL(x.sign, 2);
  CAF_CHECK_EQUAL(x.change_rate.raw, 8400);
  CAF_CHECK_EQUAL(x.cum_volume, 4200);
  // An unknown symbol answers empty fields: no price.
  CAF_CHECK(parse_overseas_price(
      R"({"output":{"rsym":"","last":"","sign":""},"rt_cd":"0"})", x));
}
