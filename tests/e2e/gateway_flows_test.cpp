// SPDX-License-Identifier: Apache-2.0
// Gateway flows on real sockets against the simulator on loopback: a stall
// and the idle watchdog, an encrypted notice to a fill event, a 1 MiB
// batched frame, two app keys sharing the cap, PINGPONG over several
// intervals. Waits are bounded receives or the simulator's manual clock;
// nothing sleeps.
#define CAF_SUITE e2e.gateway_flows
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <map>
#include <set>

#include "actors/connection.hpp"
#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"
#include "tests/actors/stubs.hpp"
#include "tests/e2e/wire_fixture.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

// Forwards slot events to a probe (the scoped actor of the test).
slot_observer_actor::behavior_type observer_stub(slot_observer_actor::pointer,
                                                 caf::actor probe) {
  auto fwd = [probe](const auto& x) { caf::anon_send(probe, x); };
  return {
      [fwd](const slot_granted& x) { fwd(x); },
      [fwd](const slot_active& x) { fwd(x); },
      [fwd](const slot_evicted& x) { fwd(x); },
      [fwd](const slot_rejected& x) { fwd(x); },
      [fwd](const slots_starved& x) { fwd(x); },
      [fwd](const session_replayed& x) { fwd(x); },
      [fwd](const slot_stale& x) { fwd(x); },
  };
}

struct fixture {
  std::unique_ptr<sim::simulator> simu;
  sim::ports ports;
  std::shared_ptr<net::io_runner> io = std::make_shared<net::io_runner>();
  test::e2e_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor probe{sys};
  std::vector<caf::actor> spawned;

  sim::options sim_options() {
    sim::options o;
    o.hold_after_close = 0ms; // a reconnect is not refused
    o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
    o.kst_start = 10 * 3600; // market open
    o.kst_date = 20250102;
    o.log_level = "off";
    o.rest_plain = true;
    o.rate = 200;
    return o;
  }

  void start_sim(sim::options o) {
    simu = std::make_unique<sim::simulator>(o);
    ports = simu->start();
    io->start();
  }

  ~fixture() {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    io->stop();
    if (simu)
      simu->stop();
  }

  template <class Handle>
  Handle keep(Handle h) {
    spawned.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }

  connection_endpoints endpoints() {
    return test::sim_endpoints(ports, "APPKEY1", "SECRET1");
  }

  // One connection whose arbiter stand-in subscribes `key` on every up;
  // the decoder feeds a hub with `listener` subscribed to everything.
  connection_full_actor wire(connection_config cc, slot_key key,
                             bool with_listener) {
    auto on_up = [key](const session_up& up) {
      return std::vector<wire_command>{
          {up.session, up.epoch, wire_op::subscribe, key}};
    };
    auto arb = keep(sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up));
    auto hub_hdl =
        keep(sys.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{}));
    auto dec = keep(sys.spawn(decoder, std::optional{arb},
                              std::optional<market_listener_actor>{hub_hdl}));
    if (with_listener) {
      auto lis = keep(sys.spawn(test::listener_stub, caf::actor{probe}));
      caf::anon_send(hub_hdl, caf::subscribe_atom_v,
                     market_listener_actor{lis});
    }
    auto conn = keep(
        sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{7}));
    caf::anon_send(arb, atom::attach_v, cc.session, connection_actor{conn});
    return conn;
  }

  template <class T>
  std::optional<T> next(std::chrono::milliseconds timeout = 10s) {
    return test::next_of<T>(probe, timeout);
  }

  // A gateway against its embedded simulator, configured by `sets`.
  std::unique_ptr<app::gateway>
  gateway(std::vector<std::string> sets,
          std::map<std::string, std::string> env = {}, bool embedded = true) {
    app::config_file cf;
    if (embedded)
      cf.set("kis.sim=true");
    cf.set("admin.listen=off");
    for (auto& s : sets)
      CAF_REQUIRE(!cf.set(s));
    std::vector<std::string> errors;
    auto opts = app::read_options(
        cf,
        [env](const char* name) -> std::optional<std::string> {
          if (auto it = env.find(name); it != env.end())
            return it->second;
          return std::nullopt;
        },
        errors);
    for (auto& e : errors)
      CAF_FAIL("config: " << e);
    auto gw = std::make_unique<app::gateway>(opts, app::embedded_simulator());
    gw->start(sys);
    auto obs = keep(sys.spawn(observer_stub, caf::actor{probe}));
    caf::anon_send(gw->handles().arbiter, caf::subscribe_atom_v,
                   slot_observer_actor{obs});
    return gw;
  }

  // A gateway against the fixture's simulator (started here with `o`; it
  // frees an app key at once after a close), configured the way a real KIS
  // is. `sets` add sessions and demand.
  std::unique_ptr<app::gateway>
  gateway_on(sim::options o, std::vector<std::string> sets,
             std::map<std::string, std::string> env) {
    start_sim(std::move(o));
    std::vector<std::string> all{
        "kis.env=real",
        "kis.rest_url=http://127.0.0.1:" + std::to_string(ports.rest),
        "kis.ws_url=ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout",
        "rest.token_dir=",
        "clock.kst_start=10:00:00",
        "clock.every_day=on"};
    all.insert(all.end(), sets.begin(), sets.end());
    return gateway(std::move(all), std::move(env), false);
  }

  // Waits until `n` slot_active events arrived; returns their keys.
  std::vector<slot_active> actives(std::size_t n) {
    std::vector<slot_active> out;
    while (out.size() < n) {
      auto x = next<slot_active>(20s);
      if (!x)
        break;
      out.push_back(*x);
    }
    return out;
  }
};

