// SPDX-License-Identifier: Apache-2.0
// The node gate's proxy batches events for its remote listener: full
// batches go at once, the rest at the deadline, a notice at once, always
// in the hub's order. On the test coordinator: the fixture's scoped actor
// plays the hub, a local actor the node's listener.
#define CAF_SUITE nodes.proxy_batches
#include "tests/common/actor_fixture.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/node_gate_proxy.hpp"
#include "messages/type_ids.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

/// What the listener got: one entry per message, each the events' labels
/// ("t:<price>" for trades, "n:<order>" for notices).
using batch_log = std::shared_ptr<std::vector<std::vector<std::string>>>;

struct listener_state {
  static inline const char* name = "batch_listener";
};

remote_listener_actor::behavior_type
listener(remote_listener_actor::stateful_pointer<listener_state>,
         batch_log log) {
  auto label = [](const auto& ev) -> std::string {
    using event = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<event, trade_event>)
      return "t:" + std::to_string(ev.data.price);
    else if constexpr (std::is_same_v<event, notice_event>)
      return "n:" + ev.data.order_no;
    else
      return "?";
  };
  auto single = [log, label](const auto& ev) { log->push_back({label(ev)}); };
  // Each event sent alone is an entry of its own; a batch is one entry.
  return market_behavior<remote_listener_actor::behavior_type>(
      single, [log, label](event_batch& b) {
        std::vector<std::string> labels;
        auto skipped = for_each_event(
            b, [&](const auto& ev) { labels.push_back(label(ev)); });
        CAF_CHECK_EQUAL(skipped, 0u);
        log->push_back(std::move(labels));
      });
}

trade_event trade_of(const std::string& symbol, std::int64_t price) {
  trade_event ev;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = symbol;
  ev.data.price = price;
  return ev;
}

notice_event fill_of(const std::string& order_no) {
  notice_event ev;
  ev.tr_id = "H0STCNI0";
  ev.data.customer_id = "hts01";
  ev.data.order_no = order_no;
  return ev;
}

using labels = std::vector<std::string>;

struct fixture : test::actor_fixture<> {
  batch_log log = std::make_shared<std::vector<std::vector<std::string>>>();
  remote_listener_actor remote;
  node_proxy_actor proxy;

  void start(node_proxy_config cfg) {
    remote = sys.spawn(listener, log);
    proxy = sys.spawn(node_proxy, cfg, self->address(), remote);
    drain();
  }

  node_proxy_state& proxy_state() {
    return deref<node_proxy_actor::stateful_base<node_proxy_state>>(proxy)
        .state;
  }

