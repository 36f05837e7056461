// SPDX-License-Identifier: Apache-2.0
// The scanner's filter and score, without a mailbox: ranking rows in,
// scored candidates out, already held or picked symbols skipped.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "messages/demand.hpp"
#include "messages/sources.hpp"

namespace kisrt {

struct scan_filter {
  double min_change_pct = 3.0; ///< prdy_ctrt at least this
  std::int64_t min_volume = 100'000;
  std::set<std::string> exclude; ///< never candidates
  std::size_t top_k = 10;        ///< most candidates per poll
  /// A candidate not seen qualifying for this long is dropped.
  mono_time expire_after = std::chrono::minutes{5};
};

class scanner_core {
public:
  explicit scanner_core(scan_filter f)
      : filter_(std::move(f)) {
    // nop
  }

  void set_holdings(const holding_set& x);
  void set_position(const position_update& x);
  void set_picks(const pick_list& x);

  /// Score of a qualifying row: change % plus log10 of the volume, so the
  /// change decides and volume breaks near-ties.
  static double score(const ranking_entry& r) noexcept;

  /// Filters and scores `rows` seen at `now`; returns the best `top_k`
  /// (best first, `seen` = now) and remembers them.
  scan_candidates scan(const std::vector<ranking_entry>& rows, mono_time now);

  /// Remembered candidates not yet expired at `now`, best first; expired
  /// ones are forgotten.
  scan_candidates current(mono_time now);

private:
  bool qualifies(const ranking_entry& r) const;

  scan_filter filter_;
  std::set<std::string> held_;
  std::set<std::string> picked_;
  std::map<std::string, scan_candidate> known_;
};

} // namespace kisrt
