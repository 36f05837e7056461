// SPDX-License-Identifier: Apache-2.0
// The decoder actor: raw WebSocket messages in, typed events out (to the
// hub), acks to the arbiter, execution notices also to portfolio sync.
#pragma once

#include <optional>
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

  static inline const char* name = "decoder";
};

decoder_actor::behavior_type
decoder(decoder_actor::stateful_pointer<decoder_state> self,
        std::optional<slot_arbiter_actor> arbiter,
        std::optional<market_listener_actor> hub);

/// A printable sample of a bad message for logs: at most 120 bytes,
/// control and non-ASCII bytes shown as '?'.
std::string log_sample(std::string_view msg);

} // namespace kisrt
