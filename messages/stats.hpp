// SPDX-License-Identifier: Apache-2.0
// Statistics answers: what the decoder, hub, connections and node gate
// have counted, for the live table, /metrics and the dashboard. Every
// count only grows while its actor lives (Prometheus counters), except
// the gauges named as such.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

/// One labelled count, e.g. ("H0STCNT0", 1234) or ("short_record", 2).
struct labelled_count {
  std::string label;
  std::uint64_t value = 0;
  friend bool operator==(const labelled_count& a, const labelled_count& b) {
    return a.label == b.label && a.value == b.value;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, labelled_count& x) {
  return f(caf::meta::type_name("labelled_count"), x.label, x.value);
}

/// The decoder's answer to (get, stats).
struct decoder_counters {
  std::uint64_t frames = 0;  ///< messages decoded, every session
  std::uint64_t records = 0; ///< data records turned into events
  std::uint64_t acks = 0;    ///< subscribe/unsubscribe answers
  std::uint64_t bad_frames = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t session_errors = 0; ///< control messages reporting an error
  std::uint64_t stale = 0;          ///< frames of an epoch already replaced
  std::uint64_t notices = 0;        ///< execution notices (domestic, overseas)
  /// Events by tr_id, sorted by tr_id (bounded: the decoder's known TRs).
  std::vector<labelled_count> records_by_tr_id;
  /// Bad frames and records by codec error (kis::errc name), sorted.
  std::vector<labelled_count> errors_by_kind;
  /// Messages received per session, indexed by session id.
  std::vector<std::uint64_t> frames_by_session;
  friend bool operator==(const decoder_counters& a, const decoder_counters& b) {
    return a.frames == b.frames && a.records == b.records && a.acks == b.acks
           && a.bad_frames == b.bad_frames && a.bad_records == b.bad_records
           && a.session_errors == b.session_errors && a.stale == b.stale
           && a.notices == b.notices && a.records_by_tr_id == b.records_by_tr_id
           && a.errors_by_kind == b.errors_by_kind
           && a.frames_by_session == b.frames_by_session;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decoder_counters& x) {
  return f(caf::meta::type_name("decoder_counters"), x.frames, x.records,
           x.acks, x.bad_frames, x.bad_records, x.session_errors, x.stale,
           x.notices, x.records_by_tr_id, x.errors_by_kind,
           x.frames_by_session);
}

/// The hub's answer to (get, stats): events to subscribers, over the hub's
/// life (subscribers that left included).
struct hub_counters {
  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0;     ///< lost for a slow subscriber
  std::uint64_t conflated = 0;   ///< replaced by a newer quote while queued
  std::uint32_t subscribers = 0; ///< gauge: subscribers now
  friend bool operator==(const hub_counters& a, const hub_counters& b) {
    return a.delivered == b.delivered && a.dropped == b.dropped
           && a.conflated == b.conflated && a.subscribers == b.subscribers;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hub_counters& x) {
  return f(caf::meta::type_name("hub_counters"), x.delivered, x.dropped,
           x.conflated, x.subscribers);
}

/// A connection's answer to (get, stats).
struct connection_counters {
  session_id session = 0;
  std::uint64_t connects = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t pingpongs = 0;
  std::uint64_t sent = 0; ///< subscribe/unsubscribe frames sent
  std::uint64_t dropped_commands = 0;
  std::uint64_t watchdog_fired = 0;
  std::uint64_t answer_timeouts = 0;
  std::uint64_t approvals = 0;         ///< approval key requests answered
  std::uint64_t approval_failures = 0; ///< approval key requests failed
  friend bool operator==(const connection_counters& a,
                         const connection_counters& b) {
    return a.session == b.session && a.connects == b.connects
           && a.reconnects == b.reconnects && a.pingpongs == b.pingpongs
           && a.sent == b.sent && a.dropped_commands == b.dropped_commands
           && a.watchdog_fired == b.watchdog_fired
           && a.answer_timeouts == b.answer_timeouts
           && a.approvals == b.approvals
           && a.approval_failures == b.approval_failures;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, connection_counters& x) {
  return f(caf::meta::type_name("connection_counters"), x.session, x.connects,
           x.reconnects, x.pingpongs, x.sent, x.dropped_commands,
           x.watchdog_fired, x.answer_timeouts, x.approvals,
           x.approval_failures);
}

/// The node gate's answer to (get, stats) (asked from this process only).
struct gate_counters {
  std::uint32_t nodes = 0;      ///< gauge: nodes connected now
  std::uint32_t slots_held = 0; ///< gauge: slot requests nodes hold
  friend bool operator==(const gate_counters& a, const gate_counters& b) {
    return a.nodes == b.nodes && a.slots_held == b.slots_held;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_counters& x) {
  return f(caf::meta::type_name("gate_counters"), x.nodes, x.slots_held);
}

/// One slot event as the admin server shows it (dashboard).
struct slot_event_note {
  mono_time at{0};   ///< when the observer saw it (actor clock)
  std::string state; ///< granted, active, rejected, evicted, starved, ...
  session_id session = no_session;
  slot_key key;
  std::string msg_cd; ///< rejected: KIS's code
  std::string reason; ///< evicted: evict_reason; stale: silence
  friend bool operator==(const slot_event_note& a, const slot_event_note& b) {
    return a.at == b.at && a.state == b.state && a.session == b.session
           && a.key == b.key && a.msg_cd == b.msg_cd && a.reason == b.reason;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_event_note& x) {
  return f(caf::meta::type_name("slot_event_note"), x.at, x.state, x.session,
           x.key, x.msg_cd, x.reason);
}

/// Market data of one key as the admin server shows it.
struct key_activity {
  slot_key key;
  std::uint64_t ticks = 0; ///< events seen
  bool has_price = false;
  std::int64_t last_price = 0;
  mono_time last{0}; ///< when the latest event arrived (actor clock)
  std::string name;  ///< display name when an execution notice gave one
  friend bool operator==(const key_activity& a, const key_activity& b) {
    return a.key == b.key && a.ticks == b.ticks && a.has_price == b.has_price
           && a.last_price == b.last_price && a.last == b.last
           && a.name == b.name;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, key_activity& x) {
  return f(caf::meta::type_name("key_activity"), x.key, x.ticks, x.has_price,
           x.last_price, x.last, x.name);
}

/// The admin watch's answer to (get, stats): slot events counted since
/// start, the latest ones (oldest first) and market data per key.
struct watch_report {
  std::uint64_t events = 0;
  std::vector<labelled_count> rejections_by_msg_cd; ///< sorted by msg_cd
  std::vector<labelled_count> evictions_by_reason;  ///< sorted by reason
  std::vector<slot_event_note> recent;
  std::vector<key_activity> keys; ///< sorted by key
  friend bool operator==(const watch_report& a, const watch_report& b) {
    return a.events == b.events
           && a.rejections_by_msg_cd == b.rejections_by_msg_cd
           && a.evictions_by_reason == b.evictions_by_reason
           && a.recent == b.recent && a.keys == b.keys;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, watch_report& x) {
  return f(caf::meta::type_name("watch_report"), x.events,
           x.rejections_by_msg_cd, x.evictions_by_reason, x.recent, x.keys);
}

} // namespace kisrt
