// SPDX-License-Identifier: Apache-2.0
// kisrt::client, the callback facade: the gateway for code that does not
// use actors (docs/embedding.md). Subscribe with a callback, call run() on
// a thread of your choice, close() from anywhere. Built on the same actors
// as the gateway; no CAF, Beast or Asio type appears here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "messages/event_list.hpp"
#include "net/kis/generic_record.hpp"
#include "net/kis/price.hpp"
#include "net/kis/records.hpp"
#include "net/kis/records_derivatives.hpp"
#include "net/kis/records_indices.hpp"

namespace kisrt {

/// The records of every market event type, in list order.
using client_event_data = detail::type_list_tail<void KISRT_MARKET_EVENTS(
    KISRT_EVENT_RECORD_COMMA)>::apply<std::variant>;

/// One market event as a callback sees it.
struct client_event {
  std::uint32_t session = 0; ///< configured session (app key) index
  std::string tr_id;         ///< e.g. "H0STCNT0"
  /// The key it is subscribed under: the symbol; the HTS ID for notices;
  /// the RSYM (e.g. "DNASAAPL") for overseas quotes.
  std::string key;
  /// The record, one alternative per line of messages/event_list.hpp:
  /// kis::trade, kis::order_book, kis::exec_notice, kis::program_trade,
  /// kis::expected_trade, kis::market_status, kis::overseas_trade,
  /// kis::overseas_book, kis::overseas_notice, ..., and kis::generic_record
  /// (every TR without a typed record: its fields by name with
  /// kis::for_each_field and kis::find_layout(tr_id)).
  client_event_data data;
};

/// One slot outcome of this client's keys, as on_slot() sees it.
struct client_slot_event {
  /// Configured session index; 4294967295 for a starved key (no session).
  std::uint32_t session = 0;
  std::string tr_id;
  std::string key;
  std::uint8_t priority = 255; ///< the slot's priority (255: unknown)
  /// granted, active, rejected, evicted, starved or stale.
  std::string state;
  std::string msg_cd; ///< rejected: KIS's code, e.g. "OPSP8992"
  std::string reason; ///< evicted: preempted, released, ...; else a text
};

struct client_options {
  /// A gateway configuration file (docs/configuration.md); empty: none.
  std::string config_file;
  /// `section.key=value` overrides, as `kisrt --set`.
  std::vector<std::string> overrides;
  /// Start the KIS simulator in-process and use it (as `kisrt --sim`).
  bool sim = false;
  /// Priority level of this client's subscriptions (1 = as important as
  /// holdings, 2 = picks, 3 = scanner; up to 255).
  std::uint8_t priority = 2;
  /// Events waiting for run() beyond this are dropped (counted), except
  /// execution notices, which are never dropped.
  std::size_t max_pending = 100000;
};

class client {
public:
  using callback = std::function<void(const client_event&)>;
  /// Names one subscribe() call, for unsubscribe().
  using subscription = std::uint64_t;

  /// Starts the gateway. Throws std::runtime_error listing every
  /// configuration problem (naming the key), or why the start failed.
  explicit client(client_options opts);

  /// close(), then waits for the actors to finish.
  ~client();

  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Asks for `tr_id` of each symbol and calls `cb` on run()'s thread for
  /// every event of them. Any thread, also from inside a callback. Throws
  /// std::invalid_argument naming the TR and the key (and asks for
  /// nothing) when `tr_id` has no layout or a symbol is not of its TR's
  /// form (net/kis/key_form.hpp).
  subscription subscribe(const std::string& tr_id,
                         const std::vector<std::string>& symbols, callback cb);

  using slot_callback = std::function<void(const client_slot_event&)>;

  /// Calls `cb` on run()'s thread for every slot outcome of the keys this
  /// client asked for: a key KIS refuses arrives as state "rejected" with
  /// its msg_cd. Replaces an earlier callback; an empty one stops them.
  /// Call it before subscribe() to miss nothing. Any thread.
  void on_slot(slot_callback cb);

  /// Removes one subscription; a key nobody else wants gives up its slot.
  void unsubscribe(subscription id);

  /// Removes every subscription of these keys.
  void unsubscribe(const std::string& tr_id,
                   const std::vector<std::string>& symbols);

  /// Calls the callbacks, one at a time, until close(). An exception from a
  /// callback leaves run() (call it again to go on).
  void run();

  /// Stops run() and the gateway (close frames on the sockets). Any thread,
  /// also from inside a callback; idempotent.
  void close();

  /// Events dropped because run() fell behind (see max_pending; slot
  /// events beyond it too).
  std::uint64_t dropped() const;

  /// The admin API's port (0 when `admin.listen=off`).
  std::uint16_t admin_port() const;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace kisrt
