// SPDX-License-Identifier: Apache-2.0
// Declared demand: what the sources want. Full sets replace the previous
// set of that source, so a lost update heals with the next one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

/// P1: the full set of held symbols (portfolio_sync, from REST balance).
struct holding_set {
  std::vector<std::string> symbols;
  friend bool operator==(const holding_set& a, const holding_set& b) {
    return a.symbols == b.symbols;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, holding_set& x) {
  return f(caf::meta::type_name("holding_set"), x.symbols);
}

/// P1 delta from a fill: the position after it. A buy adds the symbol at
/// once; a quantity of zero (sold out) removes it.
struct position_update {
  std::string symbol;
  std::int64_t quantity = 0;
  friend bool operator==(const position_update& a, const position_update& b) {
    return a.symbol == b.symbol && a.quantity == b.quantity;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_update& x) {
  return f(caf::meta::type_name("position_update"), x.symbol, x.quantity);
}

/// P2: the full ranked pick list, best first (index = rank).
struct pick_list {
  std::vector<std::string> symbols;
  friend bool operator==(const pick_list& a, const pick_list& b) {
    return a.symbols == b.symbols;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick_list& x) {
  return f(caf::meta::type_name("pick_list"), x.symbols);
}

/// P3: one scanner candidate; `seen` is when the scanner last saw it.
struct scan_candidate {
  std::string symbol;
  double score = 0;
  mono_time seen{0};
  friend bool operator==(const scan_candidate& a, const scan_candidate& b) {
    return a.symbol == b.symbol && a.score == b.score && a.seen == b.seen;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_candidate& x) {
  return f(caf::meta::type_name("scan_candidate"), x.symbol, x.score, x.seen);
}

/// P3: new or refreshed candidates. They merge into the known ones and
/// expire after the configured candidate lifetime since `seen`.
struct scan_candidates {
  std::vector<scan_candidate> items;
  friend bool operator==(const scan_candidates& a, const scan_candidates& b) {
    return a.items == b.items;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_candidates& x) {
  return f(caf::meta::type_name("scan_candidates"), x.items);
}

/// An explicit request by a named owner (user, remote node) at a level.
struct slot_request {
  std::string owner;
  slot_key key;
  priority level = lowest_priority;
  friend bool operator==(const slot_request& a, const slot_request& b) {
    return a.owner == b.owner && a.key == b.key && a.level == b.level;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_request& x) {
  return f(caf::meta::type_name("slot_request"), x.owner, x.key, x.level);
}

/// Withdraws an explicit request; an empty key withdraws all of `owner`'s.
struct slot_release {
  std::string owner;
  slot_key key;
  friend bool operator==(const slot_release& a, const slot_release& b) {
    return a.owner == b.owner && a.key == b.key;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_release& x) {
  return f(caf::meta::type_name("slot_release"), x.owner, x.key);
}

} // namespace kisrt
