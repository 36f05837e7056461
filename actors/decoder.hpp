// SPDX-License-Identifier: Apache-2.0
// The decoder actor: raw WebSocket messages in, typed events out (to the
// hub), acks to the arbiter, execution notices also to portfolio sync.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/decoder_core.hpp"
#include "messages/actors.hpp"

namespace kisrt {

struct decoder_state {
  decoder_core core;
  std::optional<slot_arbiter_actor> arbiter;
  std::optional<market_listener_actor> hub;
  std::vector<notice_sink_actor> notice_sinks;
  /// Bad messages logged so far (later ones are counted, sampled rarely).
  std::uint64_t logged = 0;
  /// For (get, stats): events by tr_id, bad messages by kis::errc name,
  /// messages per session, execution notices.
  std::map<std::string, std::uint64_t> records_by_tr_id;
  std::map<std::string, std::uint64_t> errors_by_kind;
  std::vector<std::uint64_t> frames_by_session;
  std::uint64_t notices = 0;

  static inline const char* name = "decoder";
};

decoder_actor::behavior_type
decoder(decoder_actor::stateful_pointer<decoder_state> self,
        std::optional<slot_arbiter_actor> arbiter,
        std::optional<market_listener_actor> hub);

/// A printable sample of a bad message for logs: at most 120 bytes,
/// control and non-ASCII bytes shown as '?'.
std::string log_sample(std::string_view msg);

/// What the decoder counted, as the answer to (get, stats).
decoder_counters counters_of(const decoder_state& st);

} // namespace kisrt
