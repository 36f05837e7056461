// SPDX-License-Identifier: Apache-2.0
// Pick import files (`kisrt picks import FILE`), JSON or CSV, format in
// docs/picks.md. Every problem is reported with the file and the line (CSV)
// or the element (JSON); nothing is imported from a file with problems.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

/// The highest rank a pick may have.
constexpr std::int32_t max_rank = 1'000'000;
/// The longest name or source a pick may have, in bytes.
constexpr std::size_t max_text_bytes = 256;
/// The largest pick file `kisrt picks import` reads.
constexpr std::size_t max_file_bytes = 16 << 20;

/// Reads YYYYMMDD or YYYY-MM-DD (years 1990-2999); 0 when it is not a real
/// calendar date (20250231 is not).
std::int32_t parse_trade_date(std::string_view text) noexcept;

/// A rank: the whole text is a decimal integer from 1 to max_rank (no sign
/// games, no trailing text, no wrap-around).
std::optional<std::int32_t> parse_rank(std::string_view text) noexcept;

/// A score: the whole text is a finite decimal number ("0.91", "1e-3").
std::optional<double> parse_score(std::string_view text) noexcept;

/// `field` quoted for CSV output when it holds a comma, a quote, CR or LF
/// (RFC 4180: enclosed in quotes, quotes doubled); as is otherwise.
std::string csv_escape(std::string_view field);

} // namespace kisrt::store
