// SPDX-License-Identifier: Apache-2.0
// The demand sources inside the gateway against its embedded simulator
// (loopback, OS-chosen ports, manual simulator clock): holdings from the
// REST balance and fill notices, picks from SQLite, scanner candidates from
// the rankings. Waits are bounded and driven by slot events; nothing sleeps.
#define CAF_SUITE e2e.sources
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdlib>
#include <functional>
#include <set>
#include <unistd.h>

#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"
#include "store/picks_db.hpp"
#include "tests/e2e/wire_fixture.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

using test::e2e_config;

struct forward_state {
  static inline const char* name = "slot_event_forwarder";
};

// Wakes the probe on every slot event.
slot_observer_actor::behavior_type
forwarder(slot_observer_actor::stateful_pointer<forward_state>,
          caf::actor probe) {
  auto poke = [probe] { caf::anon_send(probe, caf::tick_atom_v); };
  return {
      [poke](const slot_granted&) { poke(); },
      [poke](const slot_active&) { poke(); },
      [poke](const slot_evicted&) { poke(); },
      [poke](const slot_rejected&) { poke(); },
      [poke](const slots_starved&) { poke(); },
      [poke](const session_replayed&) { poke(); },
      [poke](const slot_stale&) { poke(); },
  };
}

constexpr const char* cano = "50000001";

struct fixture {
  std::string dir;
  e2e_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor probe{sys};
  std::unique_ptr<app::gateway> gw;
  app::gateway::source_handles h;
  std::int32_t date = 0;

  fixture() {
    char tmpl[] = "/tmp/kisrt-e2e-sources-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }

  ~fixture() {
    if (gw)
      gw->stop(1s);
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  /// `ttl`: scanner candidate lifetime; `hold`: minimum hold of a scanner
  /// slot; `scan`: scanner poll interval.
  void start(const std::string& ttl = "1h", const std::string& hold = "1h",
             const std::string& scan = "1h") {
    app::config_file cf;
    auto text = "[kis]\nenv = sim\n"
                "[slots]\ncap = 14\np3_min_hold = "
                + hold + "\ncandidate_ttl = " + ttl
                + "\n"
                  "[demand]\nholdings = 005930,000660,035420\n"
                  "[portfolio]\npoll_interval = 1h\n"
                  "[picks]\ndb = "
                + dir + "/picks.db\ntop = 2\n"
                + "[scanner]\nenabled = true\npoll_interval = " + scan
                + "\n"
                  "min_change_pct = -30\nmin_volume = 0\ntop = 10\n"
                  "[sim]\nkst_start = 10:00:00\n[admin]\nlisten = off\n"
                  "[connection]\nin_use_backoff = 1s\nbackoff_min = 100ms\n"
                  "backoff_max = 1s\n";
    auto errs = cf.parse(text, "e2e.conf");
    std::vector<std::string> errors{errs.begin(), errs.end()};
    auto o = app::read_options(
        cf, [](const char*) { return std::optional<std::string>{}; }, errors);
    for (auto& e : errors)
      CAF_FAIL("config: " << e);
    o.sim_manual_clock = true;
    gw = std::make_unique<app::gateway>(o, app::embedded_simulator());
    gw->start(sys);
    h = gw->sources();
    CAF_REQUIRE(h.arbiter && h.portfolio && h.picks && h.scanner);
    auto fw = sys.spawn(forwarder, caf::actor{probe});
    caf::anon_send(*h.arbiter, caf::subscribe_atom_v, fw);
    auto state = gw->simulator()->state_json();
    auto at = state.find("\"kst_date\":");
    CAF_REQUIRE(at != std::string::npos);
    date = std::atoi(state.c_str() + at + 11);
    CAF_REQUIRE_GREATER(date, 20000101);
  }

  slot_snapshot snapshot() {
    slot_snapshot out;
    probe->request(*h.arbiter, 5s, caf::get_atom_v, atom::slots_v)
        .receive(
            [&](slot_snapshot& x) { out = std::move(x); },
            [&](caf::error& e) { CAF_FAIL("arbiter: " << sys.render(e)); });
    return out;
  }

  // Re-checks `pred` on every slot event until it holds or 15 s passed.
  bool wait_for(const std::function<bool(const slot_snapshot&)>& pred) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    for (;;) {
      if (pred(snapshot()))
        return true;
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s)
        return false;
      probe->receive(
          [](caf::tick_atom) {},
          caf::after(
              std::chrono::duration_cast<std::chrono::milliseconds>(left))
              >> [] {});
    }
  }

