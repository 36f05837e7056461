// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/admin.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "apps/kisrt/admin_routes.hpp"
#include "apps/kisrt/options.hpp"
#include "apps/kisrt/slots_json.hpp"

namespace kisrt::app {

namespace {

// Asks the arbiter (and for /healthz portfolio_sync) and answers one admin
// request; a short-lived actor, so the io thread never waits. (Spawned with
// arguments: CAF 0.17.6 binds a null reference when a function actor has
// none, which UBSan reports.)
void answer_health(caf::event_based_actor* self,
                   std::shared_ptr<admin_context> ctx, slot_snapshot snap,
                   std::optional<portfolio_health> portfolio,
                   net::http_respond respond) {
  auto names = ctx->names;
  auto name = [names](session_id id) {
    return id < names->size() ? (*names)[id] : "s" + std::to_string(id + 1);
  };
  auto now = now_of(self);
  auto r = ctx->log->assess(snap, portfolio, now, ctx->health, name);
  bool degraded = false;
  if (auto line = ctx->log->note(r, degraded)) {
    if (degraded)
      spdlog::warn("{}", *line);
    else
      spdlog::info("{}", *line);
  }
  if (!ctx->calendar) {
    respond({r.ok ? 200 : 503, {}, health_json(r), {}});
    return;
  }
  self->request(*ctx->calendar, std::chrono::seconds{5}, caf::get_atom_v,
                atom::poll_v)
      .then(
          [r, respond](const calendar_status& st) {
            respond({r.ok ? 200 : 503, {}, health_json(r, &st), {}});
          },
          [r, respond](const caf::error&) {
            respond({r.ok ? 200 : 503, {}, health_json(r), {}});
          });
}

void answer_admin(caf::event_based_actor* self,
                  std::shared_ptr<admin_context> ctx, std::string path,
                  net::http_respond respond) {
  self->request(ctx->arbiter, std::chrono::seconds{5}, caf::get_atom_v,
                atom::slots_v)
      .then(
          [self, ctx, path, respond](const slot_snapshot& snap) {
            if (path == "/slots") {
              auto names = ctx->names;
              auto name = [names](session_id id) {
                return id < names->size() ? (*names)[id]
                                          : "s" + std::to_string(id);
              };
              respond({200, {}, slots_json(snap, name), {}});
              return;
            }
            if (!ctx->portfolio) {
              answer_health(self, ctx, snap, std::nullopt, respond);
              return;
            }
            self->request(*ctx->portfolio, std::chrono::seconds{5},
                          caf::get_atom_v, atom::poll_v)
                .then(
                    [self, ctx, snap, respond](const portfolio_status& st) {
                      answer_health(self, ctx, snap, portfolio_health{true, st},
                                    respond);
                    },
                    [self, ctx, snap, respond](const caf::error&) {
                      answer_health(self, ctx, snap, portfolio_health{},
                                    respond);
                    });
          },
          [respond](const caf::error&) {
            respond({503, {}, R"({"error":"arbiter did not answer"})", {}});
          });
}

// POST /picks/reload: today's picks from the database now, then what the
// loader holds. Poll and question come from one sender, so in this order.
void reload_picks(caf::event_based_actor* self, picks_loader_actor loader,
                  net::http_respond respond) {
  self->send(loader, atom::poll_v);
  self->request(loader, std::chrono::seconds{5}, caf::get_atom_v, atom::picks_v)
      .then(
          [respond](const pick_set& x) {
            std::string body = "{\"reloaded\":true,\"trade_date\":"
                               + std::to_string(x.trade_date) + ",\"picks\":[";
            for (std::size_t i = 0; i < x.picks.size(); ++i) {
              // Codes passed the loader's stock-code check: no escaping.
              body += i == 0 ? "\"" : ",\"";
              body += x.picks[i].code + "\"";
            }
            respond({200, {}, body + "]}", {}});
          },
          [respond](const caf::error&) {
            respond(
                {503, {}, R"({"error":"picks loader did not answer"})", {}});
          });
}

// Asks for the health every `interval` (an answer nobody reads), so that
// changes of verdict reach the log without an admin request.
caf::behavior health_watch(caf::event_based_actor* self,
                           std::shared_ptr<admin_context> ctx,
                           mono_time interval) {
  self->delayed_send(self, interval, caf::tick_atom_v);
  return {
      [self, ctx, interval](caf::tick_atom) {
        self->spawn(answer_admin, ctx, std::string{"/healthz"},
                    net::http_respond{[](net::http_response) {}});
        self->delayed_send(self, interval, caf::tick_atom_v);
      },
  };
}

} // namespace

void route_admin(caf::actor_system& sys,
                 const std::shared_ptr<admin_context>& ctx,
                 const net::http_server_request& req,
                 net::http_respond respond) {
  auto path = req.target.substr(0, req.target.find('?'));
  if (path == "/picks/reload") {
    if (req.method != "POST")
      respond({405, {}, R"({"error":"only POST"})", {}});
    else if (!ctx->picks_loader)
      respond({409,
               {},
               R"({"error":"no picks database: picks.db is not set"})",
               {}});
    else
      sys.spawn(reload_picks, *ctx->picks_loader, std::move(respond));
    return;
  }
  if (req.method != "GET") {
    respond({405, {}, R"({"error":"only GET"})", {}});
    return;
  }
  if (path == "/sim") {
    // The embedded simulator's ports (null without --sim): the demo
    // injects faults through its admin API.
    respond({200, {}, ctx->sim_json, {}});
    return;
  }
  if (ctx->routes && ctx->routes->serve(path, respond))
    return;
  if (path != "/healthz" && path != "/slots") {
    respond({404, {}, R"({"error":"not found"})", {}});
    return;
  }
  // A short-lived actor asks the arbiter; the io thread never waits.
  sys.spawn(answer_admin, ctx, path, std::move(respond));
}

std::unique_ptr<net::http_server>
start_admin(caf::actor_system& sys, net::io_runner& io,
            const gateway_options& o, std::shared_ptr<admin_context> ctx) {
  net::http_server_options hs;
  hs.bearer_token = o.admin_token;
  hs.log = [](const std::string& line) { spdlog::warn("{}", line); };
  auto* sysp = &sys;
  return std::make_unique<net::http_server>(
      io, o.admin_host, o.admin_port,
      [ctx, sysp](net::http_server_request req, net::http_respond respond) {
        route_admin(*sysp, ctx, req, std::move(respond));
      },
      std::move(hs));
}

caf::actor spawn_health_watch(caf::actor_system& sys,
                              std::shared_ptr<admin_context> ctx,
                              mono_time interval) {
  return sys.spawn(health_watch, std::move(ctx), interval);
}

} // namespace kisrt::app
