// SPDX-License-Identifier: Apache-2.0
// The node gate's decisions as a plain class: who a node is, what it may
// ask for, and what to withdraw when it goes away. Nodes are identified by
// an opaque id (the gate actor uses the sender's address) and belong to a
// connection (the gate uses the sender's node id: one BASP connection).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "actors/node_gate_checks.hpp"
#include "messages/demand.hpp"
#include "messages/nodes.hpp"
#include "messages/sources.hpp"

namespace kisrt {

/// Limits of one node (config: `[nodes]` defaults, `[node.NAME]` overrides).
struct node_limits {
  priority max_priority = pick_priority; ///< most important level allowed
  std::uint32_t max_slots = 10;          ///< keys requested at once
  /// A `[node.NAME]` policy applies over a connection without TLS only
  /// when this is set (`node.NAME.allow_unauthenticated`): otherwise any
  /// local process could claim the name and its privileges.
  bool allow_unauthenticated = false;
  /// May follow every slot event, not only those of its own requests
  /// (`node.NAME.all_slot_events`, `nodes.all_slot_events`).
  bool all_slot_events = false;
  /// May send today's picks (`node.NAME.may_set_picks`; per name only).
  bool may_set_picks = false;
};

/// The certificate subject (CN) of each TLS connection, by connection key
/// (the gate uses the text of the node's CAF node id). The publish relay
/// fills it from its own thread before any message of that connection
/// reaches the gate; the gate reads it at hello.
class node_subjects {
public:
  void add(const std::string& conn, const std::string& subject) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& e = by_conn_[conn];
    e.first = subject;
    ++e.second;
  }

  void remove(const std::string& conn) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (auto i = by_conn_.find(conn);
        i != by_conn_.end() && --i->second.second == 0)
      by_conn_.erase(i);
  }

  std::optional<std::string> get(const std::string& conn) const {
    std::lock_guard<std::mutex> guard{mtx_};
    if (auto i = by_conn_.find(conn); i != by_conn_.end())
      return i->second.first;
    return std::nullopt;
  }

private:
  mutable std::mutex mtx_;
  std::map<std::string, std::pair<std::string, int>> by_conn_;
};

struct node_gate_config {
  node_limits defaults;
  std::map<std::string, node_limits> by_name;
  /// Keys all nodes together may have requested (`nodes.max_slots_total`):
  /// many names, connections or processes get no more than this.
  std::uint32_t max_slots_total = 20;
  /// Nodes reach the gate through mutual TLS (publish.certificate).
  bool authenticated = false;
  /// Set: a node's name must be its certificate's subject (CN).
  std::shared_ptr<node_subjects> subjects;
  /// Fixed bounds on what nodes make the gate hold.
  std::size_t max_nodes = 64;
  std::size_t max_listeners = 8;       ///< per node
  std::size_t max_subscriptions = 256; ///< (listener, key) pairs per node
  /// Flow control towards each remote listener (its proxy): events in
  /// flight, a confirmation request every n-th event, then a bounded,
  /// conflating queue (actors/hub_core.hpp).
  std::uint32_t window = 4096;
  std::uint32_t confirm_every = 64;
  std::size_t max_queue = 10000;
  /// Batches towards each remote listener (messages/event_batch.hpp): at
  /// most this many events, sent at the latest this long after their first
  /// (a notice at once).
  std::uint32_t batch_max = 256;
  std::chrono::microseconds batch_delay{200};
};

/// The node whose picks passed the checks.
struct picks_from {
  std::string node;
};

/// Whose slot events a node follows: `owner`'s requests, or every one with
/// an empty owner.
struct slot_follow {
  std::string owner;
};

template <class NodeId, class ConnId = NodeId>
class node_gate_core {
public:
  /// An error text for the node, or what to send to the arbiter.
  template <class T>
  using outcome = std::variant<std::string, T>;

  explicit node_gate_core(node_gate_config cfg)
      : cfg_(std::move(cfg)) {
    // nop
  }

