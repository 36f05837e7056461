// SPDX-License-Identifier: Apache-2.0
#include "actors/connection.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "net/kis_transport.hpp"

namespace kisrt {

namespace {

using self_ptr = connection_full_actor::stateful_pointer<connection_state>;

void fetch_approval(self_ptr self) {
  auto hdl = connection_full_actor{self};
  self->state.deps.fetch_approval([hdl](bool ok, std::string key_or_error) {
    caf::anon_send(hdl, approval_result{ok, std::move(key_or_error)});
  });
}

void open_transport(self_ptr self, std::uint64_t id) {
  auto& st = self->state;
  auto hdl = connection_full_actor{self};
  net::transport_events ev;
  ev.opened = [hdl, id] { caf::anon_send(hdl, caf::open_atom_v, id); };
  ev.message = [hdl, id](std::string&& text) {
    caf::anon_send(hdl, caf::receive_atom_v, id, std::move(text));
  };
  ev.closed = [hdl, id](const std::string& stage, const std::string& why) {
    caf::anon_send(hdl, caf::close_atom_v, id, stage + ": " + why);
  };
  if (st.link)
    st.link->abort();
  st.link = st.deps.make_transport(std::move(ev));
  st.link_id = id;
  st.link->start();
}

void run_actions(self_ptr self) {
  auto& st = self->state;
  auto session = st.core->session();
  for (auto& a : st.out) {
    switch (a.kind) {
      case conn_action::fetch_approval: fetch_approval(self); break;
      case conn_action::connect: open_transport(self, a.transport); break;
      case conn_action::send:
        if (st.link && st.link_id == a.transport)
          st.link->send(std::move(a.text));
        break;
      case conn_action::abort:
        if (st.link && st.link_id == a.transport)
          st.link->abort();
        break;
      case conn_action::close:
        if (st.link && st.link_id == a.transport)
          st.link->close();
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

connection_deps kis_connection_deps(const connection_endpoints& ends,
                                    std::shared_ptr<net::io_runner> io) {
  connection_deps deps;
  deps.fetch_approval = net::rest_approval_fetcher(
      io, ends.rest_url, ends.rest_tls, ends.app_key, ends.app_secret);
  deps.make_transport =
      net::ws_transport_factory(std::move(io), ends.ws_url, ends.ws_tls);
  return deps;
}

connection_full_actor::behavior_type
connection_with(connection_full_actor::stateful_pointer<connection_state> self,
                connection_config cfg, connection_deps deps,
                slot_arbiter_actor arbiter, decoder_actor decoder,
                std::uint64_t seed) {
  auto& st = self->state;
  st.core = std::make_unique<connection_core>(cfg, seed);
  st.deps = std::move(deps);
  st.arbiter = std::move(arbiter);
  st.decoder = std::move(decoder);
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
      [self](approval_result& x) {
        auto now = now_of(self);
        ++(x.ok ? self->state.approvals : self->state.approval_failures);
        if (x.ok)
          self->state.core->approval_ok(now, std::move(x.key_or_error),
                                        self->state.out);
        else
          self->state.core->approval_failed(now, x.key_or_error,
                                            self->state.out);
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

connection_full_actor::behavior_type
connection(connection_full_actor::stateful_pointer<connection_state> self,
           connection_config cfg, connection_endpoints ends,
           std::shared_ptr<net::io_runner> io, slot_arbiter_actor arbiter,
           decoder_actor decoder, std::uint64_t seed) {
  return connection_with(self, std::move(cfg),
                         kis_connection_deps(ends, std::move(io)),
                         std::move(arbiter), std::move(decoder), seed);
}

} // namespace kisrt
