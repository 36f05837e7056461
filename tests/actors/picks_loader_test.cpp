// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.picks
#include "tests/actors/sources_fixture.hpp"

#include <map>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "actors/picks_loader.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

pick_entry pk(std::int32_t rank, std::string code) {
  return pick_entry{rank, std::move(code), "", 1.0, "test"};
}

struct map_store : pick_store {
  std::map<std::int32_t, std::vector<pick_entry>> days;
  std::string problem; ///< non-empty: every load fails with it
  std::vector<std::int32_t> asked;
  std::vector<pick_entry> load(std::int32_t date, std::size_t limit,
                               std::string& warning) override {
    asked.push_back(date);
    if (!problem.empty()) {
      warning = problem;
      return {};
    }
    auto xs = days[date];
    if (xs.size() > limit)
      xs.resize(limit);
    return xs;
  }
};

struct picks_fixture : sources_fixture {
  std::shared_ptr<map_store> store = std::make_shared<map_store>();
  picks_loader_actor pl;

  /// Spawns at Monday 2025-01-06 `h:m` KST.
  void spawn(int h, int m, std::size_t top_n = 3) {
    picks_loader_config cfg;
    cfg.store = store;
    cfg.kst = kst_at(2025, 1, 6, h, m);
    cfg.top_n = top_n;
    pl = sys.spawn(picks_loader, cfg, arb);
    drain();
  }

  ~picks_fixture() {
    anon_send_exit(pl, caf::exit_reason::user_shutdown);
    drain();
  }

  pick_set current() {
    self->send(pl, caf::get_atom_v, atom::picks_v);
    drain();
    pick_set out;
    self->receive([&](pick_set& x) { out = std::move(x); });
    return out;
  }
};

using pl_t = pick_list;

/// Captures spdlog's default logger while alive.
struct log_capture {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> before = spdlog::default_logger();
  log_capture() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(text);
    sink->set_pattern("%l %v");
    auto lg = std::make_shared<spdlog::logger>("capture", sink);
    lg->set_level(spdlog::level::trace);
    spdlog::set_default_logger(lg);
  }
  ~log_capture() { spdlog::set_default_logger(before); }
};

} // namespace

CAF_TEST(top_picks keeps the best ranks and drops bad codes) {
  auto xs = top_picks({pk(3, "000660"), pk(1, "005930"), pk(2, "59305"),
                       pk(4, "005930"), pk(5, "035420")},
                      3);
  CAF_REQUIRE_EQUAL(xs.size(), 3u);
  CAF_CHECK_EQUAL(xs[0].code, "005930");
  CAF_CHECK_EQUAL(xs[1].code, "000660");
  CAF_CHECK_EQUAL(xs[1].rank, 2);
  CAF_CHECK_EQUAL(xs[2].code, "035420");
}

CAF_TEST_FIXTURE_SCOPE(picks_actor, picks_fixture)

CAF_TEST(start loads today and 07 : 20 refreshes the next day) {
  store->days[20250106] = {pk(1, "005930"), pk(2, "000660"), pk(3, "035420"),
                           pk(4, "068270")};
  store->days[20250107] = {pk(1, "035720"), pk(2, "005930")};
  spawn(6, 0);
  CAF_CHECK_EQUAL(take<pl_t>(),
                  (std::vector<pl_t>{pl_t{{"005930", "000660", "035420"}}}));
  CAF_CHECK_EQUAL(current().trade_date, 20250106);
  // 07:20 the same day: a reload of Monday's picks.
  advance(1h + 20min);
  CAF_CHECK_EQUAL(store->asked,
                  (std::vector<std::int32_t>{20250106, 20250106}));
  take<pl_t>();
  // Nothing across 09:00 and 15:30.
  advance(9h);
  CAF_CHECK(take<pl_t>().empty());
  // Tuesday 07:20: Tuesday's picks replace Monday's.
  advance(15h);
  CAF_CHECK_EQUAL(take<pl_t>(),
                  (std::vector<pl_t>{pl_t{{"035720", "005930"}}}));
  CAF_CHECK_EQUAL(current().trade_date, 20250107);
}