// `"name":N` of a JSON text (the simulator's /state), or -1.
long json_number(const std::string& text, const std::string& name) {
  auto at = text.find("\"" + name + "\":");
  if (at == std::string::npos)
    return -1;
  return std::strtol(text.c_str() + at + name.size() + 3, nullptr, 10);
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(e2e_gateway_flows_tests, fixture)

CAF_TEST(a stalled server trips the idle watchdog and the session comes back) {
  start_sim(sim_options());
  connection_config cc;
  cc.session = 1;
  cc.backoff_min = 50ms;
  cc.idle_timeout = 1s; // 100 s in production; data arrives every ~5 ms
  wire(cc, {"H0STCNT0", "005930"}, false);
  CAF_REQUIRE(next<session_up>().has_value());
  auto ack = next<sub_ack>();
  CAF_REQUIRE(ack.has_value());
  CAF_CHECK_EQUAL(ack->msg_cd, "OPSP0000");
  // Nothing at all from the server from now on, the socket stays open: only
  // the watchdog can notice.
  auto stalled_at = std::chrono::steady_clock::now();
  CAF_REQUIRE_EQUAL(
      simu->inject_fault(R"({"kind":"stall","seconds":0})").status, 200);
  auto down = next<session_down>(20s);
  CAF_REQUIRE(down.has_value());
  CAF_CHECK_EQUAL(down->epoch, 1u);
  // Not before the idle timeout (the actor clock runs in real time here).
  // The watchdog counts from the last message received, which may have
  // arrived a little before `stalled_at` (data comes every ~5 ms, and a
  // loaded machine delays the fault): allow that much, no more.
  CAF_CHECK_GREATER_OR_EQUAL(std::chrono::steady_clock::now() - stalled_at,
                             cc.idle_timeout - 200ms);
  auto up = next<session_up>(20s);
  CAF_REQUIRE(up.has_value());
  CAF_CHECK_EQUAL(up->epoch, 2u);
  auto again = next<sub_ack>();
  CAF_REQUIRE(again.has_value());
  CAF_CHECK_EQUAL(again->epoch, 2u);
  CAF_CHECK_EQUAL(again->msg_cd, "OPSP0000");
}

CAF_TEST(a 1 MiB batched frame is decoded into every record) {
  start_sim(sim_options());
  connection_config cc;
  cc.session = 2;
  wire(cc, {"H0STASP0", "005930"}, true);
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  // 999 trades (the most a frame counts), their cumulative value padded
  // with leading zeros to make the frame larger than 1 MiB.
  std::string payload;
  for (int i = 0; i < 999; ++i) {
    auto sym = std::to_string(1000000 + i + 1).substr(1);
    auto f = test::trade_fields(sym, i);
    f[14] = std::string(1100, '0') + f[14];
    kis::append_record(payload, f);
  }
  auto frame = kis::encode_frame("H0STCNT0", 999, payload);
  CAF_REQUIRE_GREATER(frame.size(), 1024u * 1024u);
  // The simulator sends a `garbage` fault's text verbatim: here our frame.
  CAF_REQUIRE_EQUAL(
      simu->inject_fault(R"({"kind":"garbage","text":")" + frame + "\"}")
          .status,
      200);
  std::size_t ours = 0;
  std::string last;
  while (ours < 999) {
    auto t = next<trade_event>(20s);
    if (!t)
      break;
    if (t->data.symbol == "005930" || t->data.cum_value != 87654321000)
      continue; // the simulator's own feed
    ++ours;
    last = t->data.symbol;
    CAF_CHECK_EQUAL(t->session, 2u);
  }
  CAF_CHECK_EQUAL(ours, 999u);
  CAF_CHECK_EQUAL(last, "000999");
}

