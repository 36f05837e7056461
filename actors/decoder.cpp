// SPDX-License-Identifier: Apache-2.0
#include "actors/decoder.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

namespace kisrt {

namespace {

using self_ptr = decoder_actor::stateful_pointer<decoder_state>;

// Routes decoder_core's results; lives for one message.
struct sink {
  self_ptr self;

  void operator()(sub_ack&& x) {
    if (self->state.arbiter)
      self->send(*self->state.arbiter, std::move(x));
  }

  template <class Event>
  void operator()(Event&& x) {
    count(x.tr_id);
    if constexpr (is_critical_event<std::decay_t<Event>>) {
      ++self->state.notices;
      for (auto& s : self->state.notice_sinks)
        self->send(s, x);
    }
    if (self->state.hub)
      self->send(*self->state.hub, std::forward<Event>(x));
  }

  // Decoded events come only from TRs with a layout: the map stays
  // small.
  void count(const std::string& tr_id) {
    ++self->state.records_by_tr_id[tr_id];
  }

  void bad(session_id session, const kis::codec_error& err,
           std::string_view msg) {
    ++self->state.errors_by_kind[std::string{kis::to_string(err.code)}];
    // The first few in full, then one in a thousand: a broken feed must
    // not flood the log.
    auto n = ++self->state.logged;
    if (n <= 20 || n % 1000 == 0)
      spdlog::warn("decoder: session {}: bad message #{}: {} | sample: {}",
                   session, n, err.to_string(), log_sample(msg));
  }

  void session_error(session_id session, const kis::control_message& m) {
    spdlog::warn("decoder: session {}: session error {} {}", session, m.msg_cd,
                 m.msg1);
  }
};

} // namespace

std::string log_sample(std::string_view msg) {
  std::string out;
  auto n = std::min<std::size_t>(msg.size(), 120);
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = msg[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (msg.size() > n)
    out += "...";
  return out;
}

decoder_counters counters_of(const decoder_state& st) {
  auto& c = st.core.stats();
  decoder_counters out;
  out.frames = c.frames;
  out.records = c.records;
  out.acks = c.acks;
  out.bad_frames = c.bad_frames;
  out.bad_records = c.bad_records;
  out.session_errors = c.session_errors;
  out.stale = c.stale;
  out.notices = st.notices;
  for (auto& [tr_id, n] : st.records_by_tr_id)
    out.records_by_tr_id.push_back({tr_id, n});
  for (auto& [kind, n] : st.errors_by_kind)
    out.errors_by_kind.push_back({kind, n});
  out.frames_by_session = st.frames_by_session;
  return out;
}

decoder_actor::behavior_type
decoder(decoder_actor::stateful_pointer<decoder_state> self,
        std::optional<slot_arbiter_actor> arbiter,
        std::optional<market_listener_actor> hub) {
  self->state.arbiter = std::move(arbiter);
  self->state.hub = std::move(hub);
  return {
      [self](caf::receive_atom, session_id session, epoch_t epoch,
             const std::string& msg) {
        // Session ids are small indexes (one per app key).
        auto& per = self->state.frames_by_session;
        if (session < 1024) {
          if (per.size() <= session)
            per.resize(session + 1);
          ++per[session];
        }
        sink s{self};
        self->state.core.decode(session, epoch, msg, s);
      },
      [self](caf::subscribe_atom, notice_sink_actor x) {
        self->state.notice_sinks.push_back(std::move(x));
      },
      [self](caf::get_atom, atom::stats) -> decoder_counters {
        return counters_of(self->state);
      },
  };
}

} // namespace kisrt
