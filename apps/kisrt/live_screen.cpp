// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/live_screen.hpp"

#include <algorithm>

#include "apps/kisrt/live_table.hpp"

namespace kisrt::app {

std::string cut_to_width(const std::string& s, std::size_t cols) {
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    auto ch = s.substr(i, len);
    // Control characters (an escape sequence in a log line) never reach
    // the terminal.
    if (len == 1 && (c < 0x20 || c == 0x7F))
      ch = "?";
    auto w = display_width(ch);
    if (used + w > cols)
      break;
    out += ch;
    used += w;
    i += len;
  }
  return out;
}

std::vector<std::string> compose_screen(const screen_parts& p, std::size_t rows,
                                        std::size_t cols) {
  // One row stays free: writing the last one would scroll the terminal.
  std::size_t budget = rows > 1 ? rows - 1 : 1;
  std::vector<std::string> out;
  auto add = [&](const std::string& line) {
    if (out.size() < budget)
      out.push_back(cut_to_width(line, cols));
  };
  for (auto& l : p.head)
    add(l);
  auto n_events = std::min(p.events.size(), screen_max_events);
  std::size_t events_rows = n_events > 0 ? n_events + 1 : 0;
  std::size_t logs_min =
      p.logs.empty() ? 0 : std::min<std::size_t>(p.logs.size(), 3) + 1;
  std::size_t used = out.size();
  std::size_t room = budget > used + events_rows + logs_min
                         ? budget - used - events_rows - logs_min
                         : 0;
  if (p.table.size() <= room) {
    for (auto& l : p.table)
      add(l);
  } else if (room > 0) {
    for (std::size_t i = 0; i + 1 < room; ++i)
      add(p.table[i]);
    add("... " + std::to_string(p.table.size() - (room - 1))
        + " more lines (a taller terminal shows them)");
  }
  if (n_events > 0) {
    add("slot events:");
    for (auto i = p.events.size() - n_events; i < p.events.size(); ++i)
      add("  " + p.events[i]);
  }
  if (!p.logs.empty() && out.size() + 1 < budget) {
    add("log:");
    auto fit = std::min(p.logs.size(), budget - out.size());
    for (auto i = p.logs.size() - fit; i < p.logs.size(); ++i)
      add(p.logs[i]);
  }
  return out;
}

} // namespace kisrt::app
