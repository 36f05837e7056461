// SPDX-License-Identifier: Apache-2.0
// The admin server's routes for operators beyond /healthz and /slots:
// GET /metrics (apps/kisrt/metrics.hpp) and the web dashboard at GET /
// (apps/kisrt/dashboard.hpp). Each request spawns a short-lived actor that
// asks the arbiter, decoder, hub, connections, node gate and the admin
// watch at once, each with a deadline, and answers with what came back:
// the io thread never waits, and a silent actor only leaves its families
// out.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "apps/kisrt/metrics.hpp"
#include "messages/actors.hpp"
#include "net/http_server.hpp"

namespace kisrt::app {

/// The actors the routes ask.
struct admin_sources {
  slot_arbiter_actor arbiter;
  hub_actor hub;
  decoder_actor decoder;
  std::vector<connection_full_actor> connections;
  std::optional<node_gate_actor> gate; ///< when publishing
  std::vector<std::string> names;      ///< session names by id
  /// The stream's counters (read from any thread); unset without --stream.
  std::function<stream_counters()> stream;
  /// How long each actor has to answer.
  std::chrono::milliseconds deadline{std::chrono::seconds{2}};
};

class admin_routes {
public:
  /// Spawns the admin watch and subscribes it to the arbiter and hub.
  admin_routes(caf::actor_system& sys, admin_sources src);

  /// Serves GET /metrics, /, /dashboard.js, /dashboard.css and
  /// /dashboard.json; false (nothing sent) for any other path.
  bool serve(const std::string& path, net::http_respond& respond);

private:
  caf::actor_system& sys_;
  std::shared_ptr<admin_sources> src_;
  admin_watch_actor watch_;
};

} // namespace kisrt::app
