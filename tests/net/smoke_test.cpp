// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.smoke
#include <caf/test/unit_test.hpp>

#include "net/kis/layout.hpp"

CAF_TEST(layouts are loaded) {
  auto* l = kisrt::kis::find_layout("H0STCNT0");
  CAF_REQUIRE(l != nullptr);
  CAF_CHECK_EQUAL(l->width, 46u);
}
