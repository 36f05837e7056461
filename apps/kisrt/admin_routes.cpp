// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/admin_routes.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/kst_clock.hpp"
#include "apps/kisrt/admin_watch.hpp"
#include "apps/kisrt/dashboard.hpp"
#include "apps/kisrt/metrics.hpp"

namespace kisrt::app {

namespace {

// What one request gathers; `render` runs once, when the last actor has
// answered or missed its deadline.
struct gathering {
  metrics_input in;
  std::size_t pending = 0;
  std::function<void(const metrics_input&)> render;
};

// Asks `who`; stores the answer with `store` or leaves it out.
template <class Answer, class Handle, class Store, class... Ts>
void ask(caf::event_based_actor* self, std::shared_ptr<gathering> g,
         const Handle& who, std::chrono::milliseconds deadline, Store store,
         Ts... xs) {
  ++g->pending;
  auto done = [self, g] {
    if (--g->pending == 0) {
      g->in.now = now_of(self);
      g->render(g->in);
      self->quit();
    }
  };
  self->request(who, deadline, xs...)
      .then(
          [g, store, done](Answer& x) mutable {
            store(g->in, std::move(x));
            done();
          },
          [done](const caf::error&) mutable { done(); });
}

// A short-lived actor per request. (Spawned with arguments: CAF 0.17.6
// binds a null reference when a function actor has none.)
void gather(caf::event_based_actor* self, std::shared_ptr<admin_sources> src,
            admin_watch_actor watch,
            std::function<void(const metrics_input&)> render) {
  auto g = std::make_shared<gathering>();
  g->render = std::move(render);
  g->in.publishing = src->gate.has_value();
  if (src->stream)
    g->in.stream = src->stream();
  g->in.rest = rest_counts();
  g->in.process = read_process_stats();
  auto d = src->deadline;
  // Hold one count while asking, so an answer cannot finish early.
  ++g->pending;
  ask<slot_snapshot>(
      self, g, src->arbiter, d,
      [](metrics_input& in, slot_snapshot x) { in.slots = std::move(x); },
      caf::get_atom_v, atom::slots_v);
  ask<decoder_counters>(
      self, g, src->decoder, d,
      [](metrics_input& in, decoder_counters x) { in.decoder = std::move(x); },
      caf::get_atom_v, atom::stats_v);
  ask<hub_counters>(
      self, g, src->hub, d,
      [](metrics_input& in, hub_counters x) { in.hub = x; }, caf::get_atom_v,
      atom::stats_v);
  ask<watch_report>(
      self, g, watch, d,
      [](metrics_input& in, watch_report x) { in.watch = std::move(x); },
      caf::get_atom_v, atom::stats_v);
  for (auto& c : src->connections)
    ask<connection_counters>(
        self, g, c, d,
        [](metrics_input& in, connection_counters x) {
          in.connections.push_back(x);
        },
        caf::get_atom_v, atom::stats_v);
  if (src->gate)
    ask<gate_counters>(
        self, g, *src->gate, d,
        [](metrics_input& in, gate_counters x) { in.gate = x; },
        caf::get_atom_v, atom::stats_v);
  if (--g->pending == 0) {
    g->in.now = now_of(self);
    g->render(g->in);
    self->quit();
  }
}

} // namespace

admin_routes::admin_routes(caf::actor_system& sys, admin_sources src)
    : sys_(sys)
    , src_(std::make_shared<admin_sources>(std::move(src))) {
  watch_ = sys.spawn(admin_watch, src_->arbiter, admin_watch_limits{});
  caf::anon_send(src_->arbiter, caf::subscribe_atom_v,
                 caf::actor_cast<slot_observer_actor>(watch_));
  caf::anon_send(src_->hub, caf::subscribe_atom_v,
                 caf::actor_cast<market_listener_actor>(watch_));
}

bool admin_routes::serve(const std::string& path, net::http_respond& respond) {
  auto names = std::make_shared<std::vector<std::string>>(src_->names);
  session_namer_fn name = [names](session_id id) {
    return id < names->size() ? (*names)[id] : "s" + std::to_string(id + 1);
  };
  if (path == "/metrics") {
    sys_.spawn(gather, src_, watch_,
               std::function<void(const metrics_input&)>{
                   [respond, name](const metrics_input& in) {
                     respond({200,
                              {{"Content-Type", metrics_content_type}},
                              render_metrics(in, name),
                              {}});
                   }});
    return true;
  }
  if (path == "/dashboard.json") {
    sys_.spawn(gather, src_, watch_,
               std::function<void(const metrics_input&)>{
                   [respond, name](const metrics_input& in) {
                     respond({200,
                              dashboard_headers("application/json"),
                              dashboard_json(in, name),
                              {}});
                   }});
    return true;
  }
  if (path == "/" || path == "/index.html") {
    respond({200,
             dashboard_headers("text/html; charset=utf-8"),
             dashboard_html(),
             {}});
    return true;
  }
  if (path == "/dashboard.js") {
    respond({200,
             dashboard_headers("text/javascript; charset=utf-8"),
             dashboard_js(),
             {}});
    return true;
  }
  if (path == "/dashboard.css") {
    respond({200,
             dashboard_headers("text/css; charset=utf-8"),
             dashboard_css(),
             {}});
    return true;
  }
  return false;
}

} // namespace kisrt::app
