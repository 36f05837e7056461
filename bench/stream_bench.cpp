// SPDX-License-Identifier: Apache-2.0
// The WebSocket JSON stream (docs/stream.md): trade records/s from the hub
// through the stream gate and server to 1 and 4 WebSocket clients on
// loopback (C++ clients on their own io threads in this process), the JSON
// encoding cost per event, and the latency at 10 k records/s.
// Run: build/bin/kisrt-bench --benchmark_filter=stream
#include <benchmark/benchmark.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actors/event_json.hpp"
#include "actors/hub.hpp"
#include "actors/slot_arbiter.hpp"
#include "actors/slot_feed.hpp"
#include "apps/kisrt/stream.hpp"
#include "bench/latency_counters.hpp"
#include "messages/type_ids.hpp"
#include "net/io_runner.hpp"
#include "net/stream_server.hpp"
#include "net/url.hpp"
#include "net/ws_client.hpp"

using namespace kisrt;

namespace {

struct bench_config : caf::actor_system_config {
  bench_config() {
    add_message_types<caf::id_block::kisrt>();
    set("logger.verbosity", caf::atom("quiet"));
  }
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

trade_event make_trade(int i) {
  trade_event ev;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = std::to_string(100000 + i % 100);
  ev.data.time = {9, 30, 1};
  ev.data.date = 20261202;
  ev.data.price = 70000 + i % 100;
  ev.data.change = 300;
  ev.data.volume = 10;
  ev.data.cum_volume = 1000000 + i;
  return ev;
}

// A stream client: counts trades and, when they carry a send time in
// cum_value, their latency.
struct client {
  net::io_runner io;
  std::shared_ptr<net::ws_client> ws;
  std::atomic<std::uint64_t> trades{0};
  std::atomic<bool> open{false};
  std::mutex mtx;
  std::vector<std::int64_t> latency;
  bool stamped = false;

  explicit client(std::uint16_t port) {
    net::ws_options o;
    net::parse_url("ws://127.0.0.1:" + std::to_string(port) + "/", o.endpoint);
    net::ws_callbacks cbs;
    cbs.opened = [this] { open = true; };
    cbs.message = [this](std::string&& text) {
      if (text.compare(0, 17, "{\"event\":\"trade\",") != 0)
        return;
      if (stamped) {
        auto at = text.find("\"cum_value\":");
        if (at != std::string::npos) {
          auto sent = std::stoll(text.substr(at + 12));
          std::lock_guard<std::mutex> g{mtx};
          latency.push_back(now_ns() - sent);
        }
      }
      trades.fetch_add(1, std::memory_order_relaxed);
    };
    io.start();
    ws = net::make_ws_client(io, std::move(o), std::move(cbs));
    ws->start();
  }

  ~client() {
    ws->abort();
    io.stop();
  }
};

struct stream_rig {
  bench_config cfg;
  caf::actor_system sys{cfg};
  hub_actor hub_hdl;
  slot_arbiter_actor arbiter;
  slot_feed_actor feed;
  app::stream_handles stream;
  std::vector<std::unique_ptr<client>> clients;

  bool start(std::size_t n, bool stamped) {
    hub_hdl = sys.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{});
    slot_arbiter_config ac;
    ac.slots = slot_config::with_sessions(1);
    ac.tick_interval = mono_time{0};
    arbiter = sys.spawn(slot_arbiter, ac);
    feed = sys.spawn(slot_feed, std::size_t{64});
    app::stream_options so;
    so.enabled = true;
    so.max_queue = 1'000'000;
    stream = app::start_stream(sys, so, hub_hdl, arbiter, feed, {"s1"});
    for (std::size_t i = 0; i < n; ++i) {
      auto c = std::make_unique<client>(stream.server->port());
      c->stamped = stamped;
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds{10};
      while (!c->open && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
      if (!c->open)
        return false;
      c->ws->send("{\"op\":\"hello\",\"name\":\"bench" + std::to_string(i)
                  + "\"}");
      c->ws->send(R"({"op":"subscribe","tr_id":"H0STCNT0"})");
      clients.push_back(std::move(c));
    }
    // Subscribed once a probe event reaches every client.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    for (;;) {
      caf::anon_send(hub_hdl, make_trade(0));
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      bool all = true;
      for (auto& c : clients)
        all = all && c->trades.load() > 0;
      if (all)
        break;
      if (std::chrono::steady_clock::now() > deadline)
        return false;
    }
    for (auto& c : clients) {
      c->trades = 0;
      std::lock_guard<std::mutex> g{c->mtx};
      c->latency.clear();
    }
    return true;
  }

  ~stream_rig() {
    clients.clear();
    app::stop_stream(stream, std::chrono::milliseconds{200});
    caf::anon_send_exit(hub_hdl, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(arbiter, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(feed, caf::exit_reason::user_shutdown);
  }

  // Waits until every client has `n` trades; false after 30 s.
  bool settle(std::uint64_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    for (auto& c : clients)
      while (c->trades.load(std::memory_order_relaxed) < n)
        if (std::chrono::steady_clock::now() > deadline)
          return false;
        else
          std::this_thread::yield();
    return true;
  }
};

void stream_deliver(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  constexpr std::uint64_t batch = 2000;
  stream_rig rig;
  if (!rig.start(n, false)) {
    state.SkipWithError("clients did not subscribe");
    return;
  }
  std::vector<trade_event> events;
  for (int i = 0; i < 100; ++i)
    events.push_back(make_trade(i));
  std::uint64_t sent = 0;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < batch; ++i)
      caf::anon_send(rig.hub_hdl, events[i % events.size()]);
    sent += batch;
    if (!rig.settle(sent)) {
      state.SkipWithError("records went missing");
      return;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(sent * n));
  state.counters["slow_disconnects"] =
      static_cast<double>(rig.stream.server->stats().slow.load());
}

// 10 k trades/s for 2 s to one client; each carries its send time.
void stream_latency(benchmark::State& state) {
  stream_rig rig;
  if (!rig.start(1, true)) {
    state.SkipWithError("client did not subscribe");
    return;
  }
  constexpr int per_round = 20000;
  const auto gap = std::chrono::microseconds{100};
  std::vector<std::int64_t> all;
  for (auto _ : state) {
    auto& c = *rig.clients.front();
    c.trades = 0;
    auto next = std::chrono::steady_clock::now();
    for (int i = 0; i < per_round; ++i) {
      while (std::chrono::steady_clock::now() < next)
        ; // paced by spinning: a sleep is far coarser than 100 us
      auto ev = make_trade(i);
      ev.data.cum_value = now_ns();
      caf::anon_send(rig.hub_hdl, std::move(ev));
      next += gap;
    }
    if (!rig.settle(per_round)) {
      state.SkipWithError("records went missing");
      return;
    }
    std::lock_guard<std::mutex> g{c.mtx};
    all.insert(all.end(), c.latency.begin(), c.latency.end());
    c.latency.clear();
  }
  bench::report_latency(state, std::move(all));
}

// The JSON of one trade event, as the stream and kisrt-node write it.
void stream_json_encode(benchmark::State& state) {
  auto ev = make_trade(7);
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_event_json(out, ev);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["bytes"] = static_cast<double>(out.size());
}

} // namespace

BENCHMARK(stream_deliver)
    ->Name("stream/deliver")
    ->Arg(1)
    ->Arg(4)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(stream_latency)
    ->Name("stream/latency_10k")
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(stream_json_encode)->Name("stream/json_encode");
