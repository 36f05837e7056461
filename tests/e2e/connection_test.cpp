// SPDX-License-Identifier: Apache-2.0
// The connection, decoder and hub actors on real sockets against the
// simulator. Waits are bounded receives: a hang fails, nothing sleeps.
#define CAF_SUITE e2e.connection
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/connection.hpp"
#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"
#include "tests/actors/stubs.hpp"
#include "tests/e2e/wire_fixture.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

struct fixture {
  std::unique_ptr<sim::simulator> simu;
  sim::ports ports;
  std::shared_ptr<net::io_runner> io = std::make_shared<net::io_runner>();
  test::e2e_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor probe{sys};

  fixture() { start_sim(5000ms); }

  /// `same_ports`: the new simulator listens where the old one did, like
  /// a server process killed and started again.
  void start_sim(std::chrono::milliseconds hold_after_close,
                 bool same_ports = false) {
    if (simu)
      simu->stop();
    sim::options o;
    if (same_ports) {
      o.ws_port = ports.ws;
      o.rest_port = ports.rest;
      o.admin_port = ports.admin;
    }
    o.hold_after_close = hold_after_close;
    o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
    o.kst_start = 10 * 3600; // market open
    o.kst_date = 20250102;
    o.log_level = "off";
    o.rest_plain = true;
    o.rate = 200;
    simu = std::make_unique<sim::simulator>(o);
    ports = simu->start();
    io->start();
  }

  template <class... Ts>
  void stop(const Ts&... xs) {
    for (auto& a : {caf::actor_cast<caf::actor>(xs)...})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }

  ~fixture() {
    io->stop();
    simu->stop();
  }

  connection_endpoints endpoints() {
    return test::sim_endpoints(ports, "APPKEY1", "SECRET1");
  }

  // Receives the next message of type T within `timeout`, skipping others.
  template <class T>
  std::optional<T> next(std::chrono::milliseconds timeout = 10s) {
    return test::next_of<T>(probe, timeout);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(e2e_connection_tests, fixture)

CAF_TEST(ticks of a subscribed symbol reach a subscriber actor) {
  auto on_up = [](const session_up& up) {
    return std::vector<wire_command>{
        {up.session, up.epoch, wire_op::subscribe, {"H0STCNT0", "005930"}}};
  };
  auto arb = sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up);
  auto hub_hdl =
      sys.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{});
  auto dec = sys.spawn(decoder, std::optional{arb},
                       std::optional<market_listener_actor>{hub_hdl});
  auto lis = sys.spawn(test::listener_stub, caf::actor{probe});
  caf::anon_send(hub_hdl, caf::subscribe_atom_v, market_listener_actor{lis},
                 slot_key{"H0STCNT0", "005930"});
  connection_config cc;
  cc.session = 3;
  auto conn =
      sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{1});
  caf::anon_send(arb, atom::attach_v, session_id{3}, connection_actor{conn});
  auto up = next<session_up>();
  CAF_REQUIRE(up.has_value());
  CAF_CHECK_EQUAL(up->session, 3u);
  CAF_CHECK_EQUAL(up->epoch, 1u);
  auto ack = next<sub_ack>();
  CAF_REQUIRE(ack.has_value());
  CAF_CHECK_EQUAL(ack->msg_cd, "OPSP0000");
  CAF_CHECK_EQUAL(ack->key.tr_key, "005930");
  CAF_CHECK_EQUAL(ack->epoch, 1u);
  auto tick = next<trade_event>();
  CAF_REQUIRE(tick.has_value());
  CAF_CHECK_EQUAL(tick->data.symbol, "005930");
  CAF_CHECK_EQUAL(tick->session, 3u);
  CAF_CHECK_GREATER(tick->data.price, 0);
  caf::anon_send(conn, caf::close_atom_v);
  auto down = next<session_down>();
  CAF_REQUIRE(down.has_value());
  CAF_CHECK_EQUAL(down->epoch, 1u);
  for (auto& a :
       {caf::actor_cast<caf::actor>(conn), caf::actor_cast<caf::actor>(dec),
        caf::actor_cast<caf::actor>(hub_hdl), caf::actor_cast<caf::actor>(lis),
        caf::actor_cast<caf::actor>(arb)})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

