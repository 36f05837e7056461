// SPDX-License-Identifier: Apache-2.0
// Fan-out decisions of the hub as a plain class: who wants an event, who
// gets it now, who gets it later. A subscriber may have at most `window`
// events in flight (the hub actor confirms delivery with a request every
// few events; a void handler answers it automatically, so subscribers need
// no extra code). Past the window, events wait in a bounded per-subscriber
// queue where quotes are conflated per (tr_id, symbol) or the oldest
// dropped, counted either way. Critical events (execution notices) are
// never dropped or conflated.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <caf/message.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

enum class overflow_policy : std::uint8_t {
  conflate,    ///< keep only the newest quote per (tr_id, symbol)
  drop_oldest, ///< keep arrival order, drop the oldest quote when full
};

struct hub_filter {
  /// Everything, or only `keys` ((tr_id, symbol); an empty symbol matches
  /// every symbol of that tr_id).
  bool all = false;
  std::set<slot_key> keys;
  bool matches(const std::string& tr_id,
               const std::string& symbol) const noexcept;
};

struct hub_item {
  std::string tr_id;
  std::string symbol;
  bool critical = false; ///< never dropped (execution notices)
  caf::message msg;
};

/// One message to hand to one subscriber; `seq` is its 1-based position
/// among all deliveries to that subscriber (for confirmations).
struct hub_delivery {
  std::uint64_t sub;
  std::uint64_t seq;
  caf::message msg;
};

struct subscriber_stats {
  std::uint64_t delivered = 0;
  std::uint64_t conflated = 0;
  std::uint64_t dropped = 0;
  std::size_t queued = 0;
  std::uint64_t in_flight = 0;
};

class hub_core {
public:
  using sub_id = std::uint64_t;

  explicit hub_core(std::uint32_t window = 4096, std::size_t max_queue = 10000)
      : window_(window)
      , max_queue_(max_queue) {
    // nop
  }

  /// `window` 0: the core's default window.
  sub_id add(hub_filter filter, overflow_policy policy,
             std::uint32_t window = 0);
  void remove(sub_id id);
  bool contains(sub_id id) const { return subs_.count(id) > 0; }

  /// Adds or removes keys of a subscriber's filter.
  void subscribe(sub_id id, const slot_key& key);
  void unsubscribe(sub_id id, const slot_key& key);
  void subscribe_all(sub_id id, bool all);

  /// Routes one event: appends the deliveries to make now.
  /// Events past a subscriber's window wait in its queue.
  void publish(const hub_item& item, std::vector<hub_delivery>& now);

  /// The subscriber has processed everything up to its `seq`-th delivery:
  /// frees window space and appends queued messages that now fit.
  void confirmed(sub_id id, std::uint64_t seq, std::vector<hub_delivery>& now);

  /// Sequence number of the last delivery to `id` (1-based; 0 = none).
  std::uint64_t sent(sub_id id) const;

  subscriber_stats stats(sub_id id) const;
  /// Delivered, conflated and dropped over every subscriber the core ever
  /// had (removed ones included), so the sums only grow.
  subscriber_stats totals() const;
  std::size_t size() const noexcept { return subs_.size(); }
  std::uint32_t window() const noexcept { return window_; }

private:
  struct queued_item {
    std::string tr_id;
    std::string symbol;
    bool critical;
    caf::message msg;
    bool live = true; ///< false once replaced by a newer quote
  };

  struct subscriber {
    hub_filter filter;
    overflow_policy policy;
    std::uint32_t window = 0;
    std::uint64_t sent = 0;
    std::uint64_t confirmed = 0;
    std::deque<queued_item> queue;
    std::size_t live = 0;   ///< live entries in queue
    std::size_t quotes = 0; ///< live non-critical entries (bounded)
    /// Index of the live quote per (tr_id, symbol), for conflation:
    /// position = offset + index into queue.
    std::map<std::pair<std::string, std::string>, std::uint64_t> latest;
    std::uint64_t popped = 0; ///< entries ever popped from the queue front
    subscriber_stats stats;
  };

  bool has_room(const subscriber& s) const noexcept {
    return s.sent - s.confirmed < s.window;
  }
  void enqueue(subscriber& s, const hub_item& item);
  void flush(sub_id id, subscriber& s, std::vector<hub_delivery>& now);

  std::uint32_t window_;
  std::size_t max_queue_;
  sub_id next_id_ = 1;
  std::map<sub_id, subscriber> subs_;
  subscriber_stats removed_; ///< what removed subscribers had counted
};

} // namespace kisrt
