// SPDX-License-Identifier: Apache-2.0
// The one translation unit of kisrt-test that provides CAF's test main().
#include <caf/test/unit_test_impl.hpp>