CAF_TEST(a dropped connection comes back with a new epoch) {
  start_sim(0ms); // the server frees the app key at once
  auto on_up = [](const session_up& up) {
    return std::vector<wire_command>{
        {up.session, up.epoch, wire_op::subscribe, {"H0STCNT0", "005930"}}};
  };
  auto arb = sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up);
  auto dec = sys.spawn(decoder, std::optional{arb},
                       std::optional<market_listener_actor>{});
  connection_config cc;
  cc.session = 1;
  cc.backoff_min = 50ms; // keep the test short; the policy is unit-tested
  auto conn =
      sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{1});
  caf::anon_send(arb, atom::attach_v, session_id{1}, connection_actor{conn});
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  CAF_CHECK_EQUAL(simu->inject_fault(R"({"kind":"drop"})").status, 200);
  auto down = next<session_down>();
  CAF_REQUIRE(down.has_value());
  CAF_CHECK_EQUAL(down->epoch, 1u);
  auto up = next<session_up>();
  CAF_REQUIRE(up.has_value());
  CAF_CHECK_EQUAL(up->epoch, 2u);
  auto ack = next<sub_ack>();
  CAF_REQUIRE(ack.has_value());
  CAF_CHECK_EQUAL(ack->epoch, 2u);
  CAF_CHECK_EQUAL(ack->msg_cd, "OPSP0000");
  stop(conn, dec, arb);
}

CAF_TEST(OPSP8996 backs off until the server frees the app key) {
  // The server holds the app key 5 s (simulated) after a close.
  auto on_up = [](const session_up& up) {
    return std::vector<wire_command>{
        {up.session, up.epoch, wire_op::subscribe, {"H0STCNT0", "005930"}}};
  };
  auto arb = sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up);
  auto dec = sys.spawn(decoder, std::optional{arb},
                       std::optional<market_listener_actor>{});
  connection_config cc;
  cc.session = 1;
  cc.backoff_min = 50ms;
  cc.in_use_backoff = 200ms;
  auto conn =
      sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{1});
  caf::anon_send(arb, atom::attach_v, session_id{1}, connection_actor{conn});
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  CAF_CHECK_EQUAL(simu->inject_fault(R"({"kind":"drop"})").status, 200);
  auto epoch_of = [](const auto& x) { return x ? x->epoch : epoch_t{0}; };
  CAF_CHECK_EQUAL(epoch_of(next<session_down>()), 1u);
  // The next connection opens, subscribes, gets OPSP8996 and goes down.
  CAF_CHECK_EQUAL(epoch_of(next<session_up>()), 2u);
  CAF_CHECK_EQUAL(epoch_of(next<session_down>()), 2u);
  // Once the hold is over, a later attempt succeeds.
  simu->advance_time(6s);
  std::optional<sub_ack> ack;
  while (!ack) {
    auto up = next<session_up>(20s);
    CAF_REQUIRE(up.has_value());
    auto x = next<sub_ack>(2s);
    if (x && x->msg_cd == "OPSP0000")
      ack = x;
  }
  CAF_CHECK_GREATER_OR_EQUAL(ack->epoch, 3u);
  stop(conn, dec, arb);
}

