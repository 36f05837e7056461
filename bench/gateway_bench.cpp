// SPDX-License-Identifier: Apache-2.0
// End to end: simulator -> ws_client -> connection -> decoder -> hub -> a
// subscriber actor, on loopback, with the real arbiter placing ten picks.
//   gateway_records_end_to_end: records/s the subscriber receives with the
//     simulator asked for more than that (it holds back rather than queue
//     without bound, so this is the sustained rate); `lost` = records sent
//     minus received once the feed is stalled and drained.
//   gateway_latency: at a fixed rate, latency from the simulator's send
//     timestamp (options::stamp_trades) to the subscriber: p50_us, p99_us.
// Compare with sim_records_to_one_connection (bench/sim_bench.cpp, a bare
// Beast read loop on the same stream) in the same run:
//   build/bin/kisrt-bench --benchmark_filter='sim_records|gateway_'
#include <benchmark/benchmark.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "actors/assembly.hpp"
#include "actors/scheduler_tuning.hpp"
#include "bench/latency_counters.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"

namespace {

using namespace kisrt;

struct bench_config : caf::actor_system_config {
  bench_config() {
    add_message_types<caf::id_block::kisrt>();
    set("logger.verbosity", caf::atom("quiet"));
    // The scheduler as kisrt runs it (`scheduler.*` defaults), unless an
    // experiment overrides a knob (docs/benchmarks.md, "End to end").
    scheduler_options so;
    if (auto* v = std::getenv("KISRT_BENCH_WORKERS"))
      so.workers = std::stoul(v);
    if (auto* v = std::getenv("KISRT_BENCH_MODERATE_SLEEP_US"))
      so.poll_sleep = std::chrono::microseconds{std::stol(v)};
    if (auto* v = std::getenv("KISRT_BENCH_TIMER_SLACK_NS"))
      so.timer_slack_ns = std::stoul(v);
    configure_scheduler(*this, so);
    if (auto* v = std::getenv("KISRT_BENCH_SCHEDULER"))
      set("scheduler.policy", std::string{v} == "sharing"
                                  ? caf::atom("sharing")
                                  : caf::atom("stealing"));
    if (auto* v = std::getenv("KISRT_BENCH_AGGRESSIVE_POLLS"))
      set("work-stealing.aggressive-poll-attempts", std::stoul(v));
    if (auto* v = std::getenv("KISRT_BENCH_MODERATE_POLLS"))
      set("work-stealing.moderate-poll-attempts", std::stoul(v));
  }
};

// What the subscriber saw; written by its actor, read by the bench thread.
struct seen_stats {
  std::atomic<std::uint64_t> records{0};
  /// The count a waiter wants; the subscriber wakes it when reached.
  std::atomic<std::uint64_t> want{UINT64_MAX};
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::int64_t> latency_ns; ///< guarded by mtx
  bool stamped = false;

  // Waits until `n` records arrived (bounded: false after 30 s).
  bool wait_for(std::uint64_t n) {
    std::unique_lock<std::mutex> guard{mtx};
    want = n;
    auto ok = cv.wait_for(guard, std::chrono::seconds{30},
                          [&] { return records.load() >= n; });
    want = UINT64_MAX;
    return ok;
  }
};

struct counter_state {
  std::shared_ptr<seen_stats> stats;
  static inline const char* name = "bench_subscriber";
};

market_listener_actor::behavior_type
counter(market_listener_actor::stateful_pointer<counter_state> self,
        std::shared_ptr<seen_stats> stats) {
  self->state.stats = std::move(stats);
  return market_behavior<market_listener_actor::behavior_type>(
      ignore_event, [self](const trade_event& ev) {
        auto& st = *self->state.stats;
        if (st.stamped) {
          auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
          std::lock_guard<std::mutex> guard{st.mtx};
          st.latency_ns.push_back(now - ev.data.cum_value);
        }
        if (++st.records >= st.want.load()) {
          std::lock_guard<std::mutex> guard{st.mtx}; // no lost wake-up
          st.cv.notify_all();
        }
      });
}

// `"H0STCNT0":N` inside the simulator's /state "records" object.
std::uint64_t sim_records(sim::simulator& s) {
  auto text = s.state_json();
  auto at = text.find("\"records\":{");
  if (at == std::string::npos)
    return 0;
  at = text.find("\"H0STCNT0\":", at);
  if (at == std::string::npos)
    return 0;
  return std::strtoull(text.c_str() + at + 11, nullptr, 10);
}

// The gateway's wire side and hub, spawned by the assembly as the gateway
// spawns them (no sources, no journal).
struct pipeline {
  sim::simulator simu;
  bench_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<net::io_runner> io = std::make_shared<net::io_runner>();
  std::shared_ptr<seen_stats> stats = std::make_shared<seen_stats>();
  assembly core;
  caf::actor sub;
  hub_actor hub_hdl;
  decoder_actor dec;

