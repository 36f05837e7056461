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

namespace kisrt {

void append_event_json(std::string& out, const trade_event& ev);
void append_event_json(std::string& out, const book_event& ev);
void append_event_json(std::string& out, const notice_event& ev);
void append_event_json(std::string& out, const program_event& ev);
void append_event_json(std::string& out, const expected_event& ev);
void append_event_json(std::string& out, const status_event& ev);
void append_event_json(std::string& out, const overseas_trade_event& ev);
void append_event_json(std::string& out, const overseas_book_event& ev);
void append_event_json(std::string& out, const overseas_notice_event& ev);
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

/// The "event" value of an event's JSON object ("trade", "book", ...).
const char* event_json_name(const trade_event&);
const char* event_json_name(const book_event&);
const char* event_json_name(const notice_event&);
const char* event_json_name(const program_event&);
const char* event_json_name(const expected_event&);
const char* event_json_name(const status_event&);
const char* event_json_name(const overseas_trade_event&);
const char* event_json_name(const overseas_book_event&);
const char* event_json_name(const overseas_notice_event&);

} // namespace kisrt