  /// Binds `id` (on connection `conn`) to `name`. Refused for a bad name,
  /// a name held by another node, a second name for the same node or the
  /// same connection, a `[node.NAME]` policy without TLS (unless allowed),
  /// and past `max_nodes`.
  outcome<node_policy>
  hello(const NodeId& id, const ConnId& conn, const std::string& name,
        const std::optional<std::string>& subject = std::nullopt) {
    if (name.empty() || name.size() > 64)
      return "node name '" + printable(name) + "' must have 1 to 64 characters";
    for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
        return "node name '" + printable(name)
               + "' may hold only letters, digits, '-', '_' and '.'";
    if (auto i = nodes_.find(id); i != nodes_.end()) {
      if (i->second.name != name)
        return "this node is already '" + i->second.name + "', not '" + name
               + "'";
      return policy_of(i->second);
    }
    if (auto i = conns_.find(conn); i != conns_.end())
      return "this connection is already node '" + i->second
             + "': one name per connection, so that its quota holds, not '"
             + name + "'";
    if (cfg_.subjects) {
      if (!subject)
        return "node name '" + name
               + "': no certificate subject is known for this connection";
      if (*subject != name)
        return "node name '" + name + "' is not this connection's "
               + "certificate subject (CN) '" + printable(*subject) + "'";
    }
    if (names_.count(name) > 0)
      return "node name '" + name + "' is held by another live node";
    auto own = cfg_.by_name.find(name);
    if (own != cfg_.by_name.end() && !cfg_.authenticated
        && !own->second.allow_unauthenticated)
      return "node name '" + name + "' has its own policy [node." + name
             + "], which needs TLS (publish.certificate) or node." + name
             + ".allow_unauthenticated = true";
    if (nodes_.size() >= cfg_.max_nodes)
      return "the gate already has " + std::to_string(nodes_.size())
             + " nodes, its limit";
    node n;
    n.name = name;
    n.conn = conn;
    n.limits = own != cfg_.by_name.end() ? own->second : cfg_.defaults;
    names_.emplace(name, id);
    conns_.emplace(conn, name);
    return policy_of(nodes_.emplace(id, std::move(n)).first->second);
  }

  /// The same with the node as its own connection (tests, one-node cases).
  outcome<node_policy> hello(const NodeId& id, const std::string& name) {
    return hello(id, id, name);
  }

  /// The node's name, if it said hello.
  std::optional<std::string> name_of(const NodeId& id) const {
    if (auto i = nodes_.find(id); i != nodes_.end())
      return i->second.name;
    return std::nullopt;
  }

  outcome<slot_request> request(const NodeId& id, const node_slot_request& x) {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::string{"slot request before node_hello"};
    auto& n = i->second;
    if (x.key.tr_key.empty())
      return "slot request for '" + printable(x.key.tr_id, 16) + ":"
             + "': tr_id and tr_key are required";
    if (auto why = check_node_key(x.key, false); !why.empty())
      return "slot request refused: " + why;
    auto shown = x.key.tr_id + ":" + x.key.tr_key; // checked: printable
    if (x.level < n.limits.max_priority)
      return "node '" + n.name + "' may ask for priority "
             + std::to_string(n.limits.max_priority) + " to 255, not "
             + std::to_string(x.level) + " (" + shown + ")";
    if (n.keys.count(x.key) == 0) {
      if (n.keys.size() >= n.limits.max_slots)
        return "node '" + n.name + "' holds " + std::to_string(n.keys.size())
               + " of its " + std::to_string(n.limits.max_slots)
               + " slot requests; release one before asking for " + shown;
      if (total_ >= cfg_.max_slots_total)
        return "nodes hold " + std::to_string(total_) + " of their "
               + std::to_string(cfg_.max_slots_total)
               + " slot requests in total (nodes.max_slots_total); node '"
               + n.name + "' cannot ask for " + shown;
      ++total_;
    }
    n.keys.insert(x.key);
    return slot_request{node_owner(n.name), x.key, x.level};
  }