CAF_TEST(a malformed code in the database is skipped with a log line) {
  // Overseas keys are picks too; a malformed code is named in the log
  // (quoted: it cannot forge a line) and never reaches the arbiter.
  store->days[20250106] = {pk(1, "DNASAAPL"), pk(2, "AAPL\nx"),
                           pk(3, "RBAQAAPL"), pk(4, "005930")};
  log_capture log;
  spawn(6, 0, 5);
  CAF_CHECK_EQUAL(take<pl_t>(), (std::vector<pl_t>{
                                    pl_t{{"DNASAAPL", "RBAQAAPL", "005930"}}}));
  auto text = log.text.str();
  CAF_CHECK(text.find("warning picks_loader: skipped pick 'AAPL\\x0ax': not "
                      "a 6-character stock code nor an overseas key")
            != std::string::npos);
  CAF_CHECK(text.find("skipped pick 'DNASAAPL'") == std::string::npos);
  CAF_CHECK(text.find("skipped pick 'RBAQAAPL'") == std::string::npos);
}

CAF_TEST(no picks or no database leaves P2 empty) {
  spawn(8, 0);
  CAF_CHECK_EQUAL(take<pl_t>(), std::vector<pl_t>{pl_t{}});
  store->problem = "picks database /nowhere/picks.db: unable to open";
  self->send(pl, atom::poll_v);
  drain();
  CAF_CHECK_EQUAL(take<pl_t>(), std::vector<pl_t>{pl_t{}});
  CAF_CHECK(current().picks.empty());
}

CAF_TEST(the weekend has no refresh) {
  // Friday 2025-01-10 08:00.
  picks_loader_config cfg;
  cfg.store = store;
  cfg.kst = kst_at(2025, 1, 10, 8, 0);
  pl = sys.spawn(picks_loader, cfg, arb);
  drain();
  CAF_CHECK_EQUAL(store->asked.size(), 1u);
  advance(23h + 20min); // Saturday 07:20
  advance(24h);         // Sunday 07:20
  CAF_CHECK_EQUAL(store->asked.size(), 1u);
  advance(24h); // Monday 07:20
  CAF_CHECK_EQUAL(store->asked,
                  (std::vector<std::int32_t>{20250110, 20250113}));
}

CAF_TEST(picks arrive as a message from another actor) {
  store->days[20250106] = {pk(1, "005930")};
  spawn(8, 0);
  take<pl_t>();
  self->send(pl, pick_set{20250106,
                          {pk(2, "000660"), pk(1, "035420"), pk(3, "BAD"),
                           pk(4, "068270"), pk(5, "005380")}});
  drain();
  CAF_CHECK_EQUAL(take<pl_t>(),
                  (std::vector<pl_t>{pl_t{{"035420", "000660", "068270"}}}));
  // Another day's picks are not today's.
  self->send(pl, pick_set{20250105, {pk(1, "005930")}});
  drain();
  CAF_CHECK(take<pl_t>().empty());
  // Date 0 means today.
  self->send(pl, pick_set{0, {pk(1, "005930")}});
  drain();
  CAF_CHECK_EQUAL(take<pl_t>(), std::vector<pl_t>{pl_t{{"005930"}}});
}

CAF_TEST(without an anchor the loader starts at the opening like the arbiter) {
  // The arbiter and the scanner take an unanchored spawn time as Monday
  // 2000-01-03 09:00 KST; the loader agrees, so its first refresh is the
  // next 07:20, 22 h 20 min later.
  picks_loader_config cfg;
  cfg.store = store;
  pl = sys.spawn(picks_loader, cfg, arb);
  drain();
  CAF_CHECK_EQUAL(store->asked, (std::vector<std::int32_t>{20000103}));
  advance(22h + 20min);
  CAF_CHECK_EQUAL(store->asked,
                  (std::vector<std::int32_t>{20000103, 20000104}));
}

CAF_TEST(without the daily refresh only polls reload) {
  picks_loader_config cfg;
  cfg.store = store;
  cfg.kst = kst_at(2025, 1, 6, 7, 0);
  cfg.daily_refresh = false;
  pl = sys.spawn(picks_loader, cfg, arb);
  drain();
  advance(48h);
  CAF_CHECK_EQUAL(store->asked.size(), 1u);
  self->send(pl, atom::poll_v);
  drain();
  CAF_CHECK_EQUAL(store->asked,
                  (std::vector<std::int32_t>{20250106, 20250108}));
}

CAF_TEST_FIXTURE_SCOPE_END()
