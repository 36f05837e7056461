// SPDX-License-Identifier: Apache-2.0
// The one CAF type-ID block of kisrt: every message type, so each can cross
// to a remote node. Register with
// `cfg.add_message_types<caf::id_block::kisrt>()`; an application with more
// types chains its block after `caf::id_block::kisrt::end`.
#pragma once

#include <caf/type_id.hpp>

#include "messages/actors.hpp"

// The list of market events adds its records' and events' IDs.
#define KISRT_ADD_RECORD_TYPE_ID(event, record, key, critical, json, trs)      \
  CAF_ADD_TYPE_ID(kisrt, (kisrt::record))
#define KISRT_ADD_EVENT_TYPE_ID(event, record, key, critical, json, trs)       \
  CAF_ADD_TYPE_ID(kisrt, (kisrt::event))

// No includes inside the block: __COUNTER__ numbers its entries.
CAF_BEGIN_TYPE_ID_BLOCK(kisrt, caf::first_custom_type_id)

// -- slot vocabulary
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_key))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_state))
CAF_ADD_TYPE_ID(kisrt, (kisrt::owner_kind))
CAF_ADD_TYPE_ID(kisrt, (kisrt::owner_ref))
CAF_ADD_TYPE_ID(kisrt, (kisrt::wire_op))
CAF_ADD_TYPE_ID(kisrt, (kisrt::evict_reason))

// -- demand
CAF_ADD_TYPE_ID(kisrt, (kisrt::holding_set))
CAF_ADD_TYPE_ID(kisrt, (kisrt::position_update))
CAF_ADD_TYPE_ID(kisrt, (kisrt::pick_list))
CAF_ADD_TYPE_ID(kisrt, (kisrt::scan_candidate))
CAF_ADD_TYPE_ID(kisrt, (kisrt::scan_candidates))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_request))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_release))

// -- wire side
CAF_ADD_TYPE_ID(kisrt, (kisrt::wire_command))
CAF_ADD_TYPE_ID(kisrt, (kisrt::session_up))
CAF_ADD_TYPE_ID(kisrt, (kisrt::session_down))
CAF_ADD_TYPE_ID(kisrt, (kisrt::sub_ack))
CAF_ADD_TYPE_ID(kisrt, (kisrt::data_seen))
CAF_ADD_TYPE_ID(kisrt, (kisrt::data_seen_batch))

// -- slot events and snapshot
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_granted))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_active))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_evicted))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_rejected))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slots_starved))
CAF_ADD_TYPE_ID(kisrt, (kisrt::session_replayed))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_stale))
CAF_ADD_TYPE_ID(kisrt, (kisrt::session_info))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_info))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_snapshot))

// -- codec records and market events
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::fixed4))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::hms))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::book_level))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::overseas_level))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::side))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::trade_class))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::notice_kind))
// The list's records, then its events (messages/event_list.hpp): one
// __COUNTER__ per CAF_ADD_TYPE_ID, also inside a macro's expansion.
KISRT_MARKET_EVENTS(KISRT_ADD_RECORD_TYPE_ID)
KISRT_MARKET_EVENTS(KISRT_ADD_EVENT_TYPE_ID)

// -- actor handles
CAF_ADD_TYPE_ID(kisrt, (kisrt::connection_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_observer_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_arbiter_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::market_listener_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::decoder_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::hub_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::connection_full_actor))

// -- demand sources: holdings, picks, rankings
CAF_ADD_TYPE_ID(kisrt, (kisrt::holding_qty))
CAF_ADD_TYPE_ID(kisrt, (kisrt::balance_snapshot))
CAF_ADD_TYPE_ID(kisrt, (kisrt::pick_entry))
CAF_ADD_TYPE_ID(kisrt, (kisrt::pick_set))
CAF_ADD_TYPE_ID(kisrt, (kisrt::ranking_entry))
CAF_ADD_TYPE_ID(kisrt, (kisrt::ranking_snapshot))
CAF_ADD_TYPE_ID(kisrt, (kisrt::portfolio_sync_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::picks_loader_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::scanner_actor))
// -- remote nodes (tests/messages round-trips a sample of each type)
CAF_ADD_TYPE_ID(kisrt, (kisrt::node_hello))
CAF_ADD_TYPE_ID(kisrt, (kisrt::node_policy))
CAF_ADD_TYPE_ID(kisrt, (kisrt::node_slot_request))
CAF_ADD_TYPE_ID(kisrt, (kisrt::node_slot_release))
CAF_ADD_TYPE_ID(kisrt, (kisrt::node_gate_actor))
// -- portfolio_sync status (/healthz)
CAF_ADD_TYPE_ID(kisrt, (kisrt::portfolio_status))
// -- the notice journal (docs/nodes.md)
CAF_ADD_TYPE_ID(kisrt, (kisrt::notice_cursor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::journaled_notice))
CAF_ADD_TYPE_ID(kisrt, (kisrt::journaled_overseas_notice))
CAF_ADD_TYPE_ID(kisrt, (kisrt::notice_listener_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::notice_journal_actor))
// -- answer deadlines (connection -> arbiter)
CAF_ADD_TYPE_ID(kisrt, (kisrt::answer_timeout))
// -- slot events for people (log, facade, nodes, live table)
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_outcome_state))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_outcome))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_outcome_listener_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_feed_actor))
// -- the decoder's notice listeners (portfolio_sync, the notice journal)
CAF_ADD_TYPE_ID(kisrt, (kisrt::notice_sink_actor))
// -- statistics answers (messages/stats.hpp)
CAF_ADD_TYPE_ID(kisrt, (kisrt::labelled_count))
CAF_ADD_TYPE_ID(kisrt, (kisrt::decoder_counters))
CAF_ADD_TYPE_ID(kisrt, (kisrt::hub_counters))
CAF_ADD_TYPE_ID(kisrt, (kisrt::connection_counters))
CAF_ADD_TYPE_ID(kisrt, (kisrt::gate_counters))
CAF_ADD_TYPE_ID(kisrt, (kisrt::slot_event_note))
CAF_ADD_TYPE_ID(kisrt, (kisrt::key_activity))
CAF_ADD_TYPE_ID(kisrt, (kisrt::watch_report))
// -- the approval fetcher's answer to its connection
CAF_ADD_TYPE_ID(kisrt, (kisrt::approval_result))
// -- price snapshots (actors/snapshot_fetcher.hpp)
CAF_ADD_TYPE_ID(kisrt, (kisrt::price_answer))
CAF_ADD_TYPE_ID(kisrt, (kisrt::snapshot_fetcher_actor))
// -- parts of the typed records of NXT/combined books and derivative books
// (the records themselves get their IDs from the list of event types)
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::book_mid))
CAF_ADD_TYPE_ID(kisrt, (kisrt::kis::derivative_level))
// -- the trading calendar (messages/calendar.hpp)
CAF_ADD_TYPE_ID(kisrt, (kisrt::calendar_day))
CAF_ADD_TYPE_ID(kisrt, (kisrt::calendar_update))
CAF_ADD_TYPE_ID(kisrt, (kisrt::calendar_status))
CAF_ADD_TYPE_ID(kisrt, (kisrt::calendar_listener_actor))
CAF_ADD_TYPE_ID(kisrt, (kisrt::calendar_actor))
// -- batched delivery to remote nodes
CAF_ADD_TYPE_ID(kisrt, (kisrt::event_batch))
CAF_ADD_TYPE_ID(kisrt, (kisrt::remote_listener_actor))

CAF_END_TYPE_ID_BLOCK(kisrt)
