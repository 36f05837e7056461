// SPDX-License-Identifier: Apache-2.0
// Frames to typed events, as a plain class: AES keys per (session, tr_id)
// learned from acks, one reusable frame_decoder per session. The decoder
// actor wraps it; tests call it directly.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "messages/market_events.hpp"
#include "messages/session_messages.hpp"
#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/records.hpp"

namespace kisrt {

/// One value per line of the list of market events (messages/
/// event_list.hpp), and `none`.
enum class market_event_kind : std::uint8_t {
#define KISRT_EVENT_KIND(event, record, key, critical, json, trs) event,
  KISRT_MARKET_EVENTS(KISRT_EVENT_KIND)
#undef KISRT_EVENT_KIND
      none
};

/// The event a TR's records become, by its layout: one table lookup per
/// frame, built once from the list. The TRs the list names get their typed
/// event; every other TR with a layout `fields_event`; no layout (nullptr):
/// none.
market_event_kind event_kind_of(const kis::tr_layout* layout) noexcept;

/// The kind of `tr_id` (find_layout, then event_kind_of).
market_event_kind event_kind_of(std::string_view tr_id) noexcept;

/// The name of a kind's event type, e.g. "trade_event" ("none" for none).
std::string_view to_string(market_event_kind kind) noexcept;

struct decoder_stats {
  std::uint64_t frames = 0;
  std::uint64_t records = 0;
  std::uint64_t acks = 0;
  std::uint64_t bad_frames = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t session_errors = 0;
  std::uint64_t stale = 0; ///< frames of an epoch already replaced
};

class decoder_core {
public:
  /// Decodes one message of `session` (connection epoch `epoch`) and hands
  /// results to `sink`, which provides:
  ///   void operator()(sub_ack&&);            // acks, for the arbiter
  ///   void operator()(X&&);                  // X = every *_event type
  ///   void bad(session_id, const kis::codec_error&, std::string_view msg);
  ///   void session_error(session_id, const kis::control_message&);
  /// A bad frame or record is counted and reported, never fatal.
  template <class Sink>
  void decode(session_id session, epoch_t epoch, std::string_view msg,
              Sink& sink);

  const decoder_stats& stats() const noexcept { return stats_; }

  /// True when `session` has a key for `tr_id` (tests, metrics).
  bool has_key(session_id session, std::string_view tr_id) const;

private:
  struct per_session {
    epoch_t epoch = 0;
    kis::frame_decoder frames;
  };

  /// The state of `session`, reset when `epoch` is newer; nullptr when
  /// `epoch` is older than the one already seen.
  per_session* session_state(session_id session, epoch_t epoch);

  template <class Sink>
  void control(session_id session, epoch_t epoch, std::string_view msg,
               per_session& st, Sink& sink);

  template <class Event, class Sink, class... Ts>
  void typed(session_id session, const kis::record_batch& batch,
             std::string_view tr_id, std::string_view msg, Sink& sink,
             Ts... xs);

  std::map<session_id, per_session> sessions_;
  decoder_stats stats_;
};

// -- implementation --

template <class Sink>
void decoder_core::decode(session_id session, epoch_t epoch,
                          std::string_view msg, Sink& sink) {
  auto* stp = session_state(session, epoch);
  if (stp == nullptr) {
    ++stats_.stale;
    return;
  }
  auto& st = *stp;
  switch (kis::classify(msg)) {
    case kis::message_kind::control:
      control(session, epoch, msg, st, sink);
      return;
    case kis::message_kind::invalid:
      ++stats_.bad_frames;
      sink.bad(session,
               kis::make_error(kis::errc::unknown_kind, {},
                               "neither a data frame nor JSON"),
               msg);
      return;
    case kis::message_kind::data: break;
  }
  if (auto err = st.frames.decode(msg)) {
    ++stats_.bad_frames;
    sink.bad(session, err, msg);
    return;
  }
  ++stats_.frames;
  const auto& batch = st.frames.records();
  auto tr = st.frames.header().tr_id;
  // TRs without a layout decode generically (kisrt decode) but have no
  // event: counted as frames, nothing more.
  switch (event_kind_of(st.frames.layout())) {
#define KISRT_DISPATCH_EVENT(event, record, key, critical, json, trs)          \
  case market_event_kind::event:                                               \
    typed<event>(session, batch, tr, msg, sink);                               \
    return;
    KISRT_MARKET_EVENTS(KISRT_DISPATCH_EVENT)
#undef KISRT_DISPATCH_EVENT
    case market_event_kind::none: return;
  }
}

template <class Sink>
void decoder_core::control(session_id session, epoch_t epoch,
                           std::string_view msg, per_session& st, Sink& sink) {
  kis::control_message m;
  if (auto err = kis::parse_control(msg, m)) {
    ++stats_.bad_frames;
    sink.bad(session, err, msg);
    return;
  }
  switch (m.kind) {
    case kis::control_kind::pingpong: return; // the connection echoes it
    case kis::control_kind::session_error:
      ++stats_.session_errors;
      sink.session_error(session, m);
      return;
    case kis::control_kind::ack: break;
  }
  ++stats_.acks;
  // Every SUBSCRIBE SUCCESS brings a fresh key for its tr_id.
  if (kis::is_active(m.outcome) && !m.key.empty() && !m.iv.empty())
    if (auto err = st.frames.set_key(m.tr_id, m.key, m.iv))
      sink.bad(session, err, {});
  sink(sub_ack{session, epoch, slot_key{m.tr_id, m.tr_key}, m.msg_cd});
}

template <class Event, class Sink, class... Ts>
void decoder_core::typed(session_id session, const kis::record_batch& batch,
                         std::string_view tr_id, std::string_view msg,
                         Sink& sink, Ts... xs) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Event ev;
    ev.session = session;
    ev.tr_id.assign(tr_id.data(), tr_id.size());
    if (auto err = kis::decode(batch[i], ev.data, xs...)) {
      ++stats_.bad_records;
      err.record = static_cast<int>(i);
      sink.bad(session, err, msg);
      continue;
    }
    ++stats_.records;
    sink(std::move(ev));
  }
}

} // namespace kisrt
