// SPDX-License-Identifier: Apache-2.0
// The daily picks database (SQLite), schema in docs/picks.md:
//   daily_picks(trade_date, rank, code, name, score, source)
// kisrt creates the schema on import; readers never create anything.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "messages/sources.hpp"

namespace kisrt::store {

/// The schema kisrt creates (idempotent).
extern const char* const picks_schema;

class picks_db {
public:
  /// Opens `path`. With `create`, a missing file and the schema are
  /// created; without it the file must exist and is opened read-only.
  /// Throws std::runtime_error naming the path and SQLite's reason.
  picks_db(const std::string& path, bool create);
  ~picks_db();
  picks_db(const picks_db&) = delete;
  picks_db& operator=(const picks_db&) = delete;

  /// Picks of `trade_date` (YYYYMMDD), best rank first, at most `limit`
  /// (0: all). Throws std::runtime_error when the table is missing.
  std::vector<pick_entry> load(std::int32_t trade_date, std::size_t limit);

  /// Replaces every pick of `trade_date` with `picks`, in one transaction.
  /// Returns how many rows it replaced.
  std::size_t replace(std::int32_t trade_date,
                      const std::vector<pick_entry>& picks);

  /// Replaces the picks of every day in `days` in ONE transaction: after an
  /// error or a crash (kill -9, power loss) the database holds either all
  /// the old days or all the new ones. Returns how many rows each day
  /// replaced. `progress(n)` runs inside the transaction after the n-th day
  /// is written (tests stop a process there).
  std::map<std::int32_t, std::size_t>
  replace_days(const std::map<std::int32_t, std::vector<pick_entry>>& days,
               const std::function<void(std::size_t)>& progress = {});

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::store
