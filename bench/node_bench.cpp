// SPDX-License-Identifier: Apache-2.0
// Remote nodes: trade records/s delivered from the hub to 1 and 4 remote
// CAF nodes over the middleman on loopback (real TCP, one actor system per
// node in this process). Each round publishes a batch below the hub's
// window and waits until every node has every record, so nothing is
// conflated or dropped: the rate is what arrives.
// Run: build/bin/kisrt-bench --benchmark_filter=nodes
#include <benchmark/benchmark.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "actors/hub.hpp"
#include "actors/node_gate.hpp"
#include "actors/slot_arbiter.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"

using namespace kisrt;

namespace {

struct mm_config : caf::actor_system_config {
  mm_config() {
    add_message_types<caf::id_block::kisrt>();
    load<caf::io::middleman>();
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct counter_state {
  static inline const char* name = "bench_counter";
};

market_listener_actor::behavior_type
counter(market_listener_actor::stateful_pointer<counter_state>,
        std::shared_ptr<std::atomic<std::uint64_t>> n) {
  return market_behavior<market_listener_actor::behavior_type>(
      ignore_event,
      [n](const trade_event&) { n->fetch_add(1, std::memory_order_relaxed); });
}

struct remote_node {
  mm_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<std::atomic<std::uint64_t>> received =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  market_listener_actor listener;
  /// The node as the gate knows it: its subscriptions live as long as it.
  std::optional<caf::scoped_actor> self;
};

void nodes_deliver(benchmark::State& state) {
  auto node_count = static_cast<std::size_t>(state.range(0));
  constexpr std::uint64_t batch = 2000; // below the hub's window of 4096
  mm_config gw_cfg;
  caf::actor_system gw{gw_cfg};
  auto hub_hdl =
      gw.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{});
  slot_arbiter_config ac;
  ac.slots = slot_config::with_sessions(1);
  ac.tick_interval = mono_time{0};
  auto arbiter = gw.spawn(slot_arbiter, ac);
  node_gate_config gc;
  auto gate = gw.spawn(node_gate, gc, hub_hdl, arbiter,
                       std::optional<notice_journal_actor>{},
                       std::optional<slot_feed_actor>{});
  auto port = gw.middleman().publish(gate, 0, "127.0.0.1", true);
  if (!port) {
    state.SkipWithError("publish failed");
    return;
  }
  std::vector<std::unique_ptr<remote_node>> nodes;
  for (std::size_t i = 0; i < node_count; ++i) {
    auto n = std::make_unique<remote_node>();
    n->listener = n->sys.spawn(counter, n->received);
    auto g =
        n->sys.middleman().remote_actor<node_gate_actor>("127.0.0.1", *port);
    if (!g) {
      state.SkipWithError("remote_actor failed");
      return;
    }
    auto& self = n->self.emplace(n->sys);
    bool ok = true;
    self->request(*g, std::chrono::seconds{10},
                  node_hello{"bench" + std::to_string(i)})
        .receive([](const node_policy&) {}, [&](caf::error&) { ok = false; });
    self->request(*g, std::chrono::seconds{10}, caf::subscribe_atom_v,
                  n->listener)
        .receive([] {}, [&](caf::error&) { ok = false; });
    if (!ok) {
      state.SkipWithError("join failed");
      return;
    }
    nodes.push_back(std::move(n));
  }
  std::vector<trade_event> events;
  for (int i = 0; i < 100; ++i) {
    trade_event ev;
    ev.tr_id = "H0STCNT0";
    ev.data.symbol = std::to_string(100000 + i);
    ev.data.price = 70000 + i;
    ev.data.cum_volume = 1000000 + i;
    events.push_back(ev);
  }
  std::uint64_t sent = 0;
  // Waits (yielding) until every node has `sent` records; false after 30 s.
  auto settle = [&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    for (auto& n : nodes)
      while (n->received->load(std::memory_order_relaxed) < sent)
        if (std::chrono::steady_clock::now() > deadline)
          return false;
        else
          std::this_thread::yield();
    return true;
  };
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < batch; ++i)
      caf::anon_send(hub_hdl, events[i % events.size()]);
    sent += batch;
    if (!settle()) {
      state.SkipWithError("records went missing");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(sent * node_count));
  state.counters["nodes"] = static_cast<double>(node_count);
  for (auto& n : nodes)
    caf::anon_send_exit(n->listener, caf::exit_reason::user_shutdown);
  nodes.clear();
  caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(arbiter, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(hub_hdl, caf::exit_reason::user_shutdown);
}

} // namespace

BENCHMARK(nodes_deliver)
    ->Name("nodes/deliver")
    ->Arg(1)
    ->Arg(4)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
