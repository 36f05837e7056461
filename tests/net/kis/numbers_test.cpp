// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.numbers
#include <caf/test/unit_test.hpp>

#include "net/kis/numbers.hpp"

using namespace kisrt::kis;

CAF_TEST(integers with signs and leading zeros) {
  std::int64_t v = 0;
  CAF_CHECK(parse_int("0071000", v) && v == 71000);
  CAF_CHECK(parse_int("-00120", v) && v == -120);
  CAF_CHECK(parse_int("+5", v) && v == 5);
  CAF_CHECK(parse_int("9223372036854775807", v) && v == INT64_MAX);
  CAF_CHECK(!parse_int("9223372036854775808", v));
  CAF_CHECK(!parse_int("", v));
  CAF_CHECK(!parse_int("-", v));
  CAF_CHECK(!parse_int("12a", v));
  CAF_CHECK(!parse_int("1.5", v));
  CAF_CHECK(!parse_int(" 1", v));
  CAF_CHECK(!parse_int("--1", v));
  // Eight-digit chunks are checked like single digits.
  CAF_CHECK(parse_int("87654321000", v) && v == 87654321000);
  CAF_CHECK(!parse_int("1234a678901", v));
  CAF_CHECK(!parse_int("12345678:", v));
  CAF_CHECK(!parse_int("1234567/", v));
}

CAF_TEST(fixed point rates and prices) {
  fixed4 x;
  CAF_CHECK(parse_fixed4("1.23", x) && x.raw == 12300);
  CAF_CHECK(parse_fixed4("-0.71", x) && x.raw == -7100);
  CAF_CHECK(parse_fixed4("182.5200", x) && x.raw == 1825200);
  CAF_CHECK(parse_fixed4("7", x) && x.raw == 70000);
  CAF_CHECK(parse_fixed4(".5", x) && x.raw == 5000);
  CAF_CHECK(parse_fixed4("1.23456", x) && x.raw == 12345);
  CAF_CHECK_EQUAL(x.to_double(), 1.2345);
  CAF_CHECK(!parse_fixed4("", x));
  CAF_CHECK(!parse_fixed4(".", x));
  CAF_CHECK(!parse_fixed4("1.2.3", x));
  CAF_CHECK(!parse_fixed4("1e5", x));
  CAF_CHECK(!parse_fixed4("99999999999999999999", x));
  CAF_CHECK(parse_implied("00001825200", 4, x) && x.raw == 1825200);
  CAF_CHECK(parse_implied("12345", 1, x) && x.raw == 12345000);
  CAF_CHECK(parse_implied("12345", 0, x) && x.raw == 123450000);
  CAF_CHECK(!parse_implied("12345", 9, x));
}

CAF_TEST(times and dates) {
  hms t;
  CAF_CHECK(parse_hhmmss("093001", t) && t.h == 9 && t.m == 30 && t.s == 1);
  CAF_CHECK_EQUAL(t.seconds(), 9 * 3600 + 30 * 60 + 1);
  CAF_CHECK(!parse_hhmmss("0930", t));
  CAF_CHECK(!parse_hhmmss("096001", t));
  CAF_CHECK(!parse_hhmmss("09a001", t));
  std::int32_t d = 0;
  CAF_CHECK(parse_yyyymmdd("20250102", d) && d == 20250102);
  CAF_CHECK(!parse_yyyymmdd("20251302", d));
  CAF_CHECK(!parse_yyyymmdd("2025010", d));
}

CAF_TEST(utf8 validation) {
  CAF_CHECK_EQUAL(find_invalid_utf8("abc"), std::string_view::npos);
  CAF_CHECK_EQUAL(find_invalid_utf8("\xec\x82\xbc\xec\x84\xb1"),
                  std::string_view::npos);
  CAF_CHECK_EQUAL(find_invalid_utf8("ab\xff"), 2u);
  CAF_CHECK_EQUAL(find_invalid_utf8("\xec\x82"), 0u);         // truncated
  CAF_CHECK_EQUAL(find_invalid_utf8("\xc0\xaf"), 0u);         // overlong
  CAF_CHECK_EQUAL(find_invalid_utf8("\xed\xa0\x80"), 0u);     // surrogate
  CAF_CHECK_EQUAL(find_invalid_utf8("\xf4\x90\x80\x80"), 0u); // > U+10FFFF
}