CAF_TEST(PINGPONG is echoed over several intervals on one connection) {
  auto o = sim_options();
  o.manual_clock = true;    // PINGPONG goes out only when the test says so
  o.pingpong_strict = true; // only a text echo counts; none closes the socket
  o.pingpong_interval = 10s;
  o.pingpong_timeout = 15s;
  start_sim(o);
  connection_config cc;
  cc.session = 1;
  wire(cc, {"H0STCNT0", "005930"}, false);
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  for (long round = 1; round <= 5; ++round) {
    simu->advance_time(10s);
    // The echo travels back on its own: wait for the simulator to count it,
    // each look a round trip to its thread, bounded by a deadline.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    long answered = 0;
    while (answered < round && std::chrono::steady_clock::now() < deadline)
      answered = json_number(simu->state_json(), "pingpong_answered");
    CAF_CHECK_EQUAL(answered, round);
    CAF_CHECK_EQUAL(json_number(simu->state_json(), "pingpong_sent"), round);
  }
  // Still the first connection: no session went down.
  CAF_CHECK(!next<session_down>(100ms).has_value());
}

CAF_TEST(an encrypted execution notice becomes a fill event for a subscriber) {
  auto gw = gateway({"demand.holdings=005930"});
  auto h = gw->handles();
  auto lis = keep(sys.spawn(test::listener_stub, caf::actor{probe}));
  caf::anon_send(h.hub, caf::subscribe_atom_v, market_listener_actor{lis},
                 slot_key{"H0STCNI0", "simuser1"});
  // The notice and the holding's two TRs become active.
  auto act = actives(3);
  CAF_REQUIRE_EQUAL(act.size(), 3u);
  sim::order_request req;
  req.cano = "50000001";
  req.code = "005930";
  req.side = "buy";
  req.qty = 10;
  req.fills = {4, 6};
  auto res = gw->simulator()->place_order(req);
  CAF_REQUIRE_EQUAL(res.status, 200);
  auto no_at = res.body.find("\"order_no\":\"");
  CAF_REQUIRE(no_at != std::string::npos);
  auto order_no = res.body.substr(no_at + 12, 10);
  std::vector<notice_event> fills;
  while (fills.size() < 2) {
    auto n = next<notice_event>(20s);
    if (!n)
      break;
    CAF_CHECK_EQUAL(n->tr_id, "H0STCNI0");
    CAF_CHECK_EQUAL(n->data.order_no, order_no);
    if (n->data.kind == kis::notice_kind::fill)
      fills.push_back(*n);
  }
  CAF_REQUIRE_EQUAL(fills.size(), 2u);
  for (auto& f : fills) {
    CAF_CHECK_EQUAL(f.session, 0u);
    CAF_CHECK_EQUAL(f.data.customer_id, "simuser1");
    CAF_CHECK_EQUAL(f.data.symbol, "005930");
    CAF_CHECK(f.data.order_side == kis::side::buy);
    CAF_CHECK(!f.data.rejected);
    CAF_CHECK_GREATER(f.data.fill_price, 0);
  }
  CAF_CHECK_EQUAL(fills[0].data.fill_qty, 4);
  CAF_CHECK_EQUAL(fills[1].data.fill_qty, 6);
  gw->stop();
}

