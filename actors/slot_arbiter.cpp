// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_arbiter.hpp"

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

#include <caf/all.hpp>

#include "messages/type_ids.hpp"

namespace kisrt {

namespace {

using self_ptr = slot_arbiter_actor::stateful_pointer<slot_arbiter_state>;

// Sends what the model produced: commands to the session's connection,
// events to every observer (the slot feed logs them: actors/slot_log.hpp).
void flush(self_ptr self) {
  auto& st = self->state;
  for (auto& cmd : st.out.commands) {
    auto i = st.connections.find(cmd.session);
    if (i != st.connections.end())
      self->send(i->second, cmd);
  }
  for (auto& ev : st.out.events)
    std::visit(
        [&](const auto& x) {
          for (auto& obs : st.observers)
            self->send(obs, x);
        },
        ev);
  st.out.clear();
}

template <class F>
void step(self_ptr self, F&& f) {
  f(*self->state.model, now_of(self), self->state.out);
  flush(self);
}

} // namespace

slot_arbiter_actor::behavior_type
slot_arbiter(slot_arbiter_actor::stateful_pointer<slot_arbiter_state> self,
             slot_arbiter_config cfg) {
  auto& st = self->state;
  st.model.emplace(std::move(cfg.slots));
  st.hours = cfg.hours;
  st.calendar = std::move(cfg.calendar);
  st.tick_interval = cfg.tick_interval;
  if (cfg.kst) {
    st.kst = cfg.kst;
  } else {
    // The application anchors KST (the one wall-clock read lives there);
    // without an anchor, spawn time counts as a Monday's 09:00 KST so the
    // arbiter still behaves deterministically.
    st.kst = kst_clock::unanchored(now_of(self));
  }
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& obs = self->state.observers;
    obs.erase(std::remove_if(obs.begin(), obs.end(),
                             [&](const slot_observer_actor& x) {
                               return x.address() == dm.source;
                             }),
              obs.end());
  });
  if (st.tick_interval.count() > 0)
    self->delayed_send(self, st.tick_interval, caf::tick_atom_v);
  return {
      // -- declared demand --
      [self](const holding_set& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.set_holdings(x.symbols, now, out);
        });
      },
      [self](const position_update& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.update_position(x, now, out);
        });
      },
      [self](const pick_list& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.set_picks(x.symbols, now, out);
        });
      },
      [self](const scan_candidates& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.add_candidates(x.items, now, out);
        });
      },
      [self](const slot_request& x) {
        step(self,
             [&](auto& m, auto now, auto& out) { m.request(x, now, out); });
      },
      [self](const slot_release& x) {
        step(self,
             [&](auto& m, auto now, auto& out) { m.release(x, now, out); });
      },
      // -- wire side --
      [self](const session_up& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.on_up(x.session, x.epoch, now, out);
        });
      },
      [self](const session_down& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.on_down(x.session, x.epoch, now, out);
        });
      },
      [self](const sub_ack& x) {
        step(self,
             [&](auto& m, auto now, auto& out) { m.on_ack(x, now, out); });
      },
      [self](const answer_timeout& x) {
        step(self, [&](auto& m, auto now, auto& out) {
          m.on_answer_timeout(x, now, out);
        });
      },
      [self](const data_seen_batch& x) { self->state.model->on_data(x); },
      // -- wiring --
      [self](atom::attach, session_id s, connection_actor conn) {
        self->state.connections[s] = std::move(conn);
      },
      [self](caf::subscribe_atom, slot_observer_actor obs) {
        auto& obs_list = self->state.observers;
        if (std::find(obs_list.begin(), obs_list.end(), obs) != obs_list.end())
          return;
        self->monitor(obs);
        obs_list.push_back(std::move(obs));
      },
      [self](caf::unsubscribe_atom, const slot_observer_actor& obs) {
        auto& obs_list = self->state.observers;
        obs_list.erase(std::remove(obs_list.begin(), obs_list.end(), obs),
                       obs_list.end());
      },
      // -- the calendar --
      [self](const calendar_update& x) { self->state.calendar.merge(x.days); },
      // -- queries --
      [self](caf::get_atom, atom::slots) -> slot_snapshot {
        return self->state.model->snapshot();
      },
      // -- timers --
      [self](caf::tick_atom) {
        auto& st = self->state;
        auto now = now_of(self);
        auto open = st.calendar.open_at(st.kst->to_kst(now), st.hours);
        st.model->tick(now, open, st.out);
        flush(self);
        // Only the self-sent tick re-arms: a tick from a driver (scenario
        // runner) must not start a second periodic chain.
        if (st.tick_interval.count() > 0
            && self->current_sender() == self->ctrl())
          self->delayed_send(self, st.tick_interval, caf::tick_atom_v);
      },
  };
}

} // namespace kisrt