  static sim::options sim_opts(double rate, std::size_t batch, bool stamp,
                               std::chrono::microseconds tick) {
    sim::options o;
    o.accounts = {{"BENCHKEY", "BENCHSECRET", "bench", "12345678"}};
    o.rate = rate;
    o.batch_max = batch;
    o.kst_start = 10 * 3600;
    o.rest_plain = true;
    o.log_level = "off";
    o.pingpong_interval = std::chrono::hours(1);
    o.pingpong_timeout = std::chrono::hours(2);
    o.stamp_trades = stamp;
    o.tick = tick;
    return o;
  }

  pipeline(double rate, std::size_t batch, bool stamp,
           hub_config hc = hub_config{},
           std::chrono::microseconds tick = std::chrono::microseconds{5000})
      : simu(sim_opts(rate, batch, stamp, tick)) {
    stats->stamped = stamp;
    auto ports = simu.start();
    io->start();
    core_spec spec;
    session_config sc;
    sc.id = 0;
    sc.reserve_notice = false;
    spec.arbiter.slots.sessions = {sc};
    spec.hub = hc;
    auto counter_hdl = sys.spawn(counter, stats);
    sub = caf::actor_cast<caf::actor>(counter_hdl);
    spec.listeners.push_back(counter_hdl);
    session_spec ss;
    ss.name = "bench";
    ss.endpoints.ws_url =
        "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
    ss.endpoints.rest_url = "http://127.0.0.1:" + std::to_string(ports.rest);
    ss.endpoints.app_key = "BENCHKEY";
    ss.endpoints.app_secret = "BENCHSECRET";
    ss.seed = 1;
    spec.sessions.push_back(std::move(ss));
    spec.make_connection = real_connections(io);
    spec.picks = {"005930", "000660", "035420", "035720", "005380",
                  "000270", "051910", "006400", "373220", "207940"};
    core.start(sys, std::move(spec));
    hub_hdl = *core.handles().hub;
    dec = *core.handles().decoder;
  }

  ~pipeline() {
    core.stop(std::chrono::milliseconds{0});
    caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
    io->stop();
    simu.stop();
  }

  // Asks `who` for its counters (hub: dropped + conflated; decoder: bad
  // frames + bad records).
  std::uint64_t ask(const hub_actor& who) {
    std::uint64_t n = 0;
    caf::scoped_actor self{sys};
    self->request(who, std::chrono::seconds{5}, caf::get_atom_v, atom::stats_v)
        .receive([&](const hub_counters& x) { n = x.dropped + x.conflated; },
                 [](caf::error&) {});
    return n;
  }
  std::uint64_t ask(const decoder_actor& who) {
    std::uint64_t n = 0;
    caf::scoped_actor self{sys};
    self->request(who, std::chrono::seconds{5}, caf::get_atom_v, atom::stats_v)
        .receive(
            [&](const decoder_counters& x) {
              n = x.bad_frames + x.bad_records;
            },
            [](caf::error&) {});
    return n;
  }

