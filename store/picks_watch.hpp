// SPDX-License-Identifier: Apache-2.0
// Notices changes of the picks database while the gateway runs: SQLite's
// `PRAGMA data_version` on one read-only connection kept open (it changes
// when another connection, such as `kisrt picks import`, commits), and the
// file's identity (a database created, replaced or removed later).
#pragma once

#include <memory>
#include <string>

namespace kisrt::store {

class picks_watch {
public:
  explicit picks_watch(std::string path);
  ~picks_watch();
  picks_watch(const picks_watch&) = delete;
  picks_watch& operator=(const picks_watch&) = delete;

  /// True when the database may have changed since the previous call.
  /// The first call only takes the baseline (false). Never throws: a
  /// database it cannot read counts as absent.
  bool changed();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::store
