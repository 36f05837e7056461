// SPDX-License-Identifier: Apache-2.0
// The running gateway: the core spawned by the assembly (actors/assembly.hpp)
// from gateway_options (apps/kisrt/options.hpp), its KST clock, the embedded
// simulator with `kis.sim`, remote nodes and the admin API
// (apps/kisrt/admin.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/kst_clock.hpp"
#include "apps/kisrt/options.hpp"
#include "messages/actors.hpp"

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt::sim {
class simulator;
} // namespace kisrt::sim

namespace kisrt::app {

struct gateway_handles; // apps/kisrt/gateway_handles.hpp

/// An in-process KIS, started.
struct embedded_kis {
  /// The simulator; its deleter comes from the library that made it.
  std::shared_ptr<sim::simulator> simulator;
  /// Closes its connections and joins its threads. Idempotent.
  std::function<void()> stop;
  std::uint16_t ws_port = 0;
  std::uint16_t rest_port = 0;
  std::uint16_t admin_port = 0;
};

/// How the gateway starts an in-process KIS for `kis.sim` (--sim). Only
/// programs that offer --sim link one (apps/kisrt/embedded_sim.hpp).
struct embedded_kis_factory {
  /// Its KST time of day at start (seconds after midnight) when neither
  /// `sim.kst_start` nor `clock.kst_start` is set.
  int default_kst_start = 0;
  /// Starts it for `opts` on the KST day `yyyymmdd`; throws
  /// std::runtime_error with the reason.
  std::function<embedded_kis(const gateway_options& opts,
                             std::int32_t yyyymmdd)>
      start;
};

/// The gateway's KST clock: the actor clock `mono_now` paired with the UTC
/// time `utc_now` (the one wall-clock read), or with `clock.kst_start` (or
/// for an embedded simulator its KST start: `sim_kst_start`, else
/// `sim_default_kst_start`) on the same KST day.
kst_clock gateway_clock(const gateway_options& o, mono_time mono_now,
                        std::chrono::system_clock::time_point utc_now,
                        int sim_default_kst_start);

class gateway {
public:
  /// `sim`: how to start the in-process KIS that `opts.sim` asks for
  /// (embedded_simulator() of apps/kisrt/embedded_sim.hpp); without it a
  /// start() with `opts.sim` throws.
  explicit gateway(gateway_options opts, embedded_kis_factory sim = {});
  ~gateway();

  /// Spawns everything in `sys`; throws std::runtime_error with a clear
  /// reason (a port in use, a bad URL, ...). What it started before the
  /// throw keeps running until stop() (the destructor calls it).
  void start(caf::actor_system& sys);

  /// Closes the sessions (close frames), ends every actor start() spawned,
  /// stops the admin API and the simulator. Returns within about `grace`.
  /// Safe after a start() that threw part-way, and idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds{2});

  std::uint16_t admin_port() const noexcept;

  /// The running actors of the demand sources (tests, tools).
  struct source_handles {
    std::optional<slot_arbiter_actor> arbiter;
    std::optional<portfolio_sync_actor> portfolio;
    std::optional<picks_loader_actor> picks;
    std::optional<scanner_actor> scanner;
  };
  source_handles sources() const;

  /// The node gate's port (0 when not publishing).
  std::uint16_t publish_port() const noexcept;

  /// The WebSocket stream's port (0 without --stream).
  std::uint16_t stream_port() const noexcept;

  const gateway_options& options() const noexcept;

  // -- embedding (docs/embedding.md) -----------------------------------------

  /// The arbiter, hub and decoder; valid from start() until stop().
  /// Include apps/kisrt/gateway_handles.hpp to use the result.
  gateway_handles handles() const;

  /// The in-process simulator with `sim`, else null (tests, examples).
  sim::simulator* simulator() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::app
