// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_feed.hpp"

#include <algorithm>

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "messages/type_ids.hpp"

namespace kisrt {

namespace {

using self_ptr = slot_feed_actor::stateful_pointer<slot_feed_state>;

template <class Event>
void hand_out(self_ptr self, const Event& x) {
  auto& st = self->state;
  st.out.clear();
  st.core.on(x, st.out);
  for (auto& ev : st.out) {
    for (auto& l : st.listeners)
      if (st.core.wants(l.owner, ev))
        caf::anon_send(l.hdl, ev);
    st.core.settle(ev);
  }
}

void drop(self_ptr self, const caf::actor_addr& who) {
  auto& ls = self->state.listeners;
  ls.erase(std::remove_if(ls.begin(), ls.end(),
                          [&](const slot_feed_state::listener& l) {
                            return l.hdl.address() == who;
                          }),
           ls.end());
}

} // namespace

slot_feed_actor::behavior_type slot_feed(self_ptr self,
                                         std::size_t max_listeners) {
  self->state.max_listeners = max_listeners;
  self->set_down_handler(
      [self](const caf::down_msg& dm) { drop(self, dm.source); });
  return {
      [self](const slot_granted& x) { hand_out(self, x); },
      [self](const slot_active& x) { hand_out(self, x); },
      [self](const slot_evicted& x) { hand_out(self, x); },
      [self](const slot_rejected& x) { hand_out(self, x); },
      [self](const slots_starved& x) { hand_out(self, x); },
      [self](const session_replayed& x) { hand_out(self, x); },
      [self](const slot_stale& x) { hand_out(self, x); },
      [self](caf::subscribe_atom, slot_outcome_listener_actor l,
             std::string owner) {
        auto& ls = self->state.listeners;
        if (!l)
          return;
        auto i = std::find_if(ls.begin(), ls.end(), [&](const auto& e) {
          return e.hdl.address() == l.address();
        });
        if (i != ls.end()) {
          i->owner = std::move(owner);
          return;
        }
        if (ls.size() >= self->state.max_listeners) {
          spdlog::warn("slot feed: {} listeners, its limit; one more refused",
                       ls.size());
          return;
        }
        self->monitor(l);
        ls.push_back({std::move(l), std::move(owner)});
      },
      [self](caf::unsubscribe_atom, const slot_outcome_listener_actor& l) {
        self->demonitor(l.address());
        drop(self, l.address());
      },
      [self](const slot_request& x) { self->state.core.request(x); },
      [self](const slot_release& x) { self->state.core.release(x); },
  };
}

} // namespace kisrt
