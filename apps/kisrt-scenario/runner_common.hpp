// SPDX-License-Identifier: Apache-2.0
// What the scripted runner (runner.cpp) and the --live runner
// (live_runner.cpp) share: the actor system settings, the gateway's actors
// as both runners wire them, the statement loop, the statements both run the
// same way and the parts of the FAIL report they print alike. Included only
// by the two runners.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/assembly.hpp"
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

/// The gateway's core a scenario runs against, spawned and wired by the
/// gateway's own assembly (actors/assembly.hpp), with the scenario's
/// sources and one observer that records every arbiter event.
class scenario_core {
public:
  /// Spawns the observer (passes every arbiter event, with its actor time,
  /// to `record`), then the core through assembly::start: arbiter (`acfg`,
  /// the clock `kst`), hub, decoder, one connection per session made by
  /// `make` (at start unless `connect_at_start` is false; then connect()),
  /// and the sources: the scanner (P3, fed by `ranking` lines), the
  /// portfolio_sync (P1, `holdings` lines and fills; no REST source, no
  /// periodic poll) and the picks loader (P2, `picks` lines through
  /// `store`).
  void start(caf::actor_system& sys, const scenario_config& cfg,
             slot_arbiter_config acfg, const kst_clock& kst,
             std::shared_ptr<scripted_pick_store> store,
             std::vector<session_spec> sessions, connection_factory make,
             std::function<void(timed_event)> record);

  /// Makes session `s`'s connection (a no-op when it has one).
  void connect(session_id s) { core_.connect(s); }

  /// Session `s`'s connection; null before connect().
  const connection_full_actor* connection(session_id s) const;

  const slot_arbiter_actor& arbiter() const { return *core_.handles().arbiter; }
  const hub_actor& hub() const { return *core_.handles().hub; }
  const decoder_actor& decoder() const { return *core_.handles().decoder; }
  const scanner_actor& scanner() const { return *core_.handles().scanner; }
  const portfolio_sync_actor& portfolio() const {
    return *core_.handles().portfolio;
  }
  const picks_loader_actor& loader() const {
    return *core_.handles().picks_loader;
  }
  const slot_observer_actor& observer() const { return *observer_; }

  /// assembly::stop(grace) (close frames, waiting up to `grace` for each;
  /// 0: none), then ends the observer.
  void stop(std::chrono::milliseconds grace);

private:
  assembly core_;
  std::optional<slot_observer_actor> observer_;
};

/// A session_spec for session `s` (named as session_name(s)) with the
/// production connection settings.
session_spec session_of_index(session_id s, bool connect_at_start);

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
