// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/admin_watch.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <optional>

#include "actors/kst_clock.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt::app {

namespace {

using self_ptr = admin_watch_actor::stateful_pointer<admin_watch_state>;

void note(self_ptr self, std::string state, session_id session, slot_key key,
          std::string msg_cd = {}, std::string reason = {}) {
  auto& st = self->state;
  ++st.events;
  st.recent.push_back(slot_event_note{now_of(self), std::move(state), session,
                                      std::move(key), std::move(msg_cd),
                                      std::move(reason)});
  while (st.recent.size() > st.limits.recent)
    st.recent.pop_front();
}

// Bounded label sets: past the limit, new labels count as "other".
void count(std::map<std::string, std::uint64_t>& m, const std::string& label,
           std::size_t limit) {
  if (m.count(label) == 0 && m.size() >= limit)
    ++m["other"];
  else
    ++m[label];
}

template <class Event>
void seen(self_ptr self, const Event& ev, std::optional<std::int64_t> price,
          const std::string* name = nullptr) {
  auto& st = self->state;
  slot_key key{ev.tr_id, key_of(ev)};
  auto it = st.keys.find(key);
  if (it == st.keys.end()) {
    if (st.keys.size() >= st.limits.keys)
      return;
    it = st.keys.emplace(key, key_activity{key, 0, false, 0, {}, {}}).first;
  }
  auto& k = it->second;
  ++k.ticks;
  k.last = now_of(self);
  if (price) {
    k.has_price = true;
    k.last_price = *price;
  }
  if (name && !name->empty())
    k.name = *name;
}

std::string label_of(const std::string& msg_cd) {
  // KIS codes are short and printable; anything else is shown cut.
  std::string out;
  for (auto c : msg_cd.substr(0, 16))
    out += (c >= 0x21 && c < 0x7f) ? c : '?';
  return out.empty() ? "none" : out;
}

} // namespace

admin_watch_actor::behavior_type
admin_watch(admin_watch_actor::stateful_pointer<admin_watch_state> self,
            slot_arbiter_actor arbiter, admin_watch_limits limits) {
  self->state.limits = limits;
  self->link_to(arbiter);
  return market_behavior<admin_watch_actor::behavior_type>(
      [self](const auto& ev) { seen(self, ev, std::nullopt); },
      // -- slot events
      [self](const slot_granted& x) {
        note(self, "granted", x.session, x.key);
      },
      [self](const slot_active& x) { note(self, "active", x.session, x.key); },
      [self](const slot_evicted& x) {
        auto reason = to_string(x.reason);
        count(self->state.evictions, reason, self->state.limits.labels);
        note(self, "evicted", x.session, x.key, {}, reason);
      },
      [self](const slot_rejected& x) {
        auto code = label_of(x.msg_cd);
        count(self->state.rejections, code, self->state.limits.labels);
        note(self, "rejected", x.session, x.key, code,
             x.permanent ? "permanent" : "retried");
      },
      [self](const slots_starved& x) {
        for (auto& k : x.keys)
          note(self, "starved", no_session, k);
      },
      [self](const session_replayed& x) {
        note(self, "replayed", x.session, slot_key{}, {},
             std::to_string(x.count) + " subscribes");
      },
      [self](const slot_stale& x) {
        auto secs =
            std::chrono::duration_cast<std::chrono::seconds>(x.silent_for)
                .count();
        note(self, "stale", x.session, x.key, {},
             "silent " + std::to_string(secs) + " s");
      },
      // -- market events: a price where the record has one
      [self](const trade_event& ev) { seen(self, ev, ev.data.price); },
      [self](const notice_event& ev) {
        seen(self, ev, std::nullopt);
        // A notice names the stock: show the name on its trade rows.
        if (!ev.data.name.empty() && !ev.data.symbol.empty())
          for (auto& [key, k] : self->state.keys)
            if (key.tr_key == ev.data.symbol)
              k.name = ev.data.name;
      },
      [self](const expected_event& ev) { seen(self, ev, ev.data.price); },
      // -- queries
      [self](caf::get_atom, atom::stats) -> watch_report {
        auto& st = self->state;
        watch_report out;
        out.events = st.events;
        for (auto& [k, n] : st.rejections)
          out.rejections_by_msg_cd.push_back({k, n});
        for (auto& [k, n] : st.evictions)
          out.evictions_by_reason.push_back({k, n});
        out.recent.assign(st.recent.begin(), st.recent.end());
        for (auto& [k, a] : st.keys)
          out.keys.push_back(a);
        return out;
      });
}

} // namespace kisrt::app
