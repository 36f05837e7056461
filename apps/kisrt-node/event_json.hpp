// SPDX-License-Identifier: Apache-2.0
// One JSON object per market event, for kisrt-node's output lines:
//   {"event":"trade","session":0,"tr_id":"H0STCNT0","key":"005930",
//    "data":{"symbol":"005930","time":"09:01:02",...}}
// Field names and order follow the record's inspect() (messages/
// market_events.hpp); fixed4 values print as decimals, times as HH:MM:SS.
#pragma once

#include <string>

#include "messages/market_events.hpp"
#include "messages/notices.hpp"
#include "messages/slot_outcome.hpp"

namespace kisrt::node {

/// One overload per line of messages/event_list.hpp: the "event" is the
/// list's JSON name. A generic record (`fields_event`) writes its fields by
/// name in layout order, values as JSON strings; fields beyond the layout
/// are named EXTRA1, EXTRA2, ...:
///   {"event":"fields","session":0,"tr_id":"H0UPCNT0","key":"0001",
///    "data":{"BSTP_CLS_CODE":"0001","BSOP_HOUR":"090102",...}}
#define KISRT_EVENT_JSON_DECL(event, record, key, critical, json, trs)         \
  void append_event_json(std::string& out, const event& ev);
KISRT_MARKET_EVENTS(KISRT_EVENT_JSON_DECL)
#undef KISRT_EVENT_JSON_DECL

/// A notice from the gateway's journal: the notice's line with "seq" (its
/// sequence number) after "event".
void append_event_json(std::string& out, const journaled_notice& ev);
void append_event_json(std::string& out, const journaled_overseas_notice& ev);
/// A slot outcome (docs/nodes.md, "Slot events"):
///   {"event":"slot","session":0,"tr_id":"H0STCNT0","key":"999999",
///    "priority":3,"state":"rejected","msg_cd":"OPSP8992","reason":"..."}
/// with "session":null for a starved key and empty tr_id and key for
/// "replayed".
void append_event_json(std::string& out, const slot_outcome& ev);

} // namespace kisrt::node
