// SPDX-License-Identifier: Apache-2.0
// Pick import files (`kisrt picks import FILE`), JSON or CSV, format in
// docs/picks.md. Every problem is reported with the file and the line (CSV)
// or the element (JSON); nothing is imported from a file with problems.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "messages/sources.hpp"

namespace kisrt::store {

/// Picks by trade date (YYYYMMDD).
using picks_by_date = std::map<std::int32_t, std::vector<pick_entry>>;

/// Parses `text` named `name` (for messages): JSON when it starts with `{`
/// or `[`, CSV otherwise. Problems go to `errors`.
picks_by_date parse_picks(std::string_view name, std::string_view text,
                          std::vector<std::string>& errors);

/// Reads YYYYMMDD or YYYY-MM-DD; 0 when it is not a valid date.
std::int32_t parse_trade_date(std::string_view text) noexcept;

} // namespace kisrt::store