  // Stalls the feed, waits until the subscriber has what was sent; returns
  // sent - received (0 = nothing lost).
  std::int64_t drain() {
    simu.inject_fault(R"({"kind":"stall","seconds":0})");
    auto sent = sim_records(simu);
    stats->wait_for(sent);
    return static_cast<std::int64_t>(sent)
           - static_cast<std::int64_t>(stats->records.load());
  }
};

// The hub's subscriber window as the third argument (0: the defaults, the
// subscriber here is local so `local_window`):
// a window the stream never fills shows what the confirmations cost.
void gateway_records_end_to_end(benchmark::State& state) {
  hub_config hc;
  if (state.range(2) > 0) {
    hc.window = static_cast<std::uint32_t>(state.range(2));
    hc.local_window = hc.window;
    hc.max_queue = static_cast<std::size_t>(state.range(2));
  }
  pipeline p{static_cast<double>(state.range(0)),
             static_cast<std::size_t>(state.range(1)), false, hc};
  if (!p.stats->wait_for(20000)) { // warm-up: slots placed, feed running
    state.SkipWithError("no records from the simulator");
    return;
  }
  auto start = p.stats->records.load();
  auto target = start;
  for (auto _ : state) {
    target += 10000;
    if (!p.stats->wait_for(target)) {
      state.SkipWithError("the feed stopped");
      return;
    }
  }
  auto got = p.stats->records.load() - start;
  state.SetItemsProcessed(static_cast<std::int64_t>(got));
  state.counters["lost"] = static_cast<double>(p.drain());
  state.counters["hub_drops"] = static_cast<double>(p.ask(p.hub_hdl));
  state.counters["decode_errors"] = static_cast<double>(p.ask(p.dec));
}

void gateway_latency(benchmark::State& state) {
  pipeline p{static_cast<double>(state.range(0)),
             static_cast<std::size_t>(state.range(1)), true, hub_config{},
             std::chrono::microseconds{state.range(2)}};
  if (!p.stats->wait_for(5000)) {
    state.SkipWithError("no records from the simulator");
    return;
  }
  {
    std::lock_guard<std::mutex> guard{p.stats->mtx};
    p.stats->latency_ns.clear(); // only the steady state counts
    // No reallocation (a copy of every sample so far) inside the handler.
    p.stats->latency_ns.reserve(1 << 22);
  }
  auto start = p.stats->records.load();
  auto target = start;
  for (auto _ : state) {
    target += 1000;
    if (!p.stats->wait_for(target)) {
      state.SkipWithError("the feed stopped");
      return;
    }
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(p.stats->records.load() - start));
  std::vector<std::int64_t> lat;
  {
    std::lock_guard<std::mutex> guard{p.stats->mtx};
    lat = p.stats->latency_ns;
  }
  if (lat.empty())
    return;
  bench::report_latency(state, std::move(lat));
  state.counters["lost"] = static_cast<double>(p.drain());
}

} // namespace

BENCHMARK(gateway_records_end_to_end)
    ->ArgNames({"rate", "batch_max", "window"})
    ->Args({1'000'000, 50, 0})
    ->Args({1'000'000, 20, 0})
    ->Args({300'000, 20, 0})
    ->Args({250'000, 20, 0})
    ->Args({200'000, 20, 0})
    ->Args({150'000, 20, 0})
    ->Args({100'000, 20, 0})
    ->Args({1'000'000, 20, 1 << 22})
    ->Args({1'000'000, 20, 1 << 14})
    ->Args({1'000'000, 20, 1 << 16})
    ->UseRealTime()
    ->MinTime(3.0);

BENCHMARK(gateway_latency)
    ->ArgNames({"rate", "batch_max", "tick_us"})
    ->Args({10'000, 20, 100})
    ->Args({10'000, 20, 5000})
    ->UseRealTime()
    ->MinTime(5.0);
