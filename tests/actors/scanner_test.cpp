// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.scanner
#include "tests/actors/sources_fixture.hpp"

#include "actors/scanner.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

struct scripted_ranking : ranking_source {
  scripted<ranking_snapshot> script;
  void fetch(std::function<void(ranking_snapshot)> done) override {
    script.fetch(std::move(done));
  }
};

scan_filter filter() {
  scan_filter f;
  f.min_change_pct = 3.0;
  f.min_volume = 1000;
  f.exclude = {"009999"};
  f.top_k = 2;
  f.expire_after = 5min;
  return f;
}

using rows = std::vector<ranking_entry>;

struct scanner_fixture : sources_fixture {
  std::shared_ptr<scripted_ranking> rank = std::make_shared<scripted_ranking>();
  scanner_actor sc;

  /// Spawns at Monday 2025-01-06 `h:m` KST.
  void spawn(int h, int m) {
    scanner_config cfg;
    cfg.source = rank;
    cfg.kst = kst_at(2025, 1, 6, h, m);
    cfg.poll_interval = 10s;
    cfg.filter = filter();
    sc = sys.spawn(scanner, cfg, arb);
    drain();
  }

  ~scanner_fixture() {
    anon_send_exit(sc, caf::exit_reason::user_shutdown);
    drain();
  }

  scan_candidates current() {
    self->send(sc, caf::get_atom_v, atom::candidates_v);
    drain();
    scan_candidates out;
    self->receive([&](scan_candidates& x) { out = std::move(x); });
    return out;
  }

  std::vector<std::string> symbols(const scan_candidates& x) {
    std::vector<std::string> out;
    for (auto& c : x.items)
      out.push_back(c.symbol);
    return out;
  }
};

using strs = std::vector<std::string>;

} // namespace

CAF_TEST(core : filters and scores ranking rows) {
  scanner_core c{filter()};
  c.set_holdings(holding_set{{"000660"}});
  c.set_picks(pick_list{{"035420"}});
  mono_time t{1h};
  auto out = c.scan(rows{{"005930", 5.0, 10000},
                         {"000660", 9.0, 10000},  // held
                         {"035420", 9.0, 10000},  // picked
                         {"009999", 9.0, 10000},  // excluded
                         {"068270", 2.9, 10000},  // too little change
                         {"035720", 8.0, 999},    // too little volume
                         {"005380", 7.0, 100000}, // best
                         {"051910", 4.0, 5000}},
                    t);
  CAF_REQUIRE_EQUAL(out.items.size(), 2u);
  CAF_CHECK_EQUAL(out.items[0].symbol, "005380");
  CAF_CHECK_EQUAL(out.items[0].score, 7.0 + 5.0);
  CAF_CHECK_EQUAL(out.items[0].seen, t);
  CAF_CHECK_EQUAL(out.items[1].symbol, "005930");
  // A position bought later stops being a candidate.
  c.set_position(position_update{"005380", 10});
  CAF_CHECK_EQUAL(c.current(t).items.size(), 1u);
  // Candidates expire when nobody sees them again.
  CAF_CHECK_EQUAL(c.current(t + 5min).items.size(), 0u);
}

CAF_TEST_FIXTURE_SCOPE(scanner_actor_tests, scanner_fixture)

CAF_TEST(polls only during market hours) {
  spawn(8, 59);
  CAF_CHECK_EQUAL(rank->script.fetches, 0);
  advance(1min); // 09:00
  CAF_CHECK_EQUAL(rank->script.fetches, 1);
  rank->script.answer({rows{{"005930", 5.0, 10000}}, {}});
  drain();
  auto xs = take<scan_candidates>();
  CAF_REQUIRE_EQUAL(xs.size(), 1u);
  CAF_CHECK_EQUAL(symbols(xs[0]), strs{"005930"});
  CAF_CHECK_EQUAL(xs[0].items[0].seen, now());
  advance(10s);
  CAF_CHECK_EQUAL(rank->script.fetches, 2);
  // No second poll while one is in flight.
  advance(10s);
  CAF_CHECK_EQUAL(rank->script.fetches, 2);
  rank->script.answer({{}, "EGW00201"});
  drain();
  CAF_CHECK(take<scan_candidates>().empty());
  // Jump to 15:29:50: one more poll, then the close.
  advance(6h + 29min + 30s);
  CAF_CHECK_EQUAL(rank->script.fetches, 3);
  rank->script.answer({rows{}, {}});
  drain();
  advance(10s); // 15:30:00: closed
  CAF_CHECK_EQUAL(rank->script.fetches, 3);
  // The next tick is Tuesday 09:00.
  advance(17h + 29min + 59s);
  CAF_CHECK_EQUAL(rank->script.fetches, 3);
  advance(1s);
  CAF_CHECK_EQUAL(rank->script.fetches, 4);
}

CAF_TEST(held and picked symbols are skipped and stale surges expire) {
  spawn(10, 0);
  self->send(sc, holding_set{{"000660"}});
  self->send(sc, pick_list{{"035420"}});
  drain();
  rank->script.answer({rows{{"000660", 9.0, 10000},
                            {"035420", 9.0, 10000},
                            {"005930", 5.0, 10000}},
                       {}});
  drain();
  CAF_CHECK_EQUAL(symbols(take<scan_candidates>().at(0)), strs{"005930"});
  // Later polls stop listing it: it lapses after the expiry.
  for (int i = 0; i < 30; ++i) {
    advance(10s);
    rank->script.answer({rows{}, {}});
    drain();
  }
  CAF_CHECK(take<scan_candidates>().empty());
  CAF_CHECK(current().items.empty());
}

CAF_TEST(rankings arrive as messages) {
  scanner_config cfg;
  cfg.kst = kst_at(2025, 1, 6, 10, 0);
  cfg.filter = filter();
  sc = sys.spawn(scanner, cfg, arb);
  drain();
  self->send(sc, ranking_snapshot{rows{{"005930", 5.0, 10000}}, {}});
  drain();
  CAF_CHECK_EQUAL(symbols(take<scan_candidates>().at(0)), strs{"005930"});
  CAF_CHECK_EQUAL(symbols(current()), strs{"005930"});
}

CAF_TEST(a zero poll interval means no timer) {
  scanner_config cfg;
  cfg.source = rank;
  cfg.kst = kst_at(2025, 1, 6, 10, 0);
  cfg.poll_interval = mono_time{0};
  cfg.filter = filter();
  sc = sys.spawn(scanner, cfg, arb);
  drain();
  CAF_CHECK_EQUAL(rank->script.fetches, 1);
  CAF_CHECK(!sched.has_pending_timeout());
  rank->script.answer({rows{}, {}});
  drain();
  self->send(sc, atom::poll_v);
  drain();
  CAF_CHECK_EQUAL(rank->script.fetches, 2);
}

CAF_TEST_FIXTURE_SCOPE_END()
