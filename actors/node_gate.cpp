// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate.hpp"

#include <chrono>

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/node_gate_proxy.hpp"
#include "messages/type_ids.hpp"

namespace kisrt {

namespace {

using self_ptr = node_gate_actor::stateful_pointer<node_gate_state>;

// Every text here is printable: names and keys went through the checks
// (actors/node_gate_checks.hpp) or printable() before they got into it.
caf::error refuse(const std::string& why) {
  spdlog::warn("node gate: {}", why);
  return caf::make_error(caf::sec::runtime_error, why);
}

caf::actor_addr sender_of(self_ptr self) {
  return caf::actor_cast<caf::actor_addr>(self->current_sender());
}

// The proxy of `l` (a listener of the sender's node), made on first use.
// Subscriptions need a hello first, so that the gate knows whose proxies
// to end when the node goes away.
caf::expected<market_listener_actor>
proxy_for(self_ptr self, const remote_listener_actor& l, bool new_key) {
  auto& st = self->state;
  auto node = sender_of(self);
  auto name = st.core->name_of(node);
  if (!name)
    return refuse("subscribe before node_hello");
  if (!l)
    return refuse("node '" + *name + "': subscribe with an invalid listener");
  // The listener must live on the node that asks: never an actor of this
  // gateway (the gate itself, a proxy, anything a node might have learned
  // the address of) and never another node's.
  if (l.node() != node.node())
    return refuse("node '" + *name
                  + "': a listener must live on the node that subscribes it");
  auto& mine = st.proxies[node];
  auto i = mine.find(l.address());
  if (i == mine.end()) {
    if (mine.size() >= st.core->config().max_listeners)
      return refuse("node '" + *name + "' has " + std::to_string(mine.size())
                    + " listeners, its limit");
    auto& c = st.core->config();
    node_proxy_config pc{c.window, c.confirm_every, c.max_queue, c.batch_max,
                         c.batch_delay};
    auto p = caf::actor_cast<market_listener_actor>(self->spawn(
        node_proxy, pc, caf::actor_cast<caf::actor_addr>(*st.hub), l));
    self->monitor(p);
    st.proxy_owner.emplace(p.address(), std::make_pair(node, l.address()));
    i = mine.emplace(l.address(), node_gate_state::proxy_entry{p, 0}).first;
  }
  if (new_key) {
    std::size_t total = 0;
    for (auto& [addr, e] : mine)
      total += e.keys;
    if (total >= st.core->config().max_subscriptions)
      return refuse("node '" + *name + "' has " + std::to_string(total)
                    + " subscriptions, its limit");
    ++i->second.keys;
  }
  return i->second.proxy;
}

// Ends the proxy of `listener` of `node` (and with it its hub
// subscription).
void end_proxy(self_ptr self, const caf::actor_addr& node,
               const caf::actor_addr& listener) {
  auto& st = self->state;
  auto n = st.proxies.find(node);
  if (n == st.proxies.end())
    return;
  auto i = n->second.find(listener);
  if (i == n->second.end())
    return;
  auto p = i->second.proxy;
  st.proxy_owner.erase(p.address());
  self->demonitor(p.address());
  self->send(*st.hub, caf::unsubscribe_atom_v, p);
  self->send_exit(p, caf::exit_reason::user_shutdown);
  n->second.erase(i);
  if (n->second.empty())
    st.proxies.erase(n);
}

} // namespace

node_gate_actor::behavior_type
node_gate(node_gate_actor::stateful_pointer<node_gate_state> self,
          node_gate_config cfg, hub_actor hub, slot_arbiter_actor arbiter,
          std::optional<notice_journal_actor> journal,
          std::optional<slot_feed_actor> feed) {
  auto& st = self->state;
  st.journal = std::move(journal);
  st.feed = std::move(feed);
  st.core.emplace(std::move(cfg));
  st.hub = std::move(hub);
  st.arbiter = std::move(arbiter);
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& st = self->state;
    // A proxy ended on its own (its listener went away).
    if (auto p = st.proxy_owner.find(dm.source); p != st.proxy_owner.end()) {
      auto [node, listener] = p->second;
      end_proxy(self, node, listener);
      return;
    }
    auto name = st.core->name_of(dm.source);
    if (auto rel = st.core->down(dm.source)) {
      spdlog::info("node '{}' is gone ({}): releasing its requests",
                   name.value_or("?"), printable(to_string(dm.reason), 200));
      if (st.feed)
        self->send(*st.feed, *rel);
      self->send(*st.arbiter, std::move(*rel));
    }
    if (auto i = st.slot_listeners.find(dm.source);
        i != st.slot_listeners.end()) {
      for (auto& l : i->second)
        if (st.feed)
          self->send(*st.feed, caf::unsubscribe_atom_v,
                     caf::actor_cast<slot_outcome_listener_actor>(l));
      st.slot_listeners.erase(i);
    }
    if (auto i = st.proxies.find(dm.source); i != st.proxies.end()) {
      std::vector<caf::actor_addr> ls;
      for (auto& [l, e] : i->second)
        ls.push_back(l);
      for (auto& l : ls)
        end_proxy(self, dm.source, l);
    }
  });
  // Nodes may send anything to the gate's address: what has no handler is
  // dropped without a word (and without a log line per message).
  self->set_default_handler(caf::drop);
  return {
      [self](const node_hello& x) -> caf::result<node_policy> {
        auto& st = self->state;
        auto node = sender_of(self);
        if (!node)
          return refuse("node_hello without a sender");
        std::optional<std::string> subject;
        if (auto& subjects = st.core->config().subjects)
          subject = subjects->get(to_string(node.node()));
        auto res = st.core->hello(node, node.node(), x.name, subject);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        self->monitor(node);
        auto& pol = std::get<node_policy>(res);
        spdlog::info("node '{}' joined: priority {}..255, up to {} slots",
                     x.name, pol.max_priority, pol.max_slots);
        return pol;
      },
      [self](caf::subscribe_atom,
             remote_listener_actor l) -> caf::result<void> {
        auto p = proxy_for(self, l, true);
        if (!p)
          return std::move(p.error());
        self->send(*self->state.hub, caf::subscribe_atom_v, std::move(*p));
        return caf::unit;
      },
      [self](caf::subscribe_atom, remote_listener_actor l,
             slot_key key) -> caf::result<void> {
        if (auto why = check_node_key(key, true, node_use::subscribe);
            !why.empty())
          return refuse("subscribe refused: " + why);
        auto p = proxy_for(self, l, true);
        if (!p)
          return std::move(p.error());
        self->send(*self->state.hub, caf::subscribe_atom_v, std::move(*p),
                   std::move(key));
        return caf::unit;
      },
      [self](caf::unsubscribe_atom,
             remote_listener_actor l) -> caf::result<void> {
        auto& st = self->state;
        auto node = sender_of(self);
        auto n = st.proxies.find(node);
        if (n == st.proxies.end() || n->second.count(l.address()) == 0)
          return refuse("unsubscribe of a listener this node did not "
                        "subscribe");
        end_proxy(self, node, l.address());
        return caf::unit;
      },
      [self](caf::subscribe_atom, atom::notices, notice_listener_actor l,
             notice_cursor since) -> caf::result<notice_cursor> {
        auto& st = self->state;
        if (!st.core->name_of(sender_of(self)))
          return refuse("subscribe before node_hello");
        if (!l)
          return refuse("subscribe with an invalid listener");
        // As for market listeners: never an actor of this gateway, never
        // another node's.
        if (l.node() != sender_of(self).node())
          return refuse("a notice listener must live on the node that "
                        "subscribes it");
        if (since.journal.size() > 64)
          return refuse("a notice journal ID has at most 64 characters");
        if (!st.journal)
          return refuse("this gateway keeps no notice journal");
        // The gate answers itself (where the replay starts): a delegated
        // answer would carry the journal's address, which accepts notices.
        auto rp = self->make_response_promise<notice_cursor>();
        self->request(*st.journal, std::chrono::seconds{10},
                      caf::subscribe_atom_v, atom::notices_v, std::move(l),
                      std::move(since))
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
        if (st.feed)
          self->send(*st.feed, std::get<slot_request>(res));
        self->send(*st.arbiter, std::move(std::get<slot_request>(res)));
        return caf::unit;
      },
      [self](const node_slot_release& x) -> caf::result<void> {
        auto& st = self->state;
        auto res = st.core->release(sender_of(self), x);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        if (st.feed)
          self->send(*st.feed, std::get<slot_release>(res));
        self->send(*st.arbiter, std::move(std::get<slot_release>(res)));
        return caf::unit;
      },
      [self](caf::subscribe_atom, atom::slots, slot_outcome_listener_actor l,
             bool all) -> caf::result<void> {
        auto& st = self->state;
        auto node = sender_of(self);
        auto res = st.core->slot_events(node, all);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        if (!l)
          return refuse("slot events with an invalid listener");
        // As for market listeners: never an actor of this gateway, never
        // another node's.
        if (l.node() != node.node())
          return refuse("a slot event listener must live on the node that "
                        "subscribes it");
        if (!st.feed)
          return refuse("this gateway hands out no slot events");
        auto& mine = st.slot_listeners[node];
        if (mine.count(l.address()) == 0
            && mine.size() >= st.core->config().max_listeners)
          return refuse("node '" + st.core->name_of(node).value_or("?")
                        + "' has " + std::to_string(mine.size())
                        + " slot event listeners, its limit");
        mine.insert(l.address());
        self->send(*st.feed, caf::subscribe_atom_v, std::move(l),
                   std::move(std::get<slot_follow>(res).owner));
        return caf::unit;
      },
      [self](const pick_set& x) -> caf::result<void> {
        auto& st = self->state;
        auto res = st.core->set_picks(sender_of(self), x);
        if (auto* why = std::get_if<std::string>(&res))
          return refuse(*why);
        if (!st.picks_loader)
          return refuse("this gateway runs no picks loader (picks.db)");
        spdlog::info("node gate: node '{}' sets {} picks for {}",
                     std::get<picks_from>(res).node, x.picks.size(),
                     x.trade_date);
        self->send(*st.picks_loader, x);
        return caf::unit;
      },
      [self](atom::attach, picks_loader_actor l) {
        // Only a loader of this process: a node cannot divert picks.
        if (l && l.node() == self->node())
          self->state.picks_loader = std::move(l);
      },
      [self](caf::get_atom, atom::stats) -> caf::result<gate_counters> {
        // For this process's admin server only: nodes learn nothing of
        // each other.
        auto sender = self->current_sender();
        if (!sender || sender->node() != self->node())
          return refuse("statistics are not for nodes");
        auto& core = *self->state.core;
        return gate_counters{static_cast<std::uint32_t>(core.size()),
                             static_cast<std::uint32_t>(core.held_total())};
      },
  };
}

} // namespace kisrt
