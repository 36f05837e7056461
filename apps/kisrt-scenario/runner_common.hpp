// SPDX-License-Identifier: Apache-2.0
// What the scripted runner (runner.cpp) and the --live runner
// (live_runner.cpp) share: the actor system settings, the gateway's actors
// as both runners wire them, the statement loop, the statements both run the
// same way and the parts of the FAIL report they print alike. Included only
// by the two runners.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "actors/kst_clock.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/checker.hpp"
#include "apps/kisrt-scenario/scenario_config.hpp"
#include "messages/actors.hpp"
#include "messages/demand.hpp"
#include "messages/slot_snapshot.hpp"
#include "messages/sources.hpp"

namespace caf {
class actor_system;
class actor_system_config;
} // namespace caf

namespace kisrt::scenario {

class scripted_pick_store;

/// Registers the kisrt message types and silences CAF's logger; `testing`
/// selects CAF's deterministic test scheduler.
caf::actor_system_config& configure_system(caf::actor_system_config& cfg,
                                           bool testing);

/// The KST clock of `cfg` (its date and `start` time) anchored at `t0`.
kst_clock kst_of(const scenario_config& cfg, mono_time t0);

/// The gateway's actors a scenario runs against, spawned in the order both
/// runners use.
struct core_actors {
  slot_arbiter_actor arbiter;
  hub_actor hub;
  decoder_actor decoder;
  slot_observer_actor observer;
  scanner_actor scanner;
  portfolio_sync_actor portfolio;
  picks_loader_actor loader;

  /// Spawns the arbiter, hub, decoder and an observer that passes every
  /// arbiter event (with its actor time) to `record`.
  void spawn_core(caf::actor_system& sys, slot_arbiter_config acfg,
                  std::function<void(timed_event)> record);

  /// Spawns the sources: the scanner (P3, fed by `ranking` lines), the
  /// portfolio_sync (P1, `holdings` lines, fills; no periodic poll) and the
  /// picks loader (P2, `picks` lines through `store`), and subscribes the
  /// portfolio_sync to the decoder.
  void spawn_sources(caf::actor_system& sys, const scenario_config& cfg,
                     const std::optional<kst_clock>& kst,
                     std::shared_ptr<scripted_pick_store> store);

  /// Sends an exit to every actor above.
  void shutdown() const;
};

/// The rows of a `ranking CODE:PCT:VOLUME ...` line.
ranking_snapshot ranking_of(const statement& st);

/// A `scan CODE ...` line: the first code scores highest.
scan_candidates scan_of(const statement& st, mono_time now);

/// A `request CODE ... owner=X priority=N` line; a script_error when the
/// priority is not 1..255.
slot_request request_of(const statement& st);

/// A `release CODE ... owner=X` line.
slot_release release_of(const statement& st);

/// Runs every non-`config` statement through `step` (a script_error
/// becomes a failure); on the first failure calls `report` and returns
/// false, else prints `PASS file: name` + `pass_suffix` and returns true.
bool run_statements(
    const script& sc, std::ostream& out, const char* pass_suffix,
    const std::function<std::optional<failure>(const statement&)>& step,
    const std::function<void(const statement&, const failure&)>& report);

/// The head of a FAIL report: `FAIL file:line: name` + `name_suffix`, then
/// the statement (as `statement_text`), expected and actual.
void print_failure_head(std::ostream& out, const script& sc,
                        const statement& st, const std::string& statement_text,
                        const failure& f, const char* name_suffix);

/// One line per session of `snap`, for the slot table of a FAIL report.
void print_sessions(std::ostream& out, const slot_snapshot& snap);

} // namespace kisrt::scenario
