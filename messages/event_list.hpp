// SPDX-License-Identifier: Apache-2.0
// The one list of market-event types. Everything that names every event
// follows from it: the event structs and key_of (messages/market_events.hpp),
// their type IDs (messages/type_ids.hpp), the listener interface
// (messages/actors.hpp), the decoder's dispatch by tr_id, the hub's and the
// node proxy's handlers, the callback facade's variant and kisrt-node's JSON.
//
// Adding a typed TR: its record and decode() in net/kis, the record's
// inspect() (messages/market_events.hpp) and its JSON field names
// (actors/event_json.cpp), and one line here:
//
//   X(event, record, key member, critical, "json name", "TR ids")
//
// - event: the wrapper type defined in namespace kisrt;
// - record: the codec's record (namespace kisrt), filled by
//   `kis::decode(const record_view&, record&)`;
// - key member: the record's member holding the key the event is subscribed
//   and counted under (the symbol, the HTS ID of notices, the RSYM);
// - critical: never dropped or conflated (execution notices); the
//   decoder also sends these to its notice sinks;
// - json name: the "event" value of its JSON line (kisrt-node);
// - TR ids: the TRs decoded into this record, separated by spaces; each
//   needs a layout (tests/actors checks). Every other TR with a layout
//   arrives as the generic `fields_event`, the decoder's fallback. A line
//   with no TR ids is never made from frames by the decoder.
//
// A record type appears in one line only (TRs that share a record share
// the line): it is one alternative of the facade's variant and has one
// type ID.
//
// No includes and no CAF: the facade's public header expands it too. The
// type IDs follow the order of this list (a new line shifts later IDs; all
// nodes of a deployment run the same build).
#pragma once

// clang-format off
#define KISRT_MARKET_EVENTS(X)                                                             \
  X(trade_event, kis::trade, symbol, false, "trade", "H0STCNT0 H0UNCNT0 H0NXCNT0")         \
  X(book_event, kis::order_book, symbol, false, "book", "H0STASP0 H0NXASP0 H0UNASP0")      \
  X(notice_event, kis::exec_notice, customer_id, true, "notice", "H0STCNI0 H0STCNI9")      \
  X(program_event, kis::program_trade, symbol, false, "program", "H0STPGM0")               \
  X(expected_event, kis::expected_trade, symbol, false, "expected", "H0STANC0")            \
  X(status_event, kis::market_status, symbol, false, "status", "H0STMKO0")                 \
  X(overseas_trade_event, kis::overseas_trade, rsym, false, "overseas_trade", "HDFSCNT0")  \
  X(overseas_book_event, kis::overseas_book, rsym, false, "overseas_book",                 \
    "HDFSASP0 HDFSASP1")                                                                   \
  X(overseas_notice_event, kis::overseas_notice, customer_id, true, "overseas_notice",     \
    "H0GSCNI0 H0GSCNI9")                                                                   \
  X(fields_event, kis::generic_record, key, false, "fields", "")                           \
  X(index_event, kis::index_trade, code, false, "index", "H0UPCNT0")                       \
  X(futures_trade_event, kis::futures_trade, symbol, false, "futures_trade", "H0IFCNT0")   \
  X(option_trade_event, kis::option_trade, symbol, false, "option_trade", "H0IOCNT0")      \
  X(derivative_book_event, kis::derivative_book, symbol, false, "derivative_book",         \
    "H0IFASP0 H0IOASP0")                                                                   \
  X(nav_event, kis::etf_nav, symbol, false, "etf_nav", "H0STNAV0")                         \
  X(snapshot_event, kis::price_snapshot, symbol, false, "snapshot", "")
// clang-format on

namespace kisrt::detail {

/// `type_list_tail<void, A, B>::apply<std::variant>` is `std::variant<A, B>`:
/// expanding the list as `void, A, B` avoids a trailing comma.
template <class Void, class... Ts>
struct type_list_tail {
  template <template <class...> class T>
  using apply = T<Ts...>;
};

} // namespace kisrt::detail

/// Expands to `, record` for one line of the list (for type_list_tail).
#define KISRT_EVENT_RECORD_COMMA(event, record, key, critical, json, trs)      \
  , record
/// Expands to `, event` for one line of the list (for type_list_tail).
#define KISRT_EVENT_TYPE_COMMA(event, record, key, critical, json, trs) , event
