// SPDX-License-Identifier: Apache-2.0
#include "actors/stream_gate.hpp"

#include <chrono>
#include <type_traits>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/event_json.hpp"
#include "actors/node_gate_checks.hpp"
#include "messages/event_handlers.hpp"
#include "net/kis/json_out.hpp"

namespace kisrt {

std::string stream_owner(const std::string& name) {
  return "stream:" + name;
}

bool stream_keeps_all(std::string_view event_name, std::string_view tr_id) {
  if (event_name == "trade" || event_name == "overseas_trade"
      || event_name == "notice" || event_name == "overseas_notice")
    return true;
  // A generic TR is kept whole when it is a trade (…CNT…) or a notice.
  return event_name == "fields"
         && (tr_id.find("CNT") != std::string_view::npos
             || is_notice_tr(tr_id));
}

// -- the client actor ---------------------------------------------------------

namespace {

using client_ptr = stream_client_actor::stateful_pointer<stream_client_state>;

template <class Event>
void write_event(client_ptr self, const Event& ev) {
  std::string text;
  text.reserve(512);
  append_event_json(text, ev);
  auto& st = self->state;
  if (is_critical(ev)
      || stream_keeps_all(market_event_traits<Event>::json_name, ev.tr_id)) {
    st.out->send(st.id, std::move(text));
  } else {
    std::string key;
    key.reserve(ev.tr_id.size() + 1 + key_of(ev).size());
    key += ev.tr_id;
    key += ':';
    key += key_of(ev);
    st.out->send(st.id, std::move(text), key);
  }
}

} // namespace

stream_client_actor::behavior_type
stream_client(stream_client_actor::stateful_pointer<stream_client_state> self,
              std::uint64_t id, std::shared_ptr<net::stream_out> out) {
  self->state.id = id;
  self->state.out = std::move(out);
  return market_behavior<stream_client_actor::behavior_type>(
      [self](const auto& ev) { write_event(self, ev); },
      [self](const slot_outcome& ev) {
        std::string text;
        append_event_json(text, ev);
        // Slot outcomes are few and each one matters.
        self->state.out->send(self->state.id, std::move(text));
      });
}

// -- the gate -----------------------------------------------------------------

namespace {

using gate_ptr = stream_gate_actor::stateful_pointer<stream_gate_state>;

void send_error(gate_ptr self, std::uint64_t id, std::string_view op,
                const std::string& message) {
  std::string text = "{\"event\":\"error\",\"op\":";
  kis::append_json_string(text, op);
  text += ",\"message\":";
  kis::append_json_string(text, message);
  text += '}';
  self->state.deps->out->send(id, std::move(text));
}

market_listener_actor listener_of(const stream_client_actor& a) {
  return caf::actor_cast<market_listener_actor>(a);
}

slot_outcome_listener_actor outcome_listener_of(const stream_client_actor& a) {
  return caf::actor_cast<slot_outcome_listener_actor>(a);
}

// Everything a client holds, given back: its requests released, its
// subscriptions and its actor ended.
void drop_client(gate_ptr self, std::uint64_t id, const std::string& why) {
  auto& st = self->state;
  auto i = st.clients.find(id);
  if (i == st.clients.end())
    return;
  auto& c = i->second;
  auto& d = *st.deps;
  if (auto rel = st.core->down(id)) {
    rel->owner = stream_owner(*c.name);
    spdlog::info("stream client '{}' is gone ({}): releasing its requests",
                 *c.name, printable(why, 120));
    self->send(d.feed, *rel);
    self->send(d.arbiter, std::move(*rel));
  }
  self->send(d.hub, caf::unsubscribe_atom_v, listener_of(c.actor));
  self->send(d.feed, caf::unsubscribe_atom_v, outcome_listener_of(c.actor));
  self->send_exit(c.actor, caf::exit_reason::user_shutdown);
  st.client_actors->erase(id);
  st.clients.erase(i);
}

void on_hello(gate_ptr self, std::uint64_t id, stream_gate_state::client& c,
              const net::stream_op& op) {
  auto& st = self->state;
  auto res = st.core->hello(id, op.name);
  if (auto* why = std::get_if<std::string>(&res))
    return send_error(self, id, "hello", *why);
  auto& pol = std::get<node_policy>(res);
  if (!c.name) {
    c.name = op.name;
    // Slot events: of its own requests, or every one when its policy says
    // so (nodes.all_slot_events, node.NAME.all_slot_events).
    auto follow = st.core->slot_events(id, true);
    std::string owner;
    if (std::holds_alternative<std::string>(follow))
      owner = stream_owner(op.name);
    self->send(st.deps->feed, caf::subscribe_atom_v,
               outcome_listener_of(c.actor), owner);
    spdlog::info("stream client '{}' joined from {}: priority {}..255, up "
                 "to {} slots",
                 op.name, c.peer, pol.max_priority, pol.max_slots);
  }
  std::string text = "{\"event\":\"hello\",\"name\":";
  kis::append_json_string(text, op.name);
  text += ",\"owner\":";
  kis::append_json_string(text, stream_owner(op.name));
  text += ",\"max_priority\":" + std::to_string(pol.max_priority);
  text += ",\"max_slots\":" + std::to_string(pol.max_slots) + "}";
  st.deps->out->send(id, std::move(text));
}

void on_subscribe(gate_ptr self, std::uint64_t id, stream_gate_state::client& c,
                  const net::stream_op& op) {
  auto& st = self->state;
  std::vector<slot_key> keys;
  if (op.keys.empty())
    keys.push_back(slot_key{op.tr_id, {}});
  for (auto& k : op.keys)
    keys.push_back(slot_key{op.tr_id, k});
  // All of them or none: the answer names the first bad key.
  std::size_t fresh = 0;
  for (auto& k : keys) {
    if (auto why = check_node_key(k, true, node_use::subscribe); !why.empty())
      return send_error(self, id, "subscribe", "subscribe refused: " + why);
    fresh += c.subs.count(k) == 0 ? 1 : 0;
  }
  if (c.subs.size() + fresh > st.max_subscriptions)
    return send_error(self, id, "subscribe",
                      "client '" + *c.name + "' has "
                          + std::to_string(c.subs.size())
                          + " subscriptions; at most "
                          + std::to_string(st.max_subscriptions));
  for (auto& k : keys)
    if (c.subs.insert(k).second)
      self->send(st.deps->hub, caf::subscribe_atom_v, listener_of(c.actor), k);
}

void on_unsubscribe(gate_ptr self, std::uint64_t, stream_gate_state::client& c,
                    const net::stream_op& op) {
  auto& st = self->state;
  std::vector<slot_key> gone;
  if (op.keys.empty()) { // every subscription of the tr_id
    for (auto& k : c.subs)
      if (k.tr_id == op.tr_id)
        gone.push_back(k);
  } else {
    for (auto& k : op.keys)
      if (c.subs.count(slot_key{op.tr_id, k}) > 0)
        gone.push_back(slot_key{op.tr_id, k});
  }
  for (auto& k : gone) {
    c.subs.erase(k);
    self->send(st.deps->hub, caf::unsubscribe_atom_v, listener_of(c.actor), k);
  }
}

void on_request(gate_ptr self, std::uint64_t id, stream_gate_state::client& c,
                const net::stream_op& op) {
  auto& st = self->state;
  node_slot_request x{slot_key{op.tr_id, op.key},
                      static_cast<priority>(op.priority)};
  auto res = st.core->request(id, x);
  if (auto* why = std::get_if<std::string>(&res))
    return send_error(self, id, "request", *why);
  auto& req = std::get<slot_request>(res);
  req.owner = stream_owner(*c.name);
  self->send(st.deps->feed, req);
  self->send(st.deps->arbiter, std::move(req));
}

void on_release(gate_ptr self, std::uint64_t id, stream_gate_state::client& c,
                const net::stream_op& op) {
  auto& st = self->state;
  node_slot_release x{slot_key{op.tr_id, op.key}};
  auto res = st.core->release(id, x);
  if (auto* why = std::get_if<std::string>(&res))
    return send_error(self, id, "release", *why);
  auto& rel = std::get<slot_release>(res);
  rel.owner = stream_owner(*c.name);
  self->send(st.deps->feed, rel);
  self->send(st.deps->arbiter, std::move(rel));
}

void on_slots(gate_ptr self, std::uint64_t id) {
  auto& st = self->state;
  self->request(st.deps->arbiter, std::chrono::seconds{5}, caf::get_atom_v,
                atom::slots_v)
      .then(
          [self, id](const slot_snapshot& snap) {
            auto& d = *self->state.deps;
            if (self->state.clients.count(id) > 0)
              d.out->send(id, d.slots_json(snap));
          },
          [self, id](const caf::error& err) {
            if (self->state.clients.count(id) > 0)
              send_error(self, id, "slots",
                         "the arbiter did not answer: " + to_string(err));
          });
}

} // namespace

stream_gate_actor::behavior_type
stream_gate(stream_gate_actor::stateful_pointer<stream_gate_state> self,
            stream_gate_config cfg, stream_gate_deps deps) {
  auto& st = self->state;
  st.core.emplace(std::move(cfg.policy));
  st.max_subscriptions = cfg.max_subscriptions;
  st.limits = cfg.limits;
  st.deps = std::move(deps);
  self->attach_functor([actors = st.client_actors] {
    // The client actors end with the gate (from a copy of their handles:
    // the state is gone when this runs).
    for (auto& [id, a] : *actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  });
  return {
      [self](caf::open_atom, std::uint64_t id, const std::string& peer) {
        auto& st = self->state;
        auto actor =
            self->spawn(stream_client, id, std::shared_ptr{st.deps->out});
        st.clients.emplace(id, stream_gate_state::client{peer, {}, actor, {}});
        st.client_actors->emplace(id, caf::actor_cast<caf::actor>(actor));
      },
      [self](caf::receive_atom, std::uint64_t id, const std::string& text) {
        auto& st = self->state;
        auto i = st.clients.find(id);
        if (i == st.clients.end())
          return;
        auto& c = i->second;
        net::stream_op op;
        std::string op_name;
        if (auto why = net::parse_stream_op(text, op, op_name, st.limits);
            !why.empty())
          return send_error(self, id, printable(op_name, 16), why);
        if (op.kind != net::stream_op_kind::hello && !c.name)
          return send_error(self, id, op_name,
                            "say hello first: {\"op\":\"hello\",\"name\":...}");
        switch (op.kind) {
          case net::stream_op_kind::hello: return on_hello(self, id, c, op);
          case net::stream_op_kind::subscribe:
            return on_subscribe(self, id, c, op);
          case net::stream_op_kind::unsubscribe:
            return on_unsubscribe(self, id, c, op);
          case net::stream_op_kind::request: return on_request(self, id, c, op);
          case net::stream_op_kind::release: return on_release(self, id, c, op);
          case net::stream_op_kind::slots: return on_slots(self, id);
        }
      },
      [self](caf::close_atom, std::uint64_t id, const std::string& why) {
        drop_client(self, id, why);
      },
  };
}

} // namespace kisrt
