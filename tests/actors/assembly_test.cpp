// SPDX-License-Identifier: Apache-2.0
// The assembly on CAF's deterministic test coordinator: connections come
// from core_spec::make_connection and are attached in session order, the
// static demand yields to the sources, and portfolio_sync hears the
// arbiter's session replays (the wiring the scenario runner once missed).
#define CAF_SUITE actors.assembly

#include "actors/assembly.hpp"

#include <caf/test/dsl.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tests/actors/arbiter_fixture.hpp"
#include "tests/common/actor_fixture.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

// Counts fetches and answers each with no holdings.
struct counting_balance : balance_source {
  std::shared_ptr<int> fetches = std::make_shared<int>(0);
  void fetch(std::function<void(balance_snapshot)> done) override {
    ++*fetches;
    done(balance_snapshot{});
  }
};

// Monitors `who` and counts their ends (spawned with arguments: CAF 0.17.6
// binds a null reference when a function actor has none).
caf::behavior watch_downs(caf::event_based_actor* self,
                          std::vector<caf::actor> who,
                          std::shared_ptr<std::size_t> downs) {
  for (auto& a : who)
    self->monitor(a);
  self->set_down_handler([downs](caf::down_msg&) { ++*downs; });
  return {
      [](int) {
        // nop
      },
  };
}

struct fixture : test::actor_fixture<> {
  assembly core;
  /// What make_connection was asked for, in order.
  std::vector<std::string> made;
  std::vector<session_id> made_ids;
  /// The commands each made connection got, by session.
  std::vector<test::command_log> wire;

  core_spec spec(std::size_t sessions) {
    core_spec s;
    s.kst = kst_clock::at_kst(now(), 2025, 1, 6, 10, 0, 0);
    for (std::size_t i = 0; i < sessions; ++i) {
      session_config sc;
      sc.id = static_cast<session_id>(i);
      sc.reserve_notice = false;
      s.arbiter.slots.sessions.push_back(sc);
      session_spec ss;
      ss.name = "s" + std::to_string(i + 1);
      s.sessions.push_back(ss);
    }
    wire.resize(sessions);
    s.make_connection = [this](caf::actor_system& sys, const session_spec& ss,
                               const connection_wiring&) {
      made.push_back(ss.name);
      made_ids.push_back(ss.connection.session);
      auto& log = wire.at(ss.connection.session);
      log = std::make_shared<std::vector<wire_command>>();
      return caf::actor_cast<connection_full_actor>(
          sys.spawn(test::recording_connection, log));
    };
    return s;
  }

  void up(session_id s, epoch_t e) {
    self->send(*core.handles().arbiter, session_up{s, e});
    drain();
  }

  static bool subscribed(const test::command_log& log,
                         const std::string& code) {
    return log
           && std::any_of(log->begin(), log->end(), [&](const wire_command& c) {
                return c.op == wire_op::subscribe && c.key.tr_key == code;
              });
  }

  ~fixture() {
    core.stop(0ms);
    drain();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(assembly_tests, fixture)

CAF_TEST(each session gets its connection from make_connection in order) {
  auto s = spec(2);
  s.holdings = {"005930"};
  core.start(sys, std::move(s));
  drain();
  CAF_CHECK_EQUAL(made, (std::vector<std::string>{"s1", "s2"}));
  CAF_CHECK_EQUAL(made_ids, (std::vector<session_id>{0, 1}));
  CAF_REQUIRE_EQUAL(core.handles().connections.size(), 2u);
  CAF_CHECK(core.handles().connections[0] && core.handles().connections[1]);
  // Attached: the arbiter places the static holding on the session that
  // came up, through the connection make_connection returned.
  up(0, 1);
  CAF_CHECK(subscribed(wire[0], "005930"));
}

CAF_TEST(a session not connected at start is connected by connect) {
  auto s = spec(2);
  s.sessions[1].connect_at_start = false;
  s.holdings = {"000660"};
  core.start(sys, std::move(s));
  drain();
  CAF_CHECK_EQUAL(made, (std::vector<std::string>{"s1"}));
  CAF_CHECK(!core.handles().connections[1]);
  core.connect(1);
  core.connect(1); // connected already: no second connection
  drain();
  CAF_CHECK_EQUAL(made, (std::vector<std::string>{"s1", "s2"}));
  up(1, 1);
  CAF_CHECK(subscribed(wire[1], "000660"));
}

CAF_TEST(portfolio_sync polls again when the arbiter replays a session) {
  auto s = spec(1);
  auto balance = std::make_shared<counting_balance>();
  portfolio_sync_config pc;
  pc.source = balance;
  pc.poll_interval = mono_time{0}; // no timer
  s.portfolio = pc;
  // A portfolio source owns the holdings: the static ones are not sent.
  s.holdings = {"005930"};
  core.start(sys, std::move(s));
  drain();
  CAF_CHECK_EQUAL(*balance->fetches, 1); // at start
  up(0, 1);
  CAF_CHECK_EQUAL(*balance->fetches, 2); // after the replay
  CAF_CHECK(!subscribed(wire[0], "005930"));
}

CAF_TEST(stop ends every actor and is idempotent) {
  auto s = spec(1);
  s.scanner = scanner_config{};
  s.picks_loader = picks_loader_config{};
  core.start(sys, std::move(s));
  drain();
  auto h = core.handles();
  CAF_REQUIRE(h.arbiter && h.hub && h.decoder && h.scanner && h.picks_loader
              && h.connections[0]);
  std::vector<caf::actor> all{caf::actor_cast<caf::actor>(*h.arbiter),
                              caf::actor_cast<caf::actor>(*h.hub),
                              caf::actor_cast<caf::actor>(*h.decoder),
                              caf::actor_cast<caf::actor>(*h.scanner),
                              caf::actor_cast<caf::actor>(*h.picks_loader),
                              caf::actor_cast<caf::actor>(*h.connections[0])};
  auto downs = std::make_shared<std::size_t>(0);
  auto watcher = sys.spawn(watch_downs, all, downs);
  drain();
  core.stop(0ms);
  core.stop(0ms);
  drain();
  CAF_CHECK_EQUAL(*downs, all.size());
  caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
  CAF_CHECK(!core.handles().arbiter);
  CAF_CHECK(core.handles().connections.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
