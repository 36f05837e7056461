// SPDX-License-Identifier: Apache-2.0
// `kisrt picks import [--db PATH] FILE`: validates a JSON or CSV pick file
// and writes it into the daily_picks table (docs/picks.md), replacing the
// picks of every trade date the file names. Nothing is written when any
// row is bad; all days go in one transaction. `kisrt picks show [--db PATH]
// DATE` prints one day as CSV.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "store/picks_db.hpp"
#include "store/picks_file.hpp"

namespace kisrt::app {

namespace {

constexpr const char* picks_usage =
    "usage: kisrt picks import [--db PATH] FILE\n"
    "       kisrt picks show [--db PATH] YYYYMMDD\n"
    "  FILE   JSON or CSV picks (docs/picks.md)\n"
    "  --db   SQLite picks database (default picks.db; import creates it)\n";

} // namespace

int picks_main(int argc, char** argv) {
  std::string db_path = "picks.db";
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db") {
      if (i + 1 >= argc) {
        std::cerr << "kisrt picks: --db needs a value\n" << picks_usage;
        return 2;
      }
      db_path = argv[++i];
    } else if (a == "-h" || a == "--help") {
      std::cout << picks_usage;
      return 0;
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 2 || (args[0] != "import" && args[0] != "show")) {
    std::cerr << picks_usage;
    return 2;
  }
  try {
    if (args[0] == "show") {
      auto date = store::parse_trade_date(args[1]);
      if (date == 0) {
        std::cerr << "kisrt picks show: '" << args[1]
                  << "' is not a date (YYYYMMDD or YYYY-MM-DD)\n";
        return 2;
      }
      store::picks_db db{db_path, false};
      // CSV (RFC 4180): a name with a comma, quote or newline is quoted.
      for (auto& p : db.load(date, 0))
        std::cout << date << ',' << p.rank << ',' << store::csv_escape(p.code)
                  << ',' << store::csv_escape(p.name) << ',' << p.score << ','
                  << store::csv_escape(p.source) << '\n';
      return 0;
    }
    // Bounded: /dev/zero or a huge file is refused, not read into memory.
    std::ifstream in{args[1], std::ios::binary};
    if (!in) {
      std::cerr << "kisrt picks import: cannot read " << args[1] << '\n';
      return 1;
    }
    std::string text(store::max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > store::max_file_bytes) {
      std::cerr << "kisrt picks import: " << args[1] << " is larger than "
                << (store::max_file_bytes >> 20) << " MiB; nothing imported\n";
      return 1;
    }
    std::vector<std::string> errors;
    auto days = store::parse_picks(args[1], text, errors);
    if (!errors.empty()) {
      for (auto& e : errors)
        std::cerr << "kisrt picks import: " << e << '\n';
      std::cerr << "kisrt picks import: nothing imported\n";
      return 1;
    }
    if (days.empty()) {
      std::cerr << "kisrt picks import: " << args[1] << ": no picks\n";
      return 1;
    }
    // All days in one transaction: a crash leaves all old or all new.
    store::picks_db db{db_path, true};
    auto replaced = db.replace_days(days);
    for (auto& [date, picks] : days)
      std::cout << "imported " << picks.size() << " picks for " << date
                << " into " << db_path << " (replaced " << replaced[date]
                << ")\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kisrt picks: " << e.what() << '\n';
    return 1;
  }
}

} // namespace kisrt::app
