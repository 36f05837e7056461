// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "messages/type_ids.hpp"

namespace kisrt {

std::string node_owner(const std::string& name) {
  return "node:" + name;
}

namespace {

using self_ptr = node_gate_actor::stateful_pointer<node_gate_state>;

caf::error refuse(const std::string& why) {
  spdlog::warn("node gate: {}", why);
  return caf::make_error(caf::sec::runtime_error, why);
}

caf::actor_addr sender_of(self_ptr self) {
  return caf::actor_cast<caf::actor_addr>(self->current_sender());
}

// Subscriptions need a hello first, so that the gate knows whose
// listeners to remove when the node goes away.
caf::result<void> add_listener(self_ptr self, const market_listener_actor& l) {
  auto& st = self->state;
  auto node = sender_of(self);
  if (!st.core->name_of(node))
    return refuse("subscribe before node_hello");
  if (!l)
    return refuse("subscribe with an invalid listener");
  auto& ls = st.listeners[node];
  if (std::find(ls.begin(), ls.end(), l) == ls.end())
    ls.push_back(l);
  return caf::unit;
}

} // namespace

node_gate_actor::behavior_type
node_gate(node_gate_actor::stateful_pointer<node_gate_state> self,
          node_gate_config cfg, hub_actor hub, slot_arbiter_actor arbiter,
          std::optional<notice_journal_actor> journal) {
  auto& st = self->state;
  st.journal = std::move(journal);
  st.core.emplace(std::move(cfg));
  st.hub = std::move(hub);
  st.arbiter = std::move(arbiter);
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    auto name = st.core->name_of(dm.source);
    if (auto rel = st.core->down(dm.source)) {
      spdlog::info("node '{}' is gone ({}): releasing its requests",
                   name.value_or("?"), to_string(dm.reason));
      self->send(*st.arbiter, std::move(*rel));
    }
    if (auto i = st.listeners.find(dm.source); i != st.listeners.end()) {
      for (auto& l : i->second)
        self->send(*st.hub, caf::unsubscribe_atom_v, l);
      st.listeners.erase(i);
    }
  });
  return {
      [self](const node_hello& x) -> caf::result<node_policy> {
        auto& st = self->state;
        auto node = sender_of(self);
        if (!node)
          return refuse("node_hello without a sender");
        auto res = st.core->hello(node, x.name);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        self->monitor(node);
        auto& pol = std::get<node_policy>(res);
        spdlog::info("node '{}' joined: priority {}..255, up to {} slots",
                     x.name, pol.max_priority, pol.max_slots);
        return pol;
      },
      [self](caf::subscribe_atom,
             market_listener_actor l) -> caf::result<void> {
        auto res = add_listener(self, l);
        if (res.flag == caf::rt_value)
          self->send(*self->state.hub, caf::subscribe_atom_v, std::move(l));
        return res;
      },
      [self](caf::subscribe_atom, market_listener_actor l,
             slot_key key) -> caf::result<void> {
        auto res = add_listener(self, l);
        if (res.flag == caf::rt_value)
          self->send(*self->state.hub, caf::subscribe_atom_v, std::move(l),
                     std::move(key));
        return res;
      },
      [self](caf::unsubscribe_atom,
             market_listener_actor l) -> caf::result<void> {
        auto& st = self->state;
        auto i = st.listeners.find(sender_of(self));
        if (i == st.listeners.end()
            || std::find(i->second.begin(), i->second.end(), l)
                   == i->second.end())
          return refuse("unsubscribe of a listener this node did not "
                        "subscribe");
        i->second.erase(std::find(i->second.begin(), i->second.end(), l));
        self->send(*st.hub, caf::unsubscribe_atom_v, std::move(l));
        return caf::unit;
      },
      [self](caf::subscribe_atom, atom::notices, notice_listener_actor l,
             notice_cursor since) -> caf::result<notice_cursor> {
        auto& st = self->state;
        if (!st.core->name_of(sender_of(self)))
          return refuse("subscribe before node_hello");
        if (!l)
          return refuse("subscribe with an invalid listener");
        if (since.journal.size() > 64)
          return refuse("a notice journal ID has at most 64 characters");
        if (!st.journal)
          return refuse("this gateway keeps no notice journal");
        // The gate answers, not the journal: the node never learns the
        // journal's address.
        auto rp = self->make_response_promise<notice_cursor>();
        self->request(*st.journal, caf::infinite, caf::subscribe_atom_v,
                      atom::notices_v, std::move(l), std::move(since))
            .then(
                [rp](notice_cursor& c) mutable { rp.deliver(std::move(c)); },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](const node_slot_request& x) -> caf::result<void> {
        auto& st = self->state;
        auto res = st.core->request(sender_of(self), x);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        self->send(*st.arbiter, std::move(std::get<slot_request>(res)));
        return caf::unit;
      },
      [self](const node_slot_release& x) -> caf::result<void> {
        auto& st = self->state;
        auto res = st.core->release(sender_of(self), x);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        self->send(*st.arbiter, std::move(std::get<slot_release>(res)));
        return caf::unit;
      },
  };
}

} // namespace kisrt
