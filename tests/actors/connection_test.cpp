// SPDX-License-Identifier: Apache-2.0
// The connection actor over a transport and an approval fetcher given from
// outside, on the test coordinator: everything it does with time (backoff,
// watchdog) runs on the actor clock, and what a transport reports comes
// back as messages.
#define CAF_SUITE gateway.connection
#include <caf/test/dsl.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/connection.hpp"
#include "actors/kst_clock.hpp"
#include "messages/type_ids.hpp"
#include "net/kis/requests.hpp"
#include "tests/common/actor_config.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

/// What one transport saw, kept by the test after the actor drops it.
struct fake_link {
  net::transport_events events;
  int starts = 0;
  int closes = 0;
  int aborts = 0;
  std::vector<std::string> sent;
};

class fake_transport : public net::transport {
public:
  explicit fake_transport(std::shared_ptr<fake_link> link)
      : link_(std::move(link)) {
    // nop
  }
  void start() override { ++link_->starts; }
  void send(std::string text) override { link_->sent.push_back(text); }
  void close() override { ++link_->closes; }
  void abort() override { ++link_->aborts; }

private:
  std::shared_ptr<fake_link> link_;
};

/// The outside world of one connection: its transports and its approval
/// requests, answered by the test.
struct fake_world {
  std::vector<std::shared_ptr<fake_link>> links;
  std::vector<net::approval_done> approvals;
};

connection_deps deps_of(const std::shared_ptr<fake_world>& w) {
  connection_deps d;
  d.make_transport = [w](net::transport_events ev) {
    auto link = std::make_shared<fake_link>();
    link->events = std::move(ev);
    w->links.push_back(link);
    return std::unique_ptr<net::transport>{new fake_transport(link)};
  };
  d.fetch_approval = [w](net::approval_done done) {
    w->approvals.push_back(std::move(done));
  };
  return d;
}

struct fixture : test_coordinator_fixture<kisrt::test::actor_test_config> {
  std::shared_ptr<fake_world> world = std::make_shared<fake_world>();
  connection_full_actor conn;

  fixture() {
    connection_config cfg;
    cfg.session = 2;
    spawn_conn(cfg);
  }

  /// A new connection with `cfg` in a new world (the old one ends).
  void spawn_conn(connection_config cfg) {
    if (conn) {
      caf::anon_send_exit(conn, caf::exit_reason::user_shutdown);
      drain();
      world = std::make_shared<fake_world>();
    }
    // The arbiter and the decoder are the test itself.
    conn = sys.spawn(connection_with, cfg, deps_of(world),
                     caf::actor_cast<slot_arbiter_actor>(self),
                     caf::actor_cast<decoder_actor>(self), std::uint64_t{1});
    drain();
  }

  ~fixture() {
    caf::anon_send_exit(conn, caf::exit_reason::user_shutdown);
    drain();
  }

  template <class T>
  std::optional<T> take() {
    std::optional<T> r;
    self->receive([&](T& x) { r = std::move(x); },
                  caf::after(std::chrono::seconds{0}) >> [] {});
    return r;
  }

  std::optional<std::string> forwarded() {
    std::optional<std::string> r;
    self->receive([&](caf::receive_atom, session_id, epoch_t,
                      std::string& text) { r = std::move(text); },
                  caf::after(std::chrono::seconds{0}) >> [] {});
    return r;
  }

  /// Delivers every message, firing no timer (the fixture's run() fires
  /// them all, which would skip the clock ahead).
  void drain() { sched.run(); }

  /// Moves the actor clock by `d`, firing what falls due, and drains.
  void step(caf::timespan d) {
    advance_time(d);
    drain();
  }