CAF_TEST(a restarted server that forgot the approval key gets a new one) {
  // After a restart the server no longer knows the approval key; before the fix
  // every subscribe got OPSP0011 while PINGPONG kept the socket alive.
  start_sim(0ms);
  auto on_up = [](const session_up& up) {
    return std::vector<wire_command>{
        {up.session, up.epoch, wire_op::subscribe, {"H0STCNT0", "005930"}}};
  };
  auto arb = sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up);
  auto dec = sys.spawn(decoder, std::optional{arb},
                       std::optional<market_listener_actor>{});
  connection_config cc;
  cc.session = 1;
  cc.backoff_min = 50ms;
  cc.backoff_max = 500ms;
  auto conn =
      sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{1});
  caf::anon_send(arb, atom::attach_v, session_id{1}, connection_actor{conn});
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  start_sim(0ms, true); // killed and started again on the same ports
  auto epoch_of = [](const auto& x) { return x ? x->epoch : epoch_t{0}; };
  CAF_CHECK_EQUAL(epoch_of(next<session_down>()), 1u);
  // The reconnect uses the old key: OPSP0011, then a new key, a new
  // socket and a new epoch.
  CAF_CHECK_EQUAL(epoch_of(next<session_up>()), 2u);
  CAF_CHECK_EQUAL(epoch_of(next<session_down>()), 2u);
  CAF_CHECK_EQUAL(epoch_of(next<session_up>()), 3u);
  auto ack = next<sub_ack>();
  CAF_REQUIRE(ack.has_value());
  CAF_CHECK_EQUAL(ack->epoch, 3u);
  CAF_CHECK_EQUAL(ack->msg_cd, "OPSP0000");
  // The server saw one OPSP0011 and never an empty approval key (9996).
  auto state = simu->state_json();
  CAF_CHECK(state.find(R"("OPSP0011":1)") != std::string::npos);
  CAF_CHECK(state.find("OPSP9996") == std::string::npos);
  stop(conn, dec, arb);
}

CAF_TEST(answers swallowed by a stall time out and recycle the connection) {
  start_sim(0ms);
  auto on_up = [](const session_up& up) {
    return std::vector<wire_command>{
        {up.session, up.epoch, wire_op::subscribe, {"H0STCNT0", "005930"}}};
  };
  auto arb = sys.spawn(test::arbiter_stub, caf::actor{probe}, on_up);
  auto dec = sys.spawn(decoder, std::optional{arb},
                       std::optional<market_listener_actor>{});
  connection_config cc;
  cc.session = 1;
  cc.backoff_min = 50ms;
  cc.answer_timeout = 300ms;
  cc.answer_timeouts_to_recycle = 2;
  auto conn =
      sys.spawn(connection, cc, endpoints(), io, arb, dec, std::uint64_t{1});
  caf::anon_send(arb, atom::attach_v, session_id{1}, connection_actor{conn});
  CAF_REQUIRE(next<session_up>().has_value());
  CAF_REQUIRE(next<sub_ack>().has_value());
  // The server stalls until the connection ends: answers are swallowed.
  CAF_REQUIRE_EQUAL(simu->inject_fault(R"({"kind":"stall"})").status, 200);
  wire_command a{1, 1, wire_op::subscribe, {"H0STCNT0", "000660"}};
  caf::anon_send(conn, a);
  auto missed = next<answer_timeout>(5s);
  CAF_REQUIRE(missed.has_value());
  CAF_CHECK_EQUAL(*missed, (answer_timeout{1, 1, wire_op::subscribe, a.key}));
  // A second miss in a row: the connection is recycled.
  wire_command b{1, 1, wire_op::unsubscribe, {"H0STCNT0", "005930"}};
  caf::anon_send(conn, b);
  auto epoch_of = [](const auto& x) { return x ? x->epoch : epoch_t{0}; };
  CAF_CHECK_EQUAL(epoch_of(next<session_down>()), 1u);
  CAF_CHECK_EQUAL(epoch_of(next<session_up>()), 2u);
  auto ack = next<sub_ack>();
  CAF_REQUIRE(ack.has_value());
  CAF_CHECK_EQUAL(ack->epoch, 2u);
  CAF_CHECK_EQUAL(ack->msg_cd, "OPSP0000");
  stop(conn, dec, arb);
}

CAF_TEST_FIXTURE_SCOPE_END()
