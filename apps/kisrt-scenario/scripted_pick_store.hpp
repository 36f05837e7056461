// SPDX-License-Identifier: Apache-2.0
// The picks "database" of a scenario: a `picks` line replaces its content,
// so the picks loader's daily 07:20 reload reads what the script said last.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "actors/picks_loader.hpp"
#include "apps/kisrt-scenario/script.hpp"

namespace kisrt::scenario {

class scripted_pick_store : public pick_store {
public:
  /// Replaces the table with the codes of a `picks` line, ranked 1, 2, ...
  /// Returns them as a pick set for today (trade date 0).
  pick_set set(const statement& st) {
    pick_set out;
    for (auto& w : st.args) {
      pick_entry e;
      e.rank = static_cast<std::int32_t>(out.picks.size() + 1);
      e.code = w.text;
      e.source = "scenario";
      out.picks.push_back(std::move(e));
    }
    std::lock_guard<std::mutex> guard{mx_};
    picks_ = out.picks;
    return out;
  }

  std::vector<pick_entry> load(std::int32_t, std::size_t limit,
                               std::string&) override {
    std::lock_guard<std::mutex> guard{mx_};
    auto n = std::min(limit, picks_.size());
    return {picks_.begin(), picks_.begin() + static_cast<std::ptrdiff_t>(n)};
  }

private:
  std::mutex mx_;
  std::vector<pick_entry> picks_;
};

} // namespace kisrt::scenario
