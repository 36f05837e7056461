// SPDX-License-Identifier: Apache-2.0
// The gateway's admin API (GET /healthz, /slots, /sim on admin.listen) and
// the health watch that logs a change of verdict without a request. Every
// answer comes from a short-lived actor, so the io thread never waits.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "apps/kisrt/health.hpp"
#include "messages/actors.hpp"
#include "net/http_server.hpp"

namespace kisrt::app {

struct gateway_options;
class admin_routes; // apps/kisrt/admin_routes.hpp

/// What the admin answers from.
struct admin_context {
  slot_arbiter_actor arbiter;
  std::optional<portfolio_sync_actor> portfolio;
  /// POST /picks/reload; none: no picks database (picks.db).
  std::optional<picks_loader_actor> picks_loader;
  /// The trading calendar (its state is a field of /healthz), if any.
  std::optional<calendar_actor> calendar;
  /// Session names by id.
  std::shared_ptr<std::vector<std::string>> names;
  health_settings health;
  std::shared_ptr<health_log> log;
  /// The body of GET /sim: the embedded simulator's ports, or null.
  std::string sim_json = "null";
  /// /metrics and the dashboard (apps/kisrt/admin_routes.hpp), or null.
  std::shared_ptr<admin_routes> routes;
};

/// Answers one admin request (`respond` runs once, on any thread). Every
/// route of the admin API is here.
void route_admin(caf::actor_system& sys,
                 const std::shared_ptr<admin_context>& ctx,
                 const net::http_server_request& req,
                 net::http_respond respond);

/// The admin API on `o.admin_host`:`o.admin_port` (bearer token
/// `o.admin_token` when set); throws std::runtime_error naming the address
/// when it cannot listen.
std::unique_ptr<net::http_server>
start_admin(caf::actor_system& sys, net::io_runner& io,
            const gateway_options& o, std::shared_ptr<admin_context> ctx);

/// Asks for the health every `interval` (an answer nobody
/// reads), so that a degraded state is logged when it begins and ends.
caf::actor spawn_health_watch(caf::actor_system& sys,
                              std::shared_ptr<admin_context> ctx,
                              mono_time interval);

} // namespace kisrt::app
