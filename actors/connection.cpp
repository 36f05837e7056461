// SPDX-License-Identifier: Apache-2.0
#include "actors/connection.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "net/kis/requests.hpp"
#include "net/kis/rest.hpp"

namespace kisrt {

namespace {

using self_ptr = connection_full_actor::stateful_pointer<connection_state>;

mono_time now_of(self_ptr self) {
  return std::chrono::duration_cast<mono_time>(
      self->clock().now().time_since_epoch());
}

void fetch_approval(self_ptr self) {
  auto& st = self->state;
  net::http_request req;
  req.method = "POST";
  req.target = "/oauth2/Approval";
  req.headers = {{"content-type", "application/json; charset=utf-8"}};
  req.body = kis::encode_approval_request(st.ends.app_key, st.ends.app_secret);
  auto hdl = connection_full_actor{self};
  st.rest->async_request(std::move(req), [hdl](net::http_response res) {
    if (!res.error.empty()) {
      caf::anon_send(hdl, caf::put_atom_v, false, res.error);
      return;
    }
    if (auto err = kis::read_rest_error(res.status, res.body); !err.empty()) {
      caf::anon_send(hdl, caf::put_atom_v, false, err.to_string());
      return;
    }
    std::string key;
    if (auto err = kis::parse_approval_response(res.body, key))
      caf::anon_send(hdl, caf::put_atom_v, false, err.to_string());
    else
      caf::anon_send(hdl, caf::put_atom_v, true, std::move(key));
  });
}

void open_transport(self_ptr self, std::uint64_t id) {
  auto& st = self->state;
  net::ws_options opts;
  if (auto why = net::parse_url(st.ends.ws_url, opts.endpoint); !why.empty()) {
    caf::anon_send(connection_full_actor{self}, caf::close_atom_v, id,
                   "connect: bad ws url: " + why);
    return;
  }
  opts.tls = st.ends.ws_tls;
  auto hdl = connection_full_actor{self};
  net::ws_callbacks cbs;
  cbs.opened = [hdl, id] { caf::anon_send(hdl, caf::open_atom_v, id); };
  cbs.message = [hdl, id](std::string&& text) {
    caf::anon_send(hdl, caf::receive_atom_v, id, std::move(text));
  };
  cbs.closed = [hdl, id](const std::string& stage, const std::string& why) {
    caf::anon_send(hdl, caf::close_atom_v, id, stage + ": " + why);
  };
  if (st.ws)
    st.ws->abort();
  st.ws = net::make_ws_client(*st.io, std::move(opts), std::move(cbs));
  st.ws_transport = id;
  st.ws->start();
}

void run_actions(self_ptr self) {
  auto& st = self->state;
  auto session = st.core->session();
  for (auto& a : st.out) {
    switch (a.kind) {
      case conn_action::fetch_approval: fetch_approval(self); break;
      case conn_action::connect: open_transport(self, a.transport); break;
      case conn_action::send:
        if (st.ws && st.ws_transport == a.transport)
          st.ws->send(std::move(a.text));
        break;
      case conn_action::abort:
        if (st.ws && st.ws_transport == a.transport)
          st.ws->abort();
        break;
      case conn_action::close:
        if (st.ws && st.ws_transport == a.transport)
          st.ws->close();
        break;
      case conn_action::up:
        self->send(st.arbiter, session_up{session, a.epoch});
        break;
      case conn_action::down:
        self->send(st.arbiter, session_down{session, a.epoch});
        break;
      case conn_action::forward:
        self->send(st.decoder, caf::receive_atom_v, session, a.epoch,
                   std::move(a.text));
        break;
      case conn_action::log:
        spdlog::info("connection {}: {}",
                     st.core->label().empty() ? std::to_string(session)
                                              : st.core->label(),
                     a.text);
        break;
      case conn_action::warn:
        spdlog::warn("connection {}: {}",
                     st.core->label().empty() ? std::to_string(session)
                                              : st.core->label(),
                     a.text);
        break;
      case conn_action::timeout:
        self->send(st.arbiter, answer_timeout{session, a.epoch, a.command.op,
                                              a.command.key});
        break;
    }
  }
  st.out.clear();
  // One tick at the earliest time the core has work.
  auto now = now_of(self);
  if (auto at = st.core->next_wakeup(now)) {
    if (!st.tick_at || *at < *st.tick_at) {
      st.tick_at = *at;
      auto delay = *at > now ? *at - now : mono_time{0};
      self->delayed_send(self, delay, caf::tick_atom_v);
    }
  }
}

} // namespace

connection_full_actor::behavior_type
connection(connection_full_actor::stateful_pointer<connection_state> self,
           connection_config cfg, connection_endpoints ends,
           std::shared_ptr<net::io_runner> io, slot_arbiter_actor arbiter,
           decoder_actor decoder, std::uint64_t seed) {
  auto& st = self->state;
  st.core = std::make_unique<connection_core>(cfg, seed);
  st.ends = std::move(ends);
  st.io = std::move(io);
  st.arbiter = std::move(arbiter);
  st.decoder = std::move(decoder);
  net::http_options rest;
  if (auto why = net::parse_url(st.ends.rest_url, rest.base); !why.empty())
    throw std::runtime_error("rest url '" + st.ends.rest_url + "': " + why);
  rest.tls = st.ends.rest_tls;
  st.rest = std::make_unique<net::http_client>(*st.io, rest);
  st.core->start(now_of(self), st.out);
  run_actions(self);
  return {
      [self](wire_command& cmd) {
        self->state.core->command(now_of(self), cmd, self->state.out);
        run_actions(self);
      },
      [self](caf::open_atom, std::uint64_t id) {
        self->state.core->opened(now_of(self), id, self->state.out);
        run_actions(self);
      },
      [self](caf::close_atom, std::uint64_t id, const std::string& why) {
        self->state.core->closed(now_of(self), id, why, self->state.out);
        run_actions(self);
      },
      [self](caf::receive_atom, std::uint64_t id, std::string& text) {
        self->state.core->received(now_of(self), id, std::move(text),
                                   self->state.out);
        run_actions(self);
      },
      [self](caf::put_atom, bool ok, std::string& what) {
        auto now = now_of(self);
        ++(ok ? self->state.approvals : self->state.approval_failures);
        if (ok)
          self->state.core->approval_ok(now, std::move(what), self->state.out);
        else
          self->state.core->approval_failed(now, what, self->state.out);
        run_actions(self);
      },
      [self](caf::tick_atom) {
        auto& st = self->state;
        auto now = now_of(self);
        if (st.tick_at && now >= *st.tick_at)
          st.tick_at.reset();
        st.core->tick(now, st.out);
        run_actions(self);
      },
      [self](caf::close_atom) {
        self->state.core->stop(now_of(self), self->state.out);
        run_actions(self);
      },
      [self](caf::get_atom, atom::stats) -> connection_counters {
        auto& st = self->state;
        auto& c = st.core->stats();
        return {st.core->session(),
                c.connects,
                c.reconnects,
                c.pingpongs,
                c.sent,
                c.dropped_commands,
                c.watchdog_fired,
                c.answer_timeouts,
                st.approvals,
                st.approval_failures};
      },
  };
}

} // namespace kisrt
