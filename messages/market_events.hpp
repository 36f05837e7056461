// SPDX-License-Identifier: Apache-2.0
// Market events the hub fans out: the codec's typed records (net/kis/
// records.hpp, CAF-free) get their inspect() overloads here, and each event
// wrapper says which session and TR it came from.
#pragma once

#include <string>
#include <type_traits>

#include <caf/detail/type_list.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/event_list.hpp"
#include "messages/slot_types.hpp"
#include "net/kis/generic_record.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/price.hpp"
#include "net/kis/records.hpp"
#include "net/kis/records_derivatives.hpp"
#include "net/kis/records_indices.hpp"

namespace kisrt::kis {

// The generic record of every TR without a typed one.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, generic_record& x) {
  return f(caf::meta::type_name("generic_record"), x.key, x.text);
}

// A key's price by REST when it became active (actors/snapshot_fetcher.hpp).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price_snapshot& x) {
  return f(caf::meta::type_name("price_snapshot"), x.symbol, x.time, x.price,
           x.sign, x.change, x.change_rate, x.cum_volume, x.snapshot);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fixed4& x) {
  return f(caf::meta::type_name("fixed4"), x.raw);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hms& x) {
  return f(caf::meta::type_name("hms"), x.h, x.m, x.s);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_level& x) {
  return f(caf::meta::type_name("book_level"), x.price, x.qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overseas_level& x) {
  return f(caf::meta::type_name("overseas_level"), x.bid, x.ask, x.bid_qty,
           x.ask_qty, x.bid_qty_change, x.ask_qty_change);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade& x) {
  return f(caf::meta::type_name("trade"), x.symbol, x.time, x.date, x.price,
           x.sign, x.change, x.change_rate, x.open, x.high, x.low, x.ask1,
           x.bid1, x.volume, x.cum_volume, x.cum_value, x.cls, x.halted);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_book& x) {
  return f(caf::meta::type_name("order_book"), x.symbol, x.time, x.hour_cls,
           x.asks, x.bids, x.total_ask_qty, x.total_bid_qty, x.expected_price,
           x.expected_qty, x.cum_volume, x.krx_mid, x.nxt_mid);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exec_notice& x) {
  return f(caf::meta::type_name("exec_notice"), x.customer_id, x.account,
           x.order_no, x.orig_order_no, x.order_side, x.kind, x.rejected,
           x.accepted, x.symbol, x.fill_qty, x.fill_price, x.order_qty,
           x.order_price, x.time, x.name, x.exchange, x.correction);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, program_trade& x) {
  return f(caf::meta::type_name("program_trade"), x.symbol, x.time, x.sell_qty,
           x.sell_value, x.buy_qty, x.buy_value, x.net_qty, x.net_value,
           x.sell_rsqn, x.buy_rsqn, x.whole_net_qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, expected_trade& x) {
  return f(caf::meta::type_name("expected_trade"), x.symbol, x.time, x.price,
           x.sign, x.change, x.change_rate, x.volume, x.cum_volume);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, market_status& x) {
  return f(caf::meta::type_name("market_status"), x.symbol, x.halted,
           x.suspension_reason, x.op_code, x.expected_op_code, x.treatment_code,
           x.vi_code, x.overtime_vi_code, x.exchange_code);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overseas_trade& x) {
  return f(caf::meta::type_name("overseas_trade"), x.rsym, x.symbol, x.decimals,
           x.local_date, x.local_time, x.kr_date, x.kr_time, x.open, x.high,
           x.low, x.last, x.sign, x.change, x.change_rate, x.bid, x.ask,
           x.bid_qty, x.ask_qty, x.volume, x.cum_volume, x.cum_value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overseas_book& x) {
  return f(caf::meta::type_name("overseas_book"), x.rsym, x.symbol, x.decimals,
           x.local_date, x.local_time, x.kr_date, x.kr_time, x.total_bid_qty,
           x.total_ask_qty, x.total_bid_change, x.total_ask_change,
           x.level_count, x.levels);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, overseas_notice& x) {
  return f(caf::meta::type_name("overseas_notice"), x.customer_id, x.account,
           x.order_no, x.orig_order_no, x.order_side, x.kind, x.rejected,
           x.accepted, x.symbol, x.fill_qty, x.fill_price, x.order_qty, x.time,
           x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_mid& x) {
  return f(caf::meta::type_name("book_mid"), x.price, x.total_qty, x.cls);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, futures_trade& x) {
  return f(caf::meta::type_name("futures_trade"), x.symbol, x.time, x.price,
           x.sign, x.change, x.change_rate, x.open, x.high, x.low, x.volume,
           x.cum_volume, x.cum_value, x.theoretical, x.market_basis,
           x.theoretical_basis, x.disparity, x.open_interest,
           x.open_interest_change, x.ask1, x.bid1, x.ask1_qty, x.bid1_qty,
           x.total_ask_qty, x.total_bid_qty, x.upper_limit, x.lower_limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, option_trade& x) {
  return f(caf::meta::type_name("option_trade"), x.symbol, x.time, x.price,
           x.sign, x.change, x.change_rate, x.open, x.high, x.low, x.volume,
           x.cum_volume, x.cum_value, x.theoretical, x.open_interest,
           x.open_interest_change, x.intrinsic_value, x.time_value, x.delta,
           x.gamma, x.vega, x.theta, x.rho, x.implied_vol, x.ask1, x.bid1,
           x.ask1_qty, x.bid1_qty, x.total_ask_qty, x.total_bid_qty,
           x.upper_limit, x.lower_limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, derivative_level& x) {
  return f(caf::meta::type_name("derivative_level"), x.price, x.qty, x.count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, derivative_book& x) {
  return f(caf::meta::type_name("derivative_book"), x.symbol, x.time, x.asks,
           x.bids, x.total_ask_count, x.total_bid_count, x.total_ask_qty,
           x.total_bid_qty, x.total_ask_qty_change, x.total_bid_qty_change);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, index_trade& x) {
  return f(caf::meta::type_name("index_trade"), x.code, x.time, x.level, x.sign,
           x.change, x.change_rate, x.open, x.high, x.low, x.volume, x.value,
           x.cum_volume, x.cum_value, x.upper_limit_count, x.up_count,
           x.flat_count, x.down_count, x.lower_limit_count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, etf_nav& x) {
  return f(caf::meta::type_name("etf_nav"), x.symbol, x.nav, x.sign, x.change,
           x.change_rate, x.open, x.high, x.low);
}

} // namespace kisrt::kis

namespace kisrt {

// One wrapper per line of the list (messages/event_list.hpp), so
// subscribers match on the C++ type and still know the session and TR
// (H0STCNT0 and H0UNCNT0 share `kis::trade`). key_of(ev) is the key it is
// subscribed and counted under: the symbol for quotes, the HTS ID (customer
// id) for notices, the RSYM for overseas quotes, the layout's key field for
// generic records.
#define KISRT_MARKET_EVENT(event_name, record_type, key_member, critical,      \
                           json, trs)                                          \
  struct event_name {                                                          \
    session_id session = 0;                                                    \
    std::string tr_id;                                                         \
    record_type data;                                                          \
    friend bool operator==(const event_name& a, const event_name& b) {         \
      return a.session == b.session && a.tr_id == b.tr_id && a.data == b.data; \
    }                                                                          \
  };                                                                           \
  template <class Inspector>                                                   \
  typename Inspector::result_type inspect(Inspector& f, event_name& x) {       \
    return f(caf::meta::type_name(#event_name), x.session, x.tr_id, x.data);   \
  }                                                                            \
  inline const std::string& key_of(const event_name& ev) {                     \
    return ev.data.key_member;                                                 \
  }

KISRT_MARKET_EVENTS(KISRT_MARKET_EVENT)

#undef KISRT_MARKET_EVENT

/// Every market event type, in list order.
using market_event_types = detail::type_list_tail<void KISRT_MARKET_EVENTS(
    KISRT_EVENT_TYPE_COMMA)>::apply<caf::detail::type_list>;

/// What the list says about each event type: `record`, `critical` (never
/// dropped or conflated; also sent to the decoder's notice sinks),
/// `json_name` (the "event" of its JSON line) and `tr_ids` (the TRs decoded
/// into it, separated by spaces; none: the generic event of every other TR
/// with a layout).
template <class Event>
struct market_event_traits;

#define KISRT_MARKET_EVENT_TRAITS(event_name, record_type, key_member,         \
                                  is_critical, json, trs)                      \
  template <>                                                                  \
  struct market_event_traits<event_name> {                                     \
    using record = record_type;                                                \
    static constexpr bool critical = is_critical;                              \
    static constexpr const char* json_name = json;                             \
    static constexpr const char* tr_ids = trs;                                 \
  };

KISRT_MARKET_EVENTS(KISRT_MARKET_EVENT_TRAITS)

#undef KISRT_MARKET_EVENT_TRAITS

/// True for the events that are never dropped (execution notices).
template <class Event>
constexpr bool is_critical_event = market_event_traits<Event>::critical;

/// True when this event must never be dropped or conflated: the critical
/// types, and generic records of encrypted TRs (the notices without a typed
/// record, e.g. H0IFCNI0).
template <class Event>
bool is_critical(const Event&) noexcept {
  return is_critical_event<Event>;
}

inline bool is_critical(const fields_event& ev) noexcept {
  auto* layout = kis::find_layout(ev.tr_id);
  return layout != nullptr && layout->encrypted;
}

template <class Event>
struct is_critical_event_t
    : std::bool_constant<market_event_traits<Event>::critical> {};

/// The critical events (execution notices): what the decoder's notice sinks
/// receive.
using critical_event_types =
    caf::detail::tl_filter_t<market_event_types, is_critical_event_t>;

} // namespace kisrt
