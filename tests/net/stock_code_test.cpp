// SPDX-License-Identifier: Apache-2.0
// The one KRX short code check, used by the picks store, the picks loader,
// the gateway's options, the node gate and the scenario scripts.
#define CAF_SUITE net.stock_code
#include <caf/test/unit_test.hpp>

#include "net/kis/stock_code.hpp"

using kisrt::kis::is_stock_code;

CAF_TEST(six digits or capital letters are a stock code) {
  CAF_CHECK(is_stock_code("005930"));
  CAF_CHECK(is_stock_code("0008Z0"));
  CAF_CHECK(is_stock_code("ZZZZZZ"));
  static_assert(is_stock_code("000660"), "usable at compile time");
}

CAF_TEST(anything else is not ) {
  CAF_CHECK(!is_stock_code(""));
  CAF_CHECK(!is_stock_code("00593"));
  CAF_CHECK(!is_stock_code("0059300"));
  CAF_CHECK(!is_stock_code("00593a"));
  CAF_CHECK(!is_stock_code("005 30"));
  CAF_CHECK(!is_stock_code("00593."));
  CAF_CHECK(!is_stock_code(std::string_view{"00593\0", 6}));
  CAF_CHECK(!is_stock_code("\xec\x82\xbc\xec\x84\xb1"));
}
