// SPDX-License-Identifier: Apache-2.0
// Slot arbiter: demand operations per second and the cost of a full replay
// plan, on 3 sessions x 41 slots with 2,000 scanner candidates.
// Run: build/bin/kisrt-bench --benchmark_filter=arbiter
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "actors/slot_model.hpp"

using namespace kisrt;

namespace {

constexpr int candidate_count = 2000;

std::string sym(const char* prefix, int i) {
  auto s = std::to_string(i);
  return prefix + std::string(4 - s.size(), '0') + s;
}

// Answers every outstanding command like a healthy server.
void settle(slot_model& m, slot_outputs& out, mono_time now) {
  for (int round = 0; round < 100 && !out.commands.empty(); ++round) {
    auto cmds = std::move(out.commands);
    out.clear();
    for (auto& c : cmds)
      m.on_ack(sub_ack{c.session, c.epoch, c.key,
                       c.op == wire_op::subscribe ? "OPSP0000" : "OPSP0001"},
               now, out);
  }
  out.clear();
}

// 3 sessions x 41 (notice included), all up and settled: 5 holdings (10
// keys), 20 picks and 2,000 scanner candidates competing for the rest.
struct loaded_model {
  slot_model m;
  slot_outputs out;
  mono_time now{std::chrono::hours{1}};
  std::vector<scan_candidate> cands;

  static slot_config config() {
    auto cfg = slot_config::with_sessions(3, 41);
    for (auto& s : cfg.sessions)
      s.notice = slot_key{"H0STCNI0", "hts" + std::to_string(s.id)};
    cfg.candidate_ttl = std::chrono::hours{24};
    return cfg;
  }

  loaded_model()
      : m(config()) {
    for (session_id s = 0; s < 3; ++s)
      m.on_up(s, 1, now, out);
    std::vector<std::string> holdings, picks;
    for (int i = 0; i < 5; ++i)
      holdings.push_back(sym("H", i));
    for (int i = 0; i < 20; ++i)
      picks.push_back(sym("P", i));
    m.set_holdings(holdings, now, out);
    m.set_picks(picks, now, out);
    for (int i = 0; i < candidate_count; ++i)
      cands.push_back(scan_candidate{sym("C", i), double(i % 97), now});
    m.add_candidates(cands, now, out);
    settle(m, out, now);
  }
};

// A scanner poll: a batch of candidate updates (new scores and times),
// planned once per batch as the actor does per message.
void arbiter_demand_batch(benchmark::State& state) {
  loaded_model lm;
  auto batch = static_cast<int>(state.range(0));
  std::vector<scan_candidate> xs(static_cast<size_t>(batch));
  int next = 0;
  for (auto _ : state) {
    lm.now += std::chrono::milliseconds{1};
    for (auto& x : xs) {
      x = lm.cands[static_cast<size_t>(next)];
      x.score = double((next * 31) % 101);
      x.seen = lm.now;
      next = (next + 1) % candidate_count;
    }
    lm.m.add_candidates(xs, lm.now, lm.out);
    settle(lm.m, lm.out, lm.now);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(arbiter_demand_batch)
    ->Arg(1)
    ->Arg(100)
    ->Arg(2000)
    ->Name("arbiter/demand_scan_batch");

// A fill: one holding added and removed, each with a full re-plan and the
// wire traffic it causes (evict a scanner slot, then give it back).
void arbiter_demand_fill(benchmark::State& state) {
  loaded_model lm;
  for (auto _ : state) {
    lm.now += std::chrono::milliseconds{1};
    lm.m.update_position(position_update{"FILL", 1}, lm.now, lm.out);
    settle(lm.m, lm.out, lm.now);
    lm.m.update_position(position_update{"FILL", 0}, lm.now, lm.out);
    settle(lm.m, lm.out, lm.now);
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(arbiter_demand_fill)->Name("arbiter/demand_fill");

// A reconnect of one session: after its down (holdings migrated and
// settled, not timed), the up with a new epoch computes and sends the
// session's full replay plan. Timed: the up alone.
void arbiter_replay(benchmark::State& state) {
  loaded_model lm;
  epoch_t epoch = 1;
  std::size_t sent = 0;
  for (auto _ : state) {
    state.PauseTiming();
    lm.m.on_down(1, epoch, lm.now, lm.out);
    settle(lm.m, lm.out, lm.now);
    state.ResumeTiming();
    lm.m.on_up(1, ++epoch, lm.now, lm.out);
    state.PauseTiming();
    sent = lm.out.commands.size();
    settle(lm.m, lm.out, lm.now);
    state.ResumeTiming();
  }
  // Notice + everything planned there + unsubscribes of holdings coming
  // home from the other sessions.
  if (sent < 41)
    state.SkipWithError("replay sent fewer than 41 commands");
  state.counters["commands"] = static_cast<double>(sent);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(arbiter_replay)->Name("arbiter/replay_plan");

// The plan alone: a tick that changes nothing still recomputes the full
// plan over every key of every session.
void arbiter_plan(benchmark::State& state) {
  loaded_model lm;
  for (auto _ : state) {
    lm.m.tick(lm.now, false, lm.out);
    lm.out.clear();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(arbiter_plan)->Name("arbiter/full_plan");

} // namespace
