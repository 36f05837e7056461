// SPDX-License-Identifier: Apache-2.0
// Remote nodes: trade records/s delivered from the hub to 1 and 4 remote
// CAF nodes over the middleman on loopback (real TCP, one actor system per
// node in this process), in batches (actors/node_gate_proxy.hpp). Each
// round publishes a batch below the hub's window and waits until every
// node has every record, so nothing is conflated or dropped: the rate is
// what arrives. nodes/latency: at 10 k records/s, the time from the hub
// to a local subscriber and to a remote node's listener.
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
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "actors/hub.hpp"
#include "actors/node_gate.hpp"
#include "actors/slot_arbiter.hpp"
#include "bench/latency_counters.hpp"
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

remote_listener_actor::behavior_type
counter(remote_listener_actor::stateful_pointer<counter_state>,
        std::shared_ptr<std::atomic<std::uint64_t>> n) {
  return remote_market_behavior<remote_listener_actor::behavior_type>(
      ignore_event,
      [n](const trade_event&) { n->fetch_add(1, std::memory_order_relaxed); });
}

// Latency samples: `now - cum_value` (the publisher's steady_clock in
// ns) per trade, for one listener.
struct latency_log {
  std::mutex mtx;
  std::vector<std::int64_t> ns; ///< guarded by mtx
  std::atomic<std::uint64_t> received{0};
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

remote_listener_actor::behavior_type
stopwatch(remote_listener_actor::stateful_pointer<counter_state>,
          std::shared_ptr<latency_log> log) {
  return remote_market_behavior<remote_listener_actor::behavior_type>(
      ignore_event, [log](const trade_event& ev) {
        auto lat = now_ns() - ev.data.cum_value;
        std::lock_guard<std::mutex> guard{log->mtx};
        log->ns.push_back(lat);
        log->received.fetch_add(1, std::memory_order_relaxed);
      });
}

/// The gateway's side: hub, arbiter and the published node gate.
struct gateway_side {
  mm_config cfg;
  caf::actor_system sys{cfg};
  hub_actor hub_hdl;
  slot_arbiter_actor arbiter;
  node_gate_actor gate;
  std::uint16_t port = 0;

  gateway_side() {
    hub_hdl = sys.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{});
    slot_arbiter_config ac;
    ac.slots = slot_config::with_sessions(1);
    ac.tick_interval = mono_time{0};
    arbiter = sys.spawn(slot_arbiter, ac);
    node_gate_config gc;
    gate = sys.spawn(node_gate, gc, hub_hdl, arbiter,
                     std::optional<notice_journal_actor>{},
                     std::optional<slot_feed_actor>{});
    if (auto p = sys.middleman().publish(gate, 0, "127.0.0.1", true))
      port = *p;
  }

  ~gateway_side() {
    caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(arbiter, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(hub_hdl, caf::exit_reason::user_shutdown);
  }
};

struct remote_node {
  mm_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<std::atomic<std::uint64_t>> received =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  remote_listener_actor listener;
  /// The node as the gate knows it: its subscriptions live as long as it.
  std::optional<caf::scoped_actor> self;

  ~remote_node() {
    caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
  }

  /// Says hello as `name` and subscribes `listener` to everything.
  bool join(std::uint16_t port, const std::string& name) {
    auto g = sys.middleman().remote_actor<node_gate_actor>("127.0.0.1", port);
    if (!g)
      return false;
    auto& me = self.emplace(sys);
    bool ok = true;
    me->request(*g, std::chrono::seconds{10}, node_hello{name})
        .receive([](const node_policy&) {}, [&](caf::error&) { ok = false; });
    me->request(*g, std::chrono::seconds{10}, caf::subscribe_atom_v, listener)
        .receive([] {}, [&](caf::error&) { ok = false; });
    return ok;
  }
};

void nodes_deliver(benchmark::State& state) {
  auto node_count = static_cast<std::size_t>(state.range(0));
  constexpr std::uint64_t batch = 2000; // below the hub's window of 4096
  gateway_side gw;
  if (gw.port == 0) {
    state.SkipWithError("publish failed");
    return;
  }
  std::vector<std::unique_ptr<remote_node>> nodes;
  for (std::size_t i = 0; i < node_count; ++i) {
    auto n = std::make_unique<remote_node>();
    n->listener = n->sys.spawn(counter, n->received);
    if (!n->join(gw.port, "bench" + std::to_string(i))) {
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
      caf::anon_send(gw.hub_hdl, events[i % events.size()]);
    sent += batch;
    if (!settle()) {
      state.SkipWithError("records went missing");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(sent * node_count));
  state.counters["nodes"] = static_cast<double>(node_count);
  nodes.clear();
}

// range(0): 0 = a local subscriber of the hub, 1 = a remote node's
// listener. Trades at 10 k/s, each stamped with its send time.
void nodes_latency(benchmark::State& state) {
  bool remote = state.range(0) == 1;
  constexpr double rate = 10'000;
  gateway_side gw;
  if (gw.port == 0) {
    state.SkipWithError("publish failed");
    return;
  }
  auto log = std::make_shared<latency_log>();
  log->ns.reserve(1 << 20);
  std::unique_ptr<remote_node> node;
  remote_listener_actor local;
  if (remote) {
    node = std::make_unique<remote_node>();
    node->listener = node->sys.spawn(stopwatch, log);
    if (!node->join(gw.port, "latency")) {
      state.SkipWithError("join failed");
      return;
    }
  } else {
    local = gw.sys.spawn(stopwatch, log);
    caf::anon_send(gw.hub_hdl, caf::subscribe_atom_v,
                   caf::actor_cast<market_listener_actor>(local));
  }
  trade_event ev;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = "005930";
  ev.data.price = 70000;
  auto period = std::chrono::nanoseconds{static_cast<std::int64_t>(1e9 / rate)};
  auto next = std::chrono::steady_clock::now();
  std::uint64_t sent = 0;
  for (auto _ : state) {
    // 1000 trades per iteration, paced (spinning: sleeps are too coarse).
    for (int i = 0; i < 1000; ++i) {
      next += period;
      while (std::chrono::steady_clock::now() < next)
        ; // spin
      ev.data.cum_value = now_ns();
      caf::anon_send(gw.hub_hdl, ev);
      ++sent;
    }
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (log->received.load() < sent
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  state.SetItemsProcessed(static_cast<std::int64_t>(sent));
  state.counters["lost"] = static_cast<double>(sent - log->received.load());
  std::vector<std::int64_t> lat;
  {
    std::lock_guard<std::mutex> guard{log->mtx};
    lat = log->ns;
  }
  bench::report_latency(state, std::move(lat));
  if (local)
    caf::anon_send_exit(local, caf::exit_reason::user_shutdown);
  node.reset();
}

} // namespace

BENCHMARK(nodes_deliver)
    ->Name("nodes/deliver")
    ->Arg(1)
    ->Arg(4)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK(nodes_latency)
    ->Name("nodes/latency")
    ->ArgNames({"remote"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3.0);