  outcome<slot_release> release(const NodeId& id, const node_slot_release& x) {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::string{"slot release before node_hello"};
    auto& n = i->second;
    if (!x.key.tr_id.empty() || !x.key.tr_key.empty())
      if (auto why = check_node_key(x.key, false); !why.empty())
        return "slot release refused: " + why;
    if (x.key.tr_id.empty() && x.key.tr_key.empty()) {
      total_ -= n.keys.size();
      n.keys.clear();
    } else {
      total_ -= n.keys.erase(x.key);
    }
    return slot_release{node_owner(n.name), x.key};
  }

  /// The node is gone: forgets it and returns the release of all its
  /// requests (none if it never said hello).
  std::optional<slot_release> down(const NodeId& id) {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::nullopt;
    slot_release out{node_owner(i->second.name), {}};
    total_ -= i->second.keys.size();
    names_.erase(i->second.name);
    conns_.erase(i->second.conn);
    nodes_.erase(i);
    return out;
  }

  /// What a node gets of the slot events: the request owner whose events
  /// it follows, or an empty owner for all of them. An error text when it
  /// said no hello, or asks for all without `all_slot_events`.
  outcome<slot_follow> slot_events(const NodeId& id, bool all) const {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::string{"slot events before node_hello"};
    if (!all)
      return slot_follow{node_owner(i->second.name)};
    if (!i->second.limits.all_slot_events)
      return "node '" + i->second.name
             + "' may follow the slot events of its own requests only "
               "(all_slot_events is off in its policy)";
    return slot_follow{};
  }

  /// Most picks a node may send at once, and the longest name or source
  /// text of one.
  static constexpr std::size_t max_node_picks = 200;
  static constexpr std::size_t max_pick_text = 64;

  /// Checks a node's picks: a hello first, `may_set_picks` in its policy,
  /// at most max_node_picks rows, each with a 6-character stock code, a
  /// rank from 1 and short texts. The name of the node, or an error text.
  outcome<picks_from> set_picks(const NodeId& id, const pick_set& x) const {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::string{"picks before node_hello"};
    auto& name = i->second.name;
    if (!i->second.limits.may_set_picks)
      return "node '" + name
             + "' may not set picks (may_set_picks is off in its policy)";
    if (x.picks.size() > max_node_picks)
      return "node '" + name + "' sent " + std::to_string(x.picks.size())
             + " picks; at most " + std::to_string(max_node_picks);
    if (x.trade_date != 0
        && (x.trade_date < 19000101 || x.trade_date > 99991231))
      return "node '" + name + "' sent picks for trade_date "
             + std::to_string(x.trade_date) + ", not YYYYMMDD";
    for (auto& p : x.picks) {
      bool code_ok = p.code.size() == 6;
      for (char c : p.code)
        code_ok = code_ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
      if (!code_ok)
        return "node '" + name + "' sent a pick with code '" + printable(p.code)
               + "', not a 6-character stock code";
      if (p.rank < 1)
        return "node '" + name + "' sent pick " + p.code + " with rank "
               + std::to_string(p.rank) + "; ranks start at 1";
      if (p.name.size() > max_pick_text || p.source.size() > max_pick_text)
        return "node '" + name + "' sent pick " + p.code
               + " with a name or source over " + std::to_string(max_pick_text)
               + " bytes";
    }
    return picks_from{name};
  }

  /// Keys the node has requested (for tests and diagnostics).
  std::size_t held(const NodeId& id) const {
    auto i = nodes_.find(id);
    return i == nodes_.end() ? 0 : i->second.keys.size();
  }

  /// Keys all nodes have requested.
  std::size_t held_total() const noexcept { return total_; }

  std::size_t size() const noexcept { return nodes_.size(); }

  const node_gate_config& config() const noexcept { return cfg_; }

private:
  struct node {
    std::string name;
    ConnId conn;
    node_limits limits;
    std::set<slot_key> keys;
  };

  static node_policy policy_of(const node& n) {
    return {node_owner(n.name), n.limits.max_priority, n.limits.max_slots};
  }

  node_gate_config cfg_;
  std::map<NodeId, node> nodes_;
  std::map<std::string, NodeId> names_;
  std::map<ConnId, std::string> conns_;
  std::size_t total_ = 0;
};

} // namespace kisrt