  static const slot_info* find(const slot_snapshot& s, const std::string& tr,
                               const std::string& code) {
    for (auto& x : s.slots)
      if (x.key.tr_id == tr && x.key.tr_key == code)
        return &x;
    return nullptr;
  }

  static bool active(const slot_snapshot& s, const std::string& tr,
                     const std::string& code) {
    auto x = find(s, tr, code);
    return x && x->state == slot_state::active;
  }

  static bool held(const slot_snapshot& s, const std::string& code) {
    return active(s, "H0STCNT0", code) && active(s, "H0STASP0", code)
           && find(s, "H0STCNT0", code)->level == holding_priority;
  }

  static bool gone(const slot_snapshot& s, const std::string& code) {
    return !find(s, "H0STCNT0", code) && !find(s, "H0STASP0", code);
  }

  static std::size_t count_level(const slot_snapshot& s, priority p) {
    std::size_t n = 0;
    for (auto& x : s.slots)
      n += x.level == p && x.state == slot_state::active ? 1 : 0;
    return n;
  }

  void order(const std::string& side, const std::string& code,
             std::int64_t qty) {
    sim::order_request r;
    r.cano = cano;
    r.code = code;
    r.side = side;
    r.qty = qty;
    auto res = gw->simulator()->place_order(r);
    CAF_REQUIRE_EQUAL(res.status, 200);
    CAF_REQUIRE(res.body.find("accepted") != std::string::npos);
    // Manual clock: the fill notices leave after the fill delay.
    gw->simulator()->advance_time(100ms);
  }

