// SPDX-License-Identifier: Apache-2.0
// Price snapshots on real sockets against the embedded simulator: a pick
// that becomes active gets its REST price before its first trade, equal to
// the simulator's price at that moment; a burst of keys never pushes REST
// past the app key's rate (the simulator's EGW00201 counter stays empty).
#define CAF_SUITE e2e.snapshots
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <map>
#include <optional>
#include <set>

#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"
#include "tests/actors/stubs.hpp"
#include "tests/e2e/wire_fixture.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

struct fixture {
  test::e2e_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor probe{sys};
  std::vector<caf::actor> spawned;
  std::unique_ptr<app::gateway> gw;

  ~fixture() {
    if (gw)
      gw->stop(std::chrono::milliseconds{500});
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }

  // A gateway on its embedded simulator; `manual`: the simulator's clock
  // moves only when the test says so.
  void start(std::vector<std::string> sets, bool manual) {
    app::config_file cf;
    cf.set("kis.sim=true");
    cf.set("admin.listen=off");
    cf.set("sim.kst_start=10:00:00");
    for (auto& s : sets)
      CAF_REQUIRE(!cf.set(s));
    std::vector<std::string> errors;
    auto opts = app::read_options(
        cf, [](const char*) -> std::optional<std::string> { return {}; },
        errors);
    for (auto& e : errors)
      CAF_FAIL("config: " << e);
    opts.sim_manual_clock = manual;
    gw = std::make_unique<app::gateway>(opts, app::embedded_simulator());
    gw->start(sys);
  }

  // A listener of `key` (empty: of everything) at the hub, forwarding to
  // the probe.
  void listen(const std::optional<slot_key>& key) {
    auto lis = sys.spawn(test::listener_stub, caf::actor{probe});
    spawned.push_back(caf::actor_cast<caf::actor>(lis));
    if (key)
      caf::anon_send(gw->handles().hub, caf::subscribe_atom_v,
                     market_listener_actor{lis}, *key);
    else
      caf::anon_send(gw->handles().hub, caf::subscribe_atom_v,
                     market_listener_actor{lis});
    // The hub answers in mailbox order: once it answers, the listener is
    // subscribed.
    bool done = false;
    probe->request(gw->handles().hub, 10s, caf::get_atom_v, atom::stats_v)
        .receive([&](const hub_counters&) { done = true; },
                 [](const caf::error&) {});
    CAF_REQUIRE(done);
  }

  // Demand after the listener: the picks, as the picks loader would send.
  void pick(std::vector<std::string> codes) {
    caf::anon_send(gw->handles().arbiter, pick_list{std::move(codes)});
  }
};

// `"name":N` inside the JSON object `"obj":{...}` of `text`, or -1.
long member(const std::string& text, const std::string& obj,
            const std::string& name) {
  auto at = text.find("\"" + obj + "\":{");
  if (at == std::string::npos)
    return -1;
  auto end = text.find('}', at);
  auto n = text.find("\"" + name + "\":", at);
  if (n == std::string::npos || n > end)
    return -1;
  return std::strtol(text.c_str() + n + name.size() + 3, nullptr, 10);
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(e2e_snapshots_tests, fixture)

CAF_TEST(a pick gets its snapshot before its first trade at the sim price) {
  // No portfolio, no scanner: one pick and the notice. The simulator's
  // clock stands still, so no trade happens until the test moves it.
  start({"portfolio.enabled=off"}, true);
  const slot_key key{"H0STCNT0", "035420"};
  listen(key);
  pick({"035420"});
  auto snap = test::next_of<snapshot_event>(probe, 20s);
  CAF_REQUIRE(snap);
  CAF_CHECK_EQUAL(snap->tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(snap->session, 0u);
  CAF_CHECK_EQUAL(snap->data.symbol, "035420");
  CAF_CHECK(snap->data.snapshot);
  // Its time is the gateway's KST, which started at the simulator's 10:00.
  CAF_CHECK_EQUAL(snap->data.time.h, 10);
  CAF_CHECK_EQUAL(snap->data.time.m, 0);
  // The simulator's price of the key at that moment (its clock has not
  // moved since).
  auto state = gw->simulator()->state_json();
  auto price = member(state, "prices", "035420");
  CAF_REQUIRE_GREATER(price, 0);
  CAF_CHECK_EQUAL(snap->data.price.raw, price * kis::fixed4::scale);
  CAF_CHECK_GREATER(snap->data.cum_volume, -1);
  // Now trades: the first one comes after the snapshot (the probe got the
  // snapshot first, and no trade of the key before it).
  // Time moves a second at a time until the pick trades (each step is
  // one market tick of the simulator).
  std::optional<trade_event> first;
  for (int i = 0; i < 100 && !first; ++i) {
    gw->simulator()->advance_time(1s);
    first = test::next_of<trade_event>(probe, 200ms);
  }
  CAF_REQUIRE(first);
  CAF_CHECK_EQUAL(first->data.symbol, "035420");
}

CAF_TEST(a burst of snapshots stays within the REST rate) {
  // 30 picks become active within a second; at 20 requests/s a fetch
  // without the limiter would get EGW00201 from the simulator.
  start({"portfolio.enabled=off", "rest.rate=20"}, false);
  listen(std::nullopt);
  pick({"005930", "000660", "035420", "051910", "005380", "068270",
        "105560", "055550", "035720", "000270", "012330", "066570",
        "003550", "017670", "030200", "096770", "034730", "015760",
        "032830", "086790", "251270", "323410", "377300", "352820",
        "011170", "010950", "024110", "000810", "009540", "042660"});
  std::set<std::string> got;
  while (got.size() < 30) {
    auto snap = test::next_of<snapshot_event>(probe, 20s);
    if (!snap)
      break;
    CAF_CHECK_GREATER(snap->data.price.raw, 0);
    got.insert(snap->data.symbol);
  }
  CAF_CHECK_EQUAL(got.size(), 30u);
  auto state = gw->simulator()->state_json();
  CAF_CHECK_EQUAL(member(state, "refused", "EGW00201"), -1);
  CAF_CHECK_EQUAL(member(state, "calls", "FHKST01010100"), 30);
}

CAF_TEST_FIXTURE_SCOPE_END()