CAF_TEST(an expired approval key is renewed and no fill notice is lost) {
  auto gw = gateway_on(sim_options(),
                       {"session.s1.app_key=APPKEY1",
                        "session.s1.app_secret_env=SECRET1",
                        "session.s1.hts_id=user1", "portfolio.enabled=off",
                        "demand.holdings=005930"},
                       {{"SECRET1", "SECRET1"}});
  auto h = gw->handles();
  auto lis = keep(sys.spawn(test::listener_stub, caf::actor{probe}));
  caf::anon_send(h.hub, caf::subscribe_atom_v, market_listener_actor{lis},
                 slot_key{"H0STCNI0", "user1"});
  CAF_REQUIRE_EQUAL(actives(3).size(), 3u); // the notice, 005930 x2
  auto r = simu->inject_fault(R"({"kind":"approval_expired"})");
  CAF_REQUIRE_EQUAL(r.status, 200);
  CAF_CHECK(r.body.find(R"("sessions":1)") != std::string::npos);
  // The next subscribe gets OPSP0011: a new key, a new socket, a new epoch
  // and every slot (the notice included) active again.
  caf::anon_send(h.arbiter,
                 slot_request{"test", {"H0STCNT0", "000660"}, priority{4}});
  auto replayed = next<session_replayed>(20s);
  if (replayed && replayed->epoch == 1) // the first up's, seen late
    replayed = next<session_replayed>(20s);
  CAF_REQUIRE(replayed.has_value());
  CAF_CHECK_EQUAL(replayed->session, 0u);
  CAF_CHECK_EQUAL(replayed->epoch, 2u);
  std::set<slot_key> back;
  for (auto& a : actives(4)) {
    CAF_CHECK_EQUAL(a.epoch, 2u);
    back.insert(a.key);
  }
  CAF_CHECK_EQUAL(back, (std::set<slot_key>{{"H0STCNI0", "user1"},
                                            {"H0STCNT0", "005930"},
                                            {"H0STASP0", "005930"},
                                            {"H0STCNT0", "000660"}}));
  auto state = simu->state_json();
  CAF_CHECK_EQUAL(json_number(state, "OPSP0011"), 1);
  CAF_CHECK(state.find("OPSP9996") == std::string::npos);
  CAF_CHECK(state.find("OPSP8996") == std::string::npos);
  // A fill after the renewal reaches the subscriber: the notice TR was
  // registered again with the new key.
  sim::order_request req;
  req.cano = "12345678";
  req.code = "005930";
  req.side = "buy";
  req.qty = 3;
  req.fills = {3};
  CAF_REQUIRE_EQUAL(simu->place_order(req).status, 200);
  std::optional<notice_event> fill;
  while (!fill) {
    auto n = next<notice_event>(20s);
    if (!n)
      break;
    if (n->data.kind == kis::notice_kind::fill)
      fill = n;
  }
  CAF_REQUIRE(fill.has_value());
  CAF_CHECK_EQUAL(fill->data.fill_qty, 3);
  CAF_CHECK_EQUAL(json_number(simu->state_json(), "lost"), 0);
  gw->stop();
}

