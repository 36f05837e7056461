// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.calendar
#include "tests/actors/sources_fixture.hpp"

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "actors/calendar.hpp"
#include "actors/picks_loader.hpp"
#include "actors/scanner.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

struct scripted_calendar : calendar_source {
  scripted<calendar_update> script;
  std::vector<std::int32_t> asked;
  void fetch(std::int32_t date,
             std::function<void(calendar_update)> done) override {
    asked.push_back(date);
    script.fetch(std::move(done));
  }
};

struct listener_state {
  static inline const char* name = "calendar_listener";
};

using update_log = std::shared_ptr<std::vector<calendar_update>>;

calendar_listener_actor::behavior_type
recording_listener(calendar_listener_actor::stateful_pointer<listener_state>,
                   update_log log) {
  return {
      [log](const calendar_update& x) { log->push_back(x); },
  };
}

struct counting_ranking : ranking_source {
  scripted<ranking_snapshot> script;
  void fetch(std::function<void(ranking_snapshot)> done) override {
    script.fetch(std::move(done));
  }
};

struct one_pick : pick_store {
  std::vector<std::int32_t> asked;
  std::vector<pick_entry> load(std::int32_t date, std::size_t,
                               std::string&) override {
    asked.push_back(date);
    return {pick_entry{1, "035420", "", 1.0, "test"}};
  }
};

struct calendar_fixture : sources_fixture {
  std::shared_ptr<scripted_calendar> kis =
      std::make_shared<scripted_calendar>();
  update_log updates = std::make_shared<std::vector<calendar_update>>();
  calendar_listener_actor listener;
  std::optional<calendar_actor> cal;
  std::string cache;

  calendar_fixture() {
    char buf[] = "/tmp/kisrt-calendar-XXXXXX";
    auto* dir = ::mkdtemp(buf);
    CAF_REQUIRE(dir != nullptr);
    cache = std::string{dir} + "/sub/calendar";
    listener = sys.spawn(recording_listener, updates);
  }

  ~calendar_fixture() {
    if (cal)
      anon_send_exit(*cal, caf::exit_reason::user_shutdown);
    anon_send_exit(listener, caf::exit_reason::user_shutdown);
    drain();
    std::remove(cache.c_str());
    std::remove((cache + ".tmp").c_str());
    auto sub = cache.substr(0, cache.rfind('/'));
    ::rmdir(sub.c_str());
    ::rmdir(sub.substr(0, sub.rfind('/')).c_str());
  }

  /// Spawns at 2025-12-24 (Wednesday) `h:m` KST.
  void spawn(int h, int m, trading_calendar overrides = {}) {
    calendar_config cfg;
    cfg.source = kis;
    cfg.kst = kst_at(2025, 12, 24, h, m);
    cfg.calendar = std::move(overrides);
    cfg.cache_path = cache;
    cfg.listeners.push_back(listener);
    cal = sys.spawn(calendar, cfg);
    drain();
  }

  calendar_status status() {
    self->send(*cal, caf::get_atom_v, atom::poll_v);
    drain();
    calendar_status out;
    self->receive([&](calendar_status& x) { out = std::move(x); });
    return out;
  }
};

