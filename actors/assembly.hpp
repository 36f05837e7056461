// SPDX-License-Identifier: Apache-2.0
// The one place the core is spawned and wired: arbiter, hub, decoder, the
// notice journal, one connection per session and the demand sources, from a
// core_spec. The gateway (and through it the callback facade), the
// benchmarks and the e2e tests build a spec and call assembly::start; a
// wiring change is made here once (docs/architecture.md, "The assembly").
//
// Connections are made only through core_spec::make_connection, so a caller
// chooses the transport (real sockets, a scripted KIS) without this file
// knowing it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/calendar.hpp"
#include "actors/connection.hpp"
#include "actors/connection_core.hpp"
#include "actors/hub.hpp"
#include "actors/kst_clock.hpp"
#include "actors/notice_journal.hpp"
#include "actors/picks_loader.hpp"
#include "actors/portfolio_sync.hpp"
#include "actors/scanner.hpp"
#include "actors/slot_arbiter.hpp"
#include "actors/snapshot_fetcher.hpp"
#include "messages/actors.hpp"

namespace caf {
class actor_system;
} // namespace caf

namespace kisrt {

/// One session (one app key) and how its connection reaches KIS.
struct session_spec {
  /// "s1": the connection's label in logs.
  std::string name;
  /// The connection's settings; the assembly sets `session` (the spec's
  /// index) and `label` (`name`).
  connection_config connection;
  /// Where a real connection goes (URLs, app key, secret: never logged).
  connection_endpoints endpoints;
  /// The connection's jitter seed.
  std::uint64_t seed = 0;
  /// False: assembly::connect() makes the connection later.
  bool connect_at_start = true;
};

/// What a session's connection is wired to.
struct connection_wiring {
  /// Gets the session's up/down and answers.
  slot_arbiter_actor arbiter;
  /// Gets every frame.
  decoder_actor decoder;
};

/// Makes one session's connection actor. The assembly attaches the result
/// to the arbiter, closes it (close frames) at stop and ends it. Throws
/// std::runtime_error for settings it cannot use (a bad URL).
using connection_factory = std::function<connection_full_actor(
    caf::actor_system& sys, const session_spec& session,
    const connection_wiring& wiring)>;

/// Today's connection on real sockets: net::ws_client and net::http_client
/// on `io`, to `session.endpoints`.
connection_factory real_connections(std::shared_ptr<net::io_runner> io);

/// Everything the assembly spawns, and how.
struct core_spec {
  /// The clock of KST schedules (market hours, the 07:20 picks, the trading
  /// day); given to the arbiter, the scanner, the picks loader and the
  /// notice journal. Empty: each keeps the clock of its own config.
  std::optional<kst_clock> kst;
  slot_arbiter_config arbiter;
  hub_config hub;
  /// Session i is `sessions[i]` (and `arbiter.slots.sessions[i]`).
  std::vector<session_spec> sessions;
  /// How each session's connection is made; needed when `sessions` is not
  /// empty.
  connection_factory make_connection;
  /// Subscribed to the arbiter's events before any demand or session, so
  /// they miss none.
  std::vector<slot_observer_actor> observers;
  /// Subscribed to every event of the hub before any session.
  std::vector<market_listener_actor> listeners;
  /// The notice journal (fed by the decoder, detached); empty: none.
  std::optional<notice_journal_config> journal;
  // -- the demand sources (each empty: not run) ------------------------------
  /// P3. Follows the holdings and picks of the sources below.
  std::optional<scanner_config> scanner;
  /// P2.
  std::optional<picks_loader_config> picks_loader;
  /// P1. Gets the decoder's notices and the arbiter's events.
  std::optional<portfolio_sync_config> portfolio;
  /// Price snapshots of keys that become active (observes the arbiter,
  /// delivers through the hub).
  std::optional<snapshot_fetcher_config> snapshots;
  /// The trading calendar (KIS's holiday call); tells the arbiter, the
  /// scanner and the picks loader. Empty: they keep their configured
  /// calendars and the weekday rule.
  std::optional<calendar_config> calendar;
  // -- static demand ---------------------------------------------------------
  /// Holdings, sent to the arbiter unless a portfolio source runs.
  std::vector<std::string> holdings;
  /// Picks, sent to the arbiter unless a picks loader runs.
  std::vector<std::string> picks;
};

/// The running actors; a handle is empty until spawned.
struct core_handles {
  std::optional<slot_arbiter_actor> arbiter;
  std::optional<hub_actor> hub;
  std::optional<decoder_actor> decoder;
  std::optional<notice_journal_actor> journal;
  /// One per session; empty until connected.
  std::vector<std::optional<connection_full_actor>> connections;
  std::optional<scanner_actor> scanner;
  std::optional<picks_loader_actor> picks_loader;
  std::optional<portfolio_sync_actor> portfolio;
  std::optional<snapshot_fetcher_actor> snapshots;
  std::optional<calendar_actor> calendar;
};

/// Spawns and wires the core from a core_spec, and ends it.
class assembly {
public:
  assembly() = default;
  assembly(const assembly&) = delete;
  assembly& operator=(const assembly&) = delete;

  /// Ends whatever still runs (no close frames: stop() sends them).
  ~assembly();

  /// Spawns in this order: arbiter (observers subscribed), hub, decoder,
  /// journal, the connections (attached to the arbiter), the static
  /// demand, then scanner, picks loader and portfolio_sync. Throws
  /// std::runtime_error with the reason (a connection's bad URL); what was
  /// spawned before the throw is in handles() until stop().
  void start(caf::actor_system& sys, core_spec spec);

  /// Makes session `index`'s connection (connect_at_start false) and
  /// attaches it. A no-op when it is connected already.
  void connect(std::size_t index);

  /// Closes the connections (waits up to `grace` for each one's close
  /// frame; 0: no wait, for a deterministic test scheduler), then ends them
  /// and the sources. The arbiter, hub, decoder and journal keep running.
  void stop_feeds(std::chrono::milliseconds grace);

  /// stop_feeds(grace), then ends the journal, decoder, hub and arbiter.
  /// Safe after a start() that threw part-way; idempotent.
  void stop(std::chrono::milliseconds grace);

  const core_handles& handles() const noexcept { return handles_; }

  const core_spec& spec() const noexcept { return spec_; }

private:
  caf::actor_system* sys_ = nullptr;
  core_spec spec_;
  core_handles handles_;
};

} // namespace kisrt