CAF_TEST(two accounts on two app keys both give holdings at priority one) {
  // Each account is polled through its own app key (the simulator refuses
  // a CANO through another app key's token) and holds its own stocks.
  auto o = sim_options();
  o.accounts.push_back({"APPKEY2", "SECRET2", "user2", "87654321"});
  o.holdings = {{"12345678", "005930", 10},
                {"87654321", "000660", 4},
                {"87654321", "005930", 1}};
  o.overseas_holdings = {{"87654321", "NASD", "AAPL", 5}};
  auto gw = gateway_on(
      o,
      {"session.a.app_key=APPKEY1", "session.a.app_secret_env=SECRET1",
       "session.a.hts_id=user1", "session.b.app_key=APPKEY2",
       "session.b.app_secret_env=SECRET2", "session.b.hts_id=user2",
       "portfolio.accounts=12345678@a,87654321@b", "portfolio.overseas=on"},
      {{"SECRET1", "SECRET1"}, {"SECRET2", "SECRET2"}});
  // Two notices, 005930 and 000660 on two TRs each, DNASAAPL (the
  // overseas notice is not registered: the sessions have different HTS
  // IDs).
  std::set<slot_key> keys;
  for (auto& a : actives(7))
    keys.insert(a.key);
  CAF_CHECK_EQUAL(keys, (std::set<slot_key>{{"H0STCNI0", "user1"},
                                            {"H0STCNI0", "user2"},
                                            {"H0STCNT0", "005930"},
                                            {"H0STASP0", "005930"},
                                            {"H0STCNT0", "000660"},
                                            {"H0STASP0", "000660"},
                                            {"HDFSCNT0", "DNASAAPL"}}));
  auto ps = *gw->sources().portfolio;
  portfolio_status st;
  probe->request(ps, 10s, caf::get_atom_v, atom::poll_v)
      .receive([&](portfolio_status& x) { st = x; },
               [&](caf::error& e) { CAF_FAIL(sys.render(e)); });
  CAF_CHECK(st.last_poll_ok);
  CAF_CHECK_EQUAL(st.last_error, "");
  // A buy in the second account is a holding at once.
  sim::order_request req;
  req.cano = "87654321";
  req.code = "035720";
  req.side = "buy";
  req.qty = 2;
  req.fills = {2};
  CAF_REQUIRE_EQUAL(simu->place_order(req).status, 200);
  keys.clear();
  for (auto& a : actives(2))
    keys.insert(a.key);
  CAF_CHECK_EQUAL(keys, (std::set<slot_key>{{"H0STCNT0", "035720"},
                                            {"H0STASP0", "035720"}}));
  balance_snapshot held;
  probe->request(ps, 10s, caf::get_atom_v, atom::holdings_v)
      .receive([&](balance_snapshot& x) { held = std::move(x); },
               [&](caf::error& e) { CAF_FAIL(sys.render(e)); });
  CAF_CHECK_EQUAL(
      held.rows,
      (std::vector<holding_qty>{
          {"000660", 4}, {"005930", 11}, {"035720", 2}, {"DNASAAPL", 5}}));
  gw->stop();
}

CAF_TEST(overseas holdings and the overseas notice are registered) {
  auto gw = gateway({"portfolio.overseas=on", "demand.holdings=005930"});
  std::set<slot_key> keys;
  for (auto& a : actives(5))
    keys.insert(a.key);
  CAF_CHECK_EQUAL(keys, (std::set<slot_key>{{"H0STCNI0", "simuser1"},
                                            {"H0GSCNI0", "simuser1"},
                                            {"H0STCNT0", "005930"},
                                            {"H0STASP0", "005930"},
                                            {"HDFSCNT0", "DNASAAPL"}}));
  gw->stop();
}

CAF_TEST(two app keys give two sessions that share the cap) {
  // Three places per session, one taken by its notice: four picks need
  // both sessions.
  auto gw = gateway(
      {"slots.cap=3", "session.a.app_key=KEYA",
       "session.a.app_secret_env=SECRET_A", "session.a.hts_id=usera",
       "session.b.app_key=KEYB", "session.b.app_secret_env=SECRET_B",
       "session.b.hts_id=userb", "demand.picks=005930,000660,035420,035720"},
      {{"SECRET_A", "SA"}, {"SECRET_B", "SB"}});
  auto act = actives(6);
  CAF_REQUIRE_EQUAL(act.size(), 6u);
  std::map<session_id, int> per_session;
  for (auto& a : act)
    ++per_session[a.session];
  CAF_CHECK_EQUAL(per_session.size(), 2u);
  CAF_CHECK_EQUAL(per_session[0], 3);
  CAF_CHECK_EQUAL(per_session[1], 3);
  slot_snapshot snap;
  probe->request(gw->handles().arbiter, 10s, caf::get_atom_v, atom::slots_v)
      .receive([&](slot_snapshot& x) { snap = std::move(x); },
               [&](caf::error& e) { CAF_FAIL(sys.render(e)); });
  CAF_REQUIRE_EQUAL(snap.sessions.size(), 2u);
  for (auto& s : snap.sessions) {
    CAF_CHECK(s.up);
    CAF_CHECK_EQUAL(s.used, 3u);
    CAF_CHECK_EQUAL(s.cap, 3u);
  }
  gw->stop();
}

CAF_TEST_FIXTURE_SCOPE_END()