calendar_update christmas() {
  return {{{20251224, true}, {20251225, false}, {20251226, true}}, false, {}};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(calendar_tests, calendar_fixture)

CAF_TEST(KIS is asked at start and its answer reaches the listeners) {
  spawn(7, 0);
  CAF_REQUIRE_EQUAL(kis->asked.size(), 1u);
  CAF_CHECK_EQUAL(kis->asked[0], 20251224);
  CAF_CHECK(updates->empty());
  kis->script.answer(christmas());
  drain();
  CAF_REQUIRE_EQUAL(updates->size(), 1u);
  CAF_CHECK_EQUAL(updates->at(0).days, christmas().days);
  auto st = status();
  CAF_CHECK_EQUAL(st.today, 20251224);
  CAF_CHECK(st.trading_day);
  CAF_CHECK_EQUAL(st.source, "kis");
  CAF_CHECK(!st.fallback);
  // The next day (Christmas) KIS is asked again at 06:00; until it answers
  // the cached days already say there is no trading.
  advance(23h);
  CAF_CHECK_EQUAL(kis->asked.size(), 2u);
  st = status();
  CAF_CHECK_EQUAL(st.today, 20251225);
  CAF_CHECK(!st.trading_day);
  // The answer went to the cache file.
  std::ifstream in{cache};
  std::string header;
  std::getline(in, header);
  CAF_CHECK_EQUAL(header, "kisrt-calendar 1 20251224");
}

CAF_TEST(a cache asked today is used without calling KIS) {
  std::string err;
  calendar_cache_file f{20251224, christmas().days};
  CAF_REQUIRE(write_calendar_cache(cache, f, err));
  spawn(7, 0);
  CAF_CHECK(kis->asked.empty());
  CAF_REQUIRE_EQUAL(updates->size(), 1u);
  CAF_CHECK_EQUAL(updates->at(0).days, christmas().days);
  CAF_CHECK_EQUAL(status().source, "cache");
  // A cache of an earlier day is used too, but KIS is asked again.
  f.asked_on = 20251223;
  CAF_REQUIRE(write_calendar_cache(cache, f, err));
  anon_send_exit(*cal, caf::exit_reason::user_shutdown);
  updates->clear();
  spawn(7, 0);
  CAF_CHECK_EQUAL(kis->asked.size(), 1u);
  CAF_CHECK_EQUAL(updates->size(), 1u);
}

CAF_TEST(a corrupt cache is ignored) {
  {
    std::string err;
    calendar_cache_file f{20251224, christmas().days};
    CAF_REQUIRE(write_calendar_cache(cache, f, err));
    std::ofstream out{cache, std::ios::app};
    out << "garbage\n";
  }
  std::string err;
  CAF_CHECK(!read_calendar_cache(cache, err));
  CAF_CHECK(!err.empty());
  {
    std::ofstream out{cache, std::ios::trunc};
    out << std::string(calendar_cache_file::max_bytes + 10, 'x');
  }
  err.clear();
  CAF_CHECK(!read_calendar_cache(cache, err));
  CAF_CHECK(err.find("larger") != std::string::npos);
  spawn(7, 0);
  CAF_CHECK_EQUAL(kis->asked.size(), 1u); // asked, not trusted
  CAF_CHECK(updates->empty());
  err.clear();
  CAF_CHECK(!read_calendar_cache(cache + ".absent", err));
  CAF_CHECK(err.empty());
}

CAF_TEST(configured overrides decide the status) {
  trading_calendar c;
  c.holidays.insert(20251224);
  spawn(7, 0, c);
  kis->script.answer(christmas()); // KIS says open; the config says not
  drain();
  auto st = status();
  CAF_CHECK(!st.trading_day);
  CAF_CHECK_EQUAL(st.source, "config");
}

CAF_TEST(KIS down : weekdays and retries with backoff) {
  spawn(7, 0);
  kis->script.answer({{}, true, "chk-holiday: EGW00201"});
  drain();
  auto st = status();
  CAF_CHECK(st.fallback);
  CAF_CHECK(st.trading_day); // a Wednesday
  CAF_CHECK_EQUAL(st.source, "weekdays");
  CAF_CHECK_EQUAL(st.failures, 1u);
  CAF_CHECK_EQUAL(st.last_error, "chk-holiday: EGW00201");
  CAF_CHECK(updates->empty());
  // Retried after 1 min, then 2 min.
  advance(59s);
  CAF_CHECK_EQUAL(kis->asked.size(), 1u);
  advance(1s);
  CAF_CHECK_EQUAL(kis->asked.size(), 2u);
  kis->script.answer({{}, true, "chk-holiday: timeout"});
  drain();
  advance(119s);
  CAF_CHECK_EQUAL(kis->asked.size(), 2u);
  advance(1s);
  CAF_CHECK_EQUAL(kis->asked.size(), 3u);
  kis->script.answer(christmas());
  drain();
  st = status();
  CAF_CHECK(!st.fallback);
  CAF_CHECK_EQUAL(st.failures, 0u);
  CAF_CHECK_EQUAL(updates->size(), 1u);
}

CAF_TEST(the scanner does not poll on a holiday) {
  auto rank = std::make_shared<counting_ranking>();
  scanner_config sc;
  sc.source = rank;
  sc.kst = kst_at(2025, 12, 25, 8, 59); // Thursday, Christmas
  sc.poll_interval = 10s;
  sc.calendar.holidays.insert(20251225);
  auto s = sys.spawn(scanner, sc, arb);
  drain();
  advance(1min); // 09:00
  advance(1h);
  CAF_CHECK_EQUAL(rank->script.fetches, 0);
  // Rankings that arrive anyway give no candidates.
  self->send(s, ranking_snapshot{{{"005930", 9.0, 100000}}, {}});
  drain();
  CAF_CHECK(take<scan_candidates>().empty());
  // KIS says the next day trades: it polls at its opening.
  self->send(s, calendar_update{{{20251226, true}}, false, {}});
  advance(23h);
  CAF_CHECK_EQUAL(rank->script.fetches, 1);
  // Without the holiday the scanner polls on a weekday (the control).
  auto rank2 = std::make_shared<counting_ranking>();
  sc.source = rank2;
  sc.calendar = trading_calendar{};
  sc.kst = kst_clock::at_kst(now(), 2025, 12, 25, 8, 59, 0);
  auto s2 = sys.spawn(scanner, sc, arb);
  drain();
  advance(1min);
  CAF_CHECK_EQUAL(rank2->script.fetches, 1);
  anon_send_exit(s, caf::exit_reason::user_shutdown);
  anon_send_exit(s2, caf::exit_reason::user_shutdown);
  drain();
}

CAF_TEST(picks do not reload on a day without trading) {
  auto store = std::make_shared<one_pick>();
  picks_loader_config pc;
  pc.store = store;
  pc.kst = kst_at(2025, 12, 24, 7, 0); // Wednesday
  auto pl = sys.spawn(picks_loader, pc, arb);
  drain();
  CAF_CHECK_EQUAL(store->asked.size(), 1u); // at start
  // KIS: Christmas has no trading, the 26th does.
  self->send(pl, christmas());
  drain();
  advance(20min); // 07:20 Wednesday: reload
  CAF_CHECK_EQUAL(store->asked.size(), 2u);
  advance(24h); // 07:20 Christmas: none
  CAF_CHECK_EQUAL(store->asked.size(), 2u);
  advance(24h); // 07:20 Friday
  CAF_CHECK_EQUAL(store->asked.size(), 3u);
  CAF_CHECK_EQUAL(store->asked.back(), 20251226);
  anon_send_exit(pl, caf::exit_reason::user_shutdown);
  drain();
}

CAF_TEST_FIXTURE_SCOPE_END()
