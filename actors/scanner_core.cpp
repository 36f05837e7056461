// SPDX-License-Identifier: Apache-2.0
#include "actors/scanner_core.hpp"

#include <algorithm>
#include <cmath>

namespace kisrt {

namespace {

void best_first(std::vector<scan_candidate>& xs) {
  std::sort(xs.begin(), xs.end(), [](auto& a, auto& b) {
    return a.score != b.score ? a.score > b.score : a.symbol < b.symbol;
  });
}

} // namespace

void scanner_core::set_holdings(const holding_set& x) {
  held_ = {x.symbols.begin(), x.symbols.end()};
}

void scanner_core::set_position(const position_update& x) {
  if (x.quantity > 0)
    held_.insert(x.symbol);
  else
    held_.erase(x.symbol);
}

void scanner_core::set_picks(const pick_list& x) {
  picked_ = {x.symbols.begin(), x.symbols.end()};
}

double scanner_core::score(const ranking_entry& r) noexcept {
  return r.change_pct
         + std::log10(static_cast<double>(std::max<std::int64_t>(1, r.volume)));
}

bool scanner_core::qualifies(const ranking_entry& r) const {
  return r.code.size() == 6 && r.change_pct >= filter_.min_change_pct
         && r.volume >= filter_.min_volume && filter_.exclude.count(r.code) == 0
         && held_.count(r.code) == 0 && picked_.count(r.code) == 0;
}

scan_candidates scanner_core::scan(const std::vector<ranking_entry>& rows,
                                   mono_time now) {
  std::map<std::string, scan_candidate> best;
  for (auto& r : rows) {
    if (!qualifies(r))
      continue;
    // Both rankings may list a code: keep its best score.
    auto s = score(r);
    auto [i, fresh] = best.emplace(r.code, scan_candidate{r.code, s, now});
    if (!fresh && s > i->second.score)
      i->second.score = s;
  }
  std::vector<scan_candidate> xs;
  for (auto& [code, c] : best)
    xs.push_back(c);
  best_first(xs);
  if (xs.size() > filter_.top_k)
    xs.resize(filter_.top_k);
  for (auto& c : xs)
    known_[c.symbol] = c;
  return {std::move(xs)};
}

scan_candidates scanner_core::current(mono_time now) {
  std::vector<scan_candidate> xs;
  for (auto i = known_.begin(); i != known_.end();) {
    auto& c = i->second;
    if (now - c.seen >= filter_.expire_after || held_.count(c.symbol) != 0
        || picked_.count(c.symbol) != 0) {
      i = known_.erase(i);
    } else {
      xs.push_back(c);
      ++i;
    }
  }
  best_first(xs);
  return {std::move(xs)};
}

} // namespace kisrt
