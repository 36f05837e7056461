// SPDX-License-Identifier: Apache-2.0
// The node gate's decisions as a plain class: who a node is, what it may
// ask for, and what to withdraw when it goes away. Nodes are identified by
// an opaque id (the gate actor uses the sender's address).
#pragma once

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "messages/demand.hpp"
#include "messages/nodes.hpp"

namespace kisrt {

/// Limits of one node (config: `[nodes]` defaults, `[node.NAME]` overrides).
struct node_limits {
  priority max_priority = pick_priority; ///< most important level allowed
  std::uint32_t max_slots = 10;          ///< keys requested at once
};

struct node_gate_config {
  node_limits defaults;
  std::map<std::string, node_limits> by_name;
};

/// Owner name of a node's requests at the arbiter.
std::string node_owner(const std::string& name);

template <class NodeId>
class node_gate_core {
public:
  /// An error text for the node, or what to send to the arbiter.
  template <class T>
  using outcome = std::variant<std::string, T>;

  explicit node_gate_core(node_gate_config cfg)
      : cfg_(std::move(cfg)) {
    // nop
  }

  /// Binds `id` to `name`. Refused for a bad name, a name held by another
  /// node, or a second name for the same node.
  outcome<node_policy> hello(const NodeId& id, const std::string& name) {
    if (name.empty() || name.size() > 64)
      return "node name '" + name + "' must have 1 to 64 characters";
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'
            || c == '.'))
        return "node name '" + name
               + "' may hold only letters, digits, '-', "
                 "'_' and '.'";
    if (auto i = nodes_.find(id); i != nodes_.end()) {
      if (i->second.name != name)
        return "this node is already '" + i->second.name + "', not '" + name
               + "'";
      return policy_of(i->second);
    }
    if (names_.count(name) > 0)
      return "node name '" + name + "' is held by another live node";
    node n;
    n.name = name;
    n.limits = limits_for(name);
    names_.emplace(name, id);
    return policy_of(nodes_.emplace(id, std::move(n)).first->second);
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
    if (x.key.tr_id.empty() || x.key.tr_key.empty())
      return "slot request for '" + x.key.tr_id + ":" + x.key.tr_key
             + "': tr_id and tr_key are required";
    if (x.level < n.limits.max_priority)
      return "node '" + n.name + "' may ask for priority "
             + std::to_string(n.limits.max_priority) + " to 255, not "
             + std::to_string(x.level) + " (" + x.key.tr_id + ":" + x.key.tr_key
             + ")";
    if (n.keys.count(x.key) == 0 && n.keys.size() >= n.limits.max_slots)
      return "node '" + n.name + "' holds " + std::to_string(n.keys.size())
             + " of its " + std::to_string(n.limits.max_slots)
             + " slot requests; release one before asking for " + x.key.tr_id
             + ":" + x.key.tr_key;
    n.keys.insert(x.key);
    return slot_request{node_owner(n.name), x.key, x.level};
  }

  outcome<slot_release> release(const NodeId& id, const node_slot_release& x) {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::string{"slot release before node_hello"};
    auto& n = i->second;
    if (x.key.tr_id.empty() && x.key.tr_key.empty())
      n.keys.clear();
    else
      n.keys.erase(x.key);
    return slot_release{node_owner(n.name), x.key};
  }

  /// The node is gone: forgets it and returns the release of all its
  /// requests (none if it never said hello).
  std::optional<slot_release> down(const NodeId& id) {
    auto i = nodes_.find(id);
    if (i == nodes_.end())
      return std::nullopt;
    slot_release out{node_owner(i->second.name), {}};
    names_.erase(i->second.name);
    nodes_.erase(i);
    return out;
  }

  /// Keys the node has requested (for tests and diagnostics).
  std::size_t held(const NodeId& id) const {
    auto i = nodes_.find(id);
    return i == nodes_.end() ? 0 : i->second.keys.size();
  }

  std::size_t size() const noexcept { return nodes_.size(); }

private:
  struct node {
    std::string name;
    node_limits limits;
    std::set<slot_key> keys;
  };

  node_limits limits_for(const std::string& name) const {
    auto i = cfg_.by_name.find(name);
    return i != cfg_.by_name.end() ? i->second : cfg_.defaults;
  }

  static node_policy policy_of(const node& n) {
    return {node_owner(n.name), n.limits.max_priority, n.limits.max_slots};
  }

  node_gate_config cfg_;
  std::map<NodeId, node> nodes_;
  std::map<std::string, NodeId> names_;
};

} // namespace kisrt