  ~fixture() {
    caf::anon_send_exit(proxy, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(remote, caf::exit_reason::user_shutdown);
    drain();
  }
};

node_proxy_config batches_of(std::uint32_t n, std::chrono::microseconds d) {
  node_proxy_config cfg;
  cfg.window = 64;
  cfg.confirm_every = 8;
  cfg.batch_max = n;
  cfg.batch_delay = d;
  return cfg;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(proxy_batch_tests, fixture)

CAF_TEST(a full batch goes at once and the rest at the deadline) {
  start(batches_of(4, 200us));
  for (int i = 1; i <= 6; ++i)
    self->send(proxy, trade_of(i % 2 ? "005930" : "000660", 70000 + i));
  drain();
  CAF_REQUIRE_EQUAL(log->size(), 1u);
  CAF_CHECK_EQUAL(log->at(0),
                  (labels{"t:70001", "t:70002", "t:70003", "t:70004"}));
  // The last two wait for the deadline, not a moment longer.
  advance(199us);
  CAF_CHECK_EQUAL(log->size(), 1u);
  advance(1us);
  CAF_REQUIRE_EQUAL(log->size(), 2u);
  CAF_CHECK_EQUAL(log->at(1), (labels{"t:70005", "t:70006"}));
  CAF_CHECK_EQUAL(proxy_state().batches, 2u);
}

CAF_TEST(a notice sends its batch at once and keeps the order) {
  start(batches_of(256, 200us));
  self->send(proxy, trade_of("005930", 70001));
  self->send(proxy, trade_of("000660", 180000));
  self->send(proxy, fill_of("7"));
  self->send(proxy, trade_of("005930", 70002));
  drain();
  // No time passed: the notice did not wait for the deadline, and the
  // trades before it went with it, in order.
  CAF_REQUIRE_EQUAL(log->size(), 1u);
  CAF_CHECK_EQUAL(log->at(0), (labels{"t:70001", "t:180000", "n:7"}));
  advance(200us);
  CAF_REQUIRE_EQUAL(log->size(), 2u);
  CAF_CHECK_EQUAL(log->at(1), (labels{"t:70002"}));
}

CAF_TEST(a deadline of a batch already sent does nothing) {
  start(batches_of(2, 200us));
  self->send(proxy, trade_of("005930", 70001));
  drain();
  // The deadline of batch 0 is pending; the batch fills up first.
  self->send(proxy, trade_of("005930", 70002));
  drain();
  CAF_REQUIRE_EQUAL(log->size(), 1u);
  // Batch 1 starts; batch 0's deadline fires at 200 us and must not send
  // it early (it has its own deadline, 100 us later).
  advance(100us);
  self->send(proxy, trade_of("005930", 70003));
  drain();
  advance(100us);
  CAF_CHECK_EQUAL(log->size(), 1u);
  advance(100us);
  CAF_REQUIRE_EQUAL(log->size(), 2u);
  CAF_CHECK_EQUAL(log->at(1), (labels{"t:70003"}));
}

CAF_TEST(events from anyone but the hub and foreign deadlines are dropped) {
  start(batches_of(4, 200us));
  auto stranger = sys.spawn(
      [](caf::event_based_actor* me, node_proxy_actor p) -> caf::behavior {
        me->send(p, trade_of("005930", 1));
        me->send(p, caf::tick_atom_v, std::uint64_t{0});
        event_batch fake;
        fake.events.push_back(caf::make_message(fill_of("fake")));
        me->send(caf::actor_cast<caf::actor>(p), std::move(fake));
        return {[](int) {}};
      },
      proxy);
  self->send(proxy, trade_of("005930", 70001));
  drain();
  // The stranger's tick did not send the hub's trade early, its trade and
  // batch went nowhere.
  CAF_CHECK_EQUAL(log->size(), 0u);
  CAF_CHECK_EQUAL(proxy_state().refused, 1u);
  advance(200us);
  CAF_REQUIRE_EQUAL(log->size(), 1u);
  CAF_CHECK_EQUAL(log->at(0), (labels{"t:70001"}));
  caf::anon_send_exit(stranger, caf::exit_reason::user_shutdown);
}

CAF_TEST(batches confirm the window and release what waited) {
  // A window of 8, confirmations every 4th event, batches of 4: the
  // first two batches fill the window; the rest waits (conflated per key)
  // until the listener's answers confirm them.
  node_proxy_config cfg;
  cfg.window = 8;
  cfg.confirm_every = 4;
  cfg.batch_max = 4;
  cfg.batch_delay = 200us;
  start(cfg);
  for (int i = 1; i <= 12; ++i)
    self->send(proxy, trade_of(std::to_string(100000 + i), 70000 + i));
  drain();
  CAF_REQUIRE_EQUAL(log->size(), 3u);
  CAF_CHECK_EQUAL(log->at(0).front(), "t:70001");
  CAF_CHECK_EQUAL(log->at(2),
                  (labels{"t:70009", "t:70010", "t:70011", "t:70012"}));
  CAF_CHECK_EQUAL(proxy_state().core.stats(proxy_state().sub).delivered, 12u);
}

CAF_TEST(with no delay every event goes at once) {
  start(batches_of(256, 0us));
  self->send(proxy, trade_of("005930", 70001));
  drain();
  self->send(proxy, trade_of("005930", 70002));
  drain();
  CAF_REQUIRE_EQUAL(log->size(), 2u);
  CAF_CHECK_EQUAL(log->at(1), (labels{"t:70002"}));
}

CAF_TEST_FIXTURE_SCOPE_END()
