// SPDX-License-Identifier: Apache-2.0
// Picks written while the gateway runs (picks.poll): the loader asks its
// store every poll interval whether it changed and reloads today's picks.
#define CAF_SUITE sources.picks_poll
#include "tests/actors/sources_fixture.hpp"

#include <map>

#include "actors/picks_loader.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

pick_entry pk(std::int32_t rank, std::string code) {
  return pick_entry{rank, std::move(code), "", 1.0, "test"};
}

/// A store an analyzer writes to: `write` stores a day and marks the store
/// changed, as SQLite's data_version would after another connection's commit.
struct written_store : pick_store {
  std::map<std::int32_t, std::vector<pick_entry>> days;
  bool dirty = false;
  int changed_calls = 0;
  std::vector<std::int32_t> asked;
  std::vector<pick_entry> load(std::int32_t date, std::size_t limit,
                               std::string&) override {
    asked.push_back(date);
    auto xs = days[date];
    if (xs.size() > limit)
      xs.resize(limit);
    return xs;
  }
  bool changed() override {
    ++changed_calls;
    auto was = dirty;
    dirty = false;
    return was;
  }
  void write(std::int32_t date, std::vector<pick_entry> xs) {
    days[date] = std::move(xs);
    dirty = true;
  }
};

struct poll_fixture : sources_fixture {
  std::shared_ptr<written_store> store = std::make_shared<written_store>();
  picks_loader_actor pl;

  /// Spawns at Monday 2025-01-06 `h:m` KST, polling every `poll`.
  void spawn(int h, int m, mono_time poll) {
    picks_loader_config cfg;
    cfg.store = store;
    cfg.kst = kst_at(2025, 1, 6, h, m);
    cfg.top_n = 5;
    cfg.poll = poll;
    pl = sys.spawn(picks_loader, cfg, arb);
    drain();
  }

  ~poll_fixture() {
    anon_send_exit(pl, caf::exit_reason::user_shutdown);
    drain();
  }
};

using pl_t = pick_list;

} // namespace

CAF_TEST_FIXTURE_SCOPE(picks_poll_tests, poll_fixture)

CAF_TEST(picks imported at 07 : 40 are sent within the poll interval) {
  spawn(7, 20, 10s); // the 07:20 load finds nothing
  CAF_CHECK_EQUAL(take<pl_t>(), std::vector<pl_t>{pl_t{}});
  // The baseline was taken before the first load.
  CAF_CHECK_EQUAL(store->changed_calls, 1);
  advance(20min); // 07:40: polls found nothing to reload
  CAF_CHECK(take<pl_t>().empty());
  CAF_CHECK_EQUAL(store->asked.size(), 1u);
  // The analyzer finishes: rows for today, written at 07:40:00.
  store->write(20250106, {pk(1, "005930"), pk(2, "000660")});
  advance(9s);
  CAF_CHECK(take<pl_t>().empty());
  advance(1s); // the next poll, 10 s after the last one
  CAF_CHECK_EQUAL(take<pl_t>(),
                  (std::vector<pl_t>{pl_t{{"005930", "000660"}}}));
  CAF_CHECK_EQUAL(store->asked,
                  (std::vector<std::int32_t>{20250106, 20250106}));
  // Unchanged afterwards: no more loads.
  advance(1min);
  CAF_CHECK(take<pl_t>().empty());
  CAF_CHECK_EQUAL(store->asked.size(), 2u);
}

CAF_TEST(without a poll interval the store is never asked) {
  spawn(7, 20, 0s);
  take<pl_t>();
  store->write(20250106, {pk(1, "005930")});
  advance(1h);
  CAF_CHECK_EQUAL(store->changed_calls, 0);
  CAF_CHECK(take<pl_t>().empty());
  // A reload (POST /picks/reload sends this) picks them up at once.
  self->send(pl, atom::poll_v);
  drain();
  CAF_CHECK_EQUAL(take<pl_t>(), std::vector<pl_t>{pl_t{{"005930"}}});
}

CAF_TEST_FIXTURE_SCOPE_END()