  void picks(std::vector<pick_entry> xs) {
    store::picks_db db{dir + "/picks.db", true};
    db.replace(date, xs);
    caf::anon_send(*h.picks, atom::poll_v);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(e2e_sources_tests, fixture)

CAF_TEST(holdings picks and scanner share the slots by priority) {
  start();
  // Three seeded holdings come from the REST balance; no picks database
  // yet: P2 stays empty, nothing else fails; the scanner fills the rest.
  CAF_CHECK(wait_for([](auto& s) {
    return held(s, "005930") && held(s, "000660") && held(s, "035420");
  }));
  CAF_CHECK(wait_for([](auto& s) {
    return s.sessions.at(0).used == 14 && count_level(s, scan_priority) == 7;
  }));
  // Picks arrive and take a scanner slot (005930 is held: shared).
  picks({{1, "068270", "", 0, "t"}, {2, "005930", "", 0, "t"}});
  CAF_CHECK(wait_for([](auto& s) {
    auto p = find(s, "H0STCNT0", "068270");
    return p && p->state == slot_state::active && p->level == pick_priority
           && s.sessions.at(0).used == 14;
  }));
  // The refresh replaces the pick slots; 005930 is held and keeps its slot.
  auto before = find(snapshot(), "H0STCNT0", "005930")->since;
  picks({{1, "035720", "", 0, "t"}, {2, "005930", "", 0, "t"}});
  CAF_CHECK(wait_for([](auto& s) {
    return active(s, "H0STCNT0", "035720")
           && (!find(s, "H0STCNT0", "068270")
               || find(s, "H0STCNT0", "068270")->level == scan_priority);
  }));
  auto snap = snapshot();
  CAF_CHECK(held(snap, "005930"));
  CAF_CHECK_EQUAL(find(snap, "H0STCNT0", "005930")->since, before);
}

CAF_TEST(fills change holdings at once and selling out unsubscribes) {
  start();
  CAF_CHECK(wait_for([](auto& s) { return held(s, "005930"); }));
  CAF_CHECK(wait_for([](auto& s) { return s.sessions.at(0).used == 14; }));
  // A buy fill: the holding's slots come from the notice, long before the
  // next balance poll (an hour away), evicting scanner slots for room.
  order("buy", "051910", 10);
  CAF_CHECK(wait_for([](auto& s) { return held(s, "051910"); }));
  auto s1 = snapshot();
  CAF_CHECK_EQUAL(s1.sessions.at(0).used, 14u);
  CAF_CHECK_EQUAL(count_level(s1, scan_priority), 5u);
  // Partial sells lower the position; the last one removes it.
  order("sell", "051910", 4);
  order("sell", "051910", 6);
  CAF_CHECK(wait_for([](auto& s) { return gone(s, "051910"); }));
  order("sell", "000660", 10);
  CAF_CHECK(wait_for([](auto& s) {
    auto x = find(s, "H0STASP0", "000660");
    return !x && !held(s, "000660");
  }));
  // A balance poll agrees with the notices: nothing comes back.
  caf::anon_send(*h.portfolio, atom::poll_v);
  balance_snapshot pos;
  for (int i = 0; i < 50 && pos.rows.size() != 2; ++i)
    probe->request(*h.portfolio, 5s, caf::get_atom_v, atom::holdings_v)
        .receive([&](balance_snapshot& x) { pos = std::move(x); },
                 [](caf::error&) {});
  CAF_CHECK_EQUAL(pos.rows,
                  (std::vector<holding_qty>{{"005930", 10}, {"035420", 10}}));
  CAF_CHECK(wait_for([](auto& s) { return gone(s, "051910"); }));
}

CAF_TEST(a reconnect polls the balance for fills the notices missed) {
  start();
  CAF_CHECK(wait_for([](auto& s) { return held(s, "005930"); }));
  auto& simu = *gw->simulator();
  CAF_REQUIRE_EQUAL(simu.inject_fault(R"({"kind":"drop"})").status, 200);
  CAF_CHECK(wait_for([](auto& s) { return !s.sessions.at(0).up; }));
  // Bought while nobody listens: the notices are lost.
  order("buy", "051910", 10);
  CAF_CHECK(gw->simulator()->state_json().find("\"lost\":0")
            == std::string::npos);
  // The simulator frees the app key (5 s hold); the connection comes back,
  // the arbiter replays, portfolio_sync polls and finds the new holding.
  simu.advance_time(6s);
  CAF_CHECK(wait_for([](auto& s) { return held(s, "051910"); }));
}

CAF_TEST(stale scanner slots are recycled after the minimum hold) {
  // The scanner polls every second; a surge not seen for 2 s lapses.
  start("2s", "1s", "1s");
  std::set<std::string> first;
  CAF_CHECK(wait_for([&](auto& s) {
    first.clear();
    for (auto& x : s.slots)
      if (x.level == scan_priority && x.state == slot_state::active)
        first.insert(x.key.tr_key);
    return first.size() == 7;
  }));
  // Half an hour later the market moved: the polls bring other surges,
  // which wait until the old slots lapse and pass their minimum hold.
  gw->simulator()->advance_time(30min);
  CAF_CHECK(wait_for([&](auto& s) {
    std::size_t fresh = 0;
    std::size_t scan = 0;
    for (auto& x : s.slots)
      if (x.level == scan_priority && x.state == slot_state::active) {
        ++scan;
        fresh += first.count(x.key.tr_key) == 0 ? 1 : 0;
      }
    return fresh > 0 && scan + 7 == s.sessions.at(0).used;
  }));
}

CAF_TEST_FIXTURE_SCOPE_END()
