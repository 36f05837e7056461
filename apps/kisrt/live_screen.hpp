// SPDX-License-Identifier: Apache-2.0
// One frame of the live view on a terminal: the stdout lines first, the
// table, the latest slot events and the latest log lines under it, all cut
// to the terminal's size so nothing scrolls the table away. A pure
// function, so tests call it directly.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kisrt::app {

struct screen_parts {
  /// The machine-readable stdout lines ({"admin_port":N}), kept on top.
  std::vector<std::string> head;
  /// format_live_table's lines.
  std::vector<std::string> table;
  /// The latest slot events, oldest first.
  std::vector<std::string> events;
  /// The latest log lines, oldest first.
  std::vector<std::string> logs;
};

/// Slot events shown under the table at most.
constexpr std::size_t screen_max_events = 5;

/// The frame's lines for a terminal of `rows` x `cols` (fewer than `rows`
/// lines, each at most `cols` columns): head; the table, cut with a "...
/// N more lines" line when the room below is needed; "slot events:" with
/// the last few; "log:" with as many of the latest log lines as fit (at
/// least three when the terminal has the rows).
std::vector<std::string> compose_screen(const screen_parts& p, std::size_t rows,
                                        std::size_t cols);

/// `s` cut to at most `cols` columns (whole characters; wide ones take
/// two).
std::string cut_to_width(const std::string& s, std::size_t cols);

} // namespace kisrt::app