  /// Approves with `key`, opens the transport that follows and returns it.
  std::shared_ptr<fake_link> bring_up(const std::string& key = "KEY") {
    CAF_REQUIRE(!world->approvals.empty());
    world->approvals.back()(true, key);
    drain();
    CAF_REQUIRE(!world->links.empty());
    auto link = world->links.back();
    CAF_REQUIRE_EQUAL(link->starts, 1);
    link->events.opened();
    drain();
    return link;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(connection_tests, fixture)

CAF_TEST(a failed approval is retried after the backoff on the actor clock) {
  CAF_REQUIRE_EQUAL(world->approvals.size(), 1u);
  CAF_CHECK(world->links.empty());
  world->approvals[0](false, "connect: Connection refused");
  drain();
  // The first delay is drawn from [0.5 s, 1 s].
  step(400ms);
  CAF_CHECK_EQUAL(world->approvals.size(), 1u);
  step(600ms);
  CAF_CHECK_EQUAL(world->approvals.size(), 2u);
  auto link = bring_up();
  auto up = take<session_up>();
  CAF_REQUIRE(up.has_value());
  CAF_CHECK_EQUAL(*up, (session_up{2, 1}));
  CAF_CHECK_EQUAL(world->links.size(), 1u);
}

CAF_TEST(commands go out on the transport with the approval key) {
  auto link = bring_up("the-key");
  CAF_REQUIRE(take<session_up>().has_value());
  self->send(conn, wire_command{2, 1, wire_op::subscribe,
                                slot_key{"H0STCNT0", "005930"}});
  drain();
  CAF_REQUIRE_EQUAL(link->sent.size(), 1u);
  CAF_CHECK_EQUAL(link->sent[0],
                  kis::encode_subscription("the-key", kis::tr_type::subscribe,
                                           "H0STCNT0", "005930", "P"));
  // A command of another epoch is not sent.
  self->send(conn, wire_command{2, 7, wire_op::subscribe,
                                slot_key{"H0STCNT0", "000660"}});
  drain();
  CAF_CHECK_EQUAL(link->sent.size(), 1u);
}

CAF_TEST(pingpong is echoed on the transport and data forwarded) {
  auto link = bring_up();
  CAF_REQUIRE(take<session_up>().has_value());
  auto ping = kis::encode_pingpong("20250106090000");
  link->events.message(std::string{ping});
  drain();
  CAF_REQUIRE_EQUAL(link->sent.size(), 1u);
  CAF_CHECK_EQUAL(link->sent[0], ping);
  CAF_CHECK(!forwarded().has_value());
  link->events.message("0|H0STCNT0|001|005930^093001");
  drain();
  CAF_CHECK_EQUAL(forwarded(), std::string{"0|H0STCNT0|001|005930^093001"});
}

CAF_TEST(a lost transport reconnects after the backoff with a new epoch) {
  auto old = bring_up();
  CAF_REQUIRE(take<session_up>().has_value());
  old->events.closed("read", "connection reset");
  drain();
  CAF_CHECK_EQUAL(take<session_down>(), (session_down{2, 1}));
  step(400ms);
  CAF_CHECK_EQUAL(world->links.size(), 1u);
  step(600ms);
  CAF_REQUIRE_EQUAL(world->links.size(), 2u);
  // The old transport's late events change nothing.
  old->events.opened();
  old->events.message("0|H0STCNT0|001|005930^093001");
  drain();
  CAF_CHECK(!take<session_up>().has_value());
  CAF_CHECK(!forwarded().has_value());
  world->links[1]->events.opened();
  drain();
  CAF_CHECK_EQUAL(take<session_up>(), (session_up{2, 2}));
}

CAF_TEST(the idle watchdog aborts a silent transport on the actor clock) {
  auto link = bring_up();
  CAF_REQUIRE(take<session_up>().has_value());
  step(99s);
  CAF_CHECK_EQUAL(link->aborts, 0);
  step(1s);
  CAF_CHECK_EQUAL(link->aborts, 1);
  CAF_CHECK_EQUAL(take<session_down>(), (session_down{2, 1}));
}

CAF_TEST(stop closes the transport with a close frame) {
  auto link = bring_up();
  CAF_REQUIRE(take<session_up>().has_value());
  self->send(conn, caf::close_atom_v);
  drain();
  CAF_CHECK_EQUAL(link->closes, 1);
  CAF_CHECK_EQUAL(take<session_down>(), (session_down{2, 1}));
}

CAF_TEST(OPSP0011 fetches a new approval key and comes back with a new epoch) {
  auto old = bring_up("OLD-KEY");
  CAF_REQUIRE(take<session_up>().has_value());
  self->send(conn, wire_command{2, 1, wire_op::subscribe,
                                slot_key{"H0STCNT0", "005930"}});
  drain();
  CAF_REQUIRE_EQUAL(old->sent.size(), 1u);
  // The server no longer knows the key.
  old->events.message(kis::encode_ack("H0STCNT0", "005930", false, "OPSP0011"));
  drain();
  CAF_CHECK_EQUAL(old->aborts, 1);
  CAF_CHECK_EQUAL(take<session_down>(), (session_down{2, 1}));
  CAF_CHECK(!forwarded().has_value());
  // After the backoff (at most 1 s): a new key is asked for first.
  CAF_CHECK_EQUAL(world->approvals.size(), 1u);
  step(1s);
  CAF_REQUIRE_EQUAL(world->approvals.size(), 2u);
  CAF_CHECK_EQUAL(world->links.size(), 1u);
  auto link = bring_up("NEW-KEY");
  CAF_REQUIRE_EQUAL(world->links.size(), 2u);
  CAF_CHECK_EQUAL(take<session_up>(), (session_up{2, 2}));
  // The arbiter's replay goes out with the new key.
  self->send(conn, wire_command{2, 2, wire_op::subscribe,
                                slot_key{"H0STCNT0", "005930"}});
  drain();
  CAF_REQUIRE_EQUAL(link->sent.size(), 1u);
  CAF_CHECK_EQUAL(link->sent[0],
                  kis::encode_subscription("NEW-KEY", kis::tr_type::subscribe,
                                           "H0STCNT0", "005930", "P"));
}

CAF_TEST(a key past its age is renewed outside market hours) {
  // Up at Monday 10:00 KST; the key reaches 23 h on Tuesday at 09:00,
  // inside market hours, and is renewed at the close, 15:30.
  auto kst = kst_clock::at_kst(now_of(sys.clock()), 2025, 1, 6, 10, 0, 0);
  connection_config cfg;
  cfg.session = 2;
  cfg.idle_timeout = 48h; // no PINGPONG here
  cfg.quiet = [kst, hours = market_hours{}](mono_time t) {
    return !hours.is_open(kst.to_kst(t));
  };
  spawn_conn(cfg);
  auto old = bring_up("DAY1-KEY");
  CAF_CHECK_EQUAL(take<session_up>(), (session_up{2, 1}));
  step(23h);
  step(5h); // Tuesday 14:00
  CAF_CHECK_EQUAL(world->approvals.size(), 1u);
  CAF_CHECK_EQUAL(old->closes + old->aborts, 0);
  step(90min); // 15:30: the market is closed
  CAF_REQUIRE_EQUAL(world->approvals.size(), 2u);
  CAF_CHECK_EQUAL(world->links.size(), 1u); // still on the old socket
  CAF_CHECK(!take<session_down>().has_value());
  world->approvals.back()(true, "DAY2-KEY");
  drain();
  CAF_CHECK_EQUAL(old->closes, 1);
  CAF_CHECK_EQUAL(take<session_down>(), (session_down{2, 1}));
  CAF_REQUIRE_EQUAL(world->links.size(), 2u);
  auto link = world->links.back();
  link->events.opened();
  drain();
  CAF_CHECK_EQUAL(take<session_up>(), (session_up{2, 2}));
  self->send(conn, wire_command{2, 2, wire_op::subscribe,
                                slot_key{"H0STCNT0", "005930"}});
  drain();
  CAF_REQUIRE_EQUAL(link->sent.size(), 1u);
  CAF_CHECK(link->sent[0].find("DAY2-KEY") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
