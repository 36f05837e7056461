// SPDX-License-Identifier: Apache-2.0
// Builders of realistic records for codec tests.
#pragma once

#include <string>
#include <vector>

#include "net/kis/encode.hpp"
#include "net/kis/layout.hpp"

namespace kisrt::test {

/// A full H0STCNT0 record (46 fields) for `symbol`, with price and volume
/// varied by `i`.
inline std::vector<std::string> trade_fields(const std::string& symbol, int i) {
  return {symbol,
          "093001",
          std::to_string(71000 + i * 100),
          "2",
          "500",
          "0.71",
          "70950",
          "70500",
          "71500",
          "70400",
          "71100",
          "71000",
          std::to_string(10 + i),
          "1234567",
          "87654321000",
          "1200",
          "1300",
          "100",
          "108.33",
          "500000",
          "541667",
          "1",
          "52.01",
          "88.12",
          "090000",
          "2",
          "500",
          "091500",
          "5",
          "-500",
          "090500",
          "2",
          "600",
          "20250102",
          "20",
          "N",
          "1500",
          "2300",
          "150000",
          "160000",
          "0.21",
          "1000000",
          "123.45",
          "0",
          "0",
          "71000"};
}

/// A plain H0STCNT0 frame of `count` records, symbols 000001, 000002, ...
inline std::string trade_frame(int count, int extra_fields = 0) {
  std::string payload;
  for (int i = 0; i < count; ++i) {
    auto sym = std::to_string(1000000 + i + 1).substr(1);
    auto f = trade_fields(sym, i);
    for (int e = 0; e < extra_fields; ++e)
      f.push_back("X" + std::to_string(e));
    kis::append_record(payload, f);
  }
  return kis::encode_frame("H0STCNT0", static_cast<std::size_t>(count),
                           payload);
}

} // namespace kisrt::test
