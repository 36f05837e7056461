// SPDX-License-Identifier: Apache-2.0
// snapshot_fetcher: price snapshots. It observes the arbiter (the arbiter
// stays the only owner of slot state) and, when a key of a trade TR becomes
// active (its first grant, or again after a replay), asks the injected
// price_source for the key's current price (the gateway's is KIS REST,
// paced by the app key's rest_limiter). Holdings go first (snapshot_core).
// The answer reaches the hub as a `snapshot_event` under the key's
// (tr_id, tr_key), so every subscriber of that key gets it before the key's
// first trade (a trade on the wire may still overtake a slow answer).
//
// Spawn after the hub and subscribe it to the arbiter before any session
// (assembly::start does both when core_spec::snapshots is set).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/kst_clock.hpp"
#include "actors/snapshot_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

/// Where prices come from (KIS REST in the gateway, scripted in tests).
class price_source {
public:
  virtual ~price_source();

  /// Fetches the price of `key`; calls `done` exactly once, from any
  /// thread, with the price (symbol and time left to the caller) or an
  /// error text (no secrets).
  virtual void
  fetch(const slot_key& key,
        std::function<void(kis::price_snapshot, std::string error)> done) = 0;
};

struct snapshot_fetcher_config {
  std::shared_ptr<price_source> source;
  /// KST of the snapshot's time; unset: kst_clock::unanchored.
  std::optional<kst_clock> kst;
  /// Fetches at a time (the limiter paces them; a small number keeps the
  /// queue's order, holdings first, meaningful).
  std::size_t max_in_flight = 2;
  /// A fetch unanswered this long is given up (its place freed).
  mono_time patience = std::chrono::seconds{30};
};

struct snapshot_fetcher_state {
  snapshot_fetcher_config cfg;
  snapshot_core core;
  std::optional<hub_actor> hub;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;

  static inline const char* name = "snapshot_fetcher";
};

snapshot_fetcher_actor::behavior_type snapshot_fetcher(
    snapshot_fetcher_actor::stateful_pointer<snapshot_fetcher_state> self,
    snapshot_fetcher_config cfg, hub_actor hub);

} // namespace kisrt
