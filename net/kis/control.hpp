// SPDX-License-Identifier: Apache-2.0
// JSON control messages from the server: acks, PINGPONG, session errors
// (protocol.md section 4 and 5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/kis/error.hpp"

namespace kisrt::kis {

/// What a msg_cd means for whoever owns the slot (protocol.md table).
enum class ack_outcome : std::uint8_t {
  subscribed,         ///< OPSP0000: slot active
  unsubscribed,       ///< OPSP0001: slot free
  already_subscribed, ///< OPSP0002: slot active (counts as success)
  not_subscribed,     ///< OPSP0003: unsubscribe of an unknown registration
  retry,              ///< OPSP0007, OPSP0009: try again later
  cap_reached,        ///< OPSP0008: server cap reached; learn the cap
  invalid_appkey,     ///< OPSP0010: credentials problem
  invalid_approval,   ///< OPSP0011: approval key unknown/expired; re-issue
  invalid_tr_id,      ///< OPSP8991: permanent for that request
  invalid_tr_key,     ///< OPSP8992, OPSP8993: permanent for that request
  client_error,       ///< OPSP8994/5/7/8, OPSP9990..9999: our bug
  app_key_in_use,     ///< OPSP8996: another session holds the app key
  server_busy,        ///< OPSP8999: resource not available; retry
  unknown_code,       ///< anything else: treated as permanent
};

/// Stable name, e.g. "cap_reached".
std::string_view to_string(ack_outcome x) noexcept;

/// Maps a msg_cd such as "OPSP0008" to its outcome.
ack_outcome classify_msg_cd(std::string_view msg_cd) noexcept;

/// True for outcomes that mean the registration is on the server.
constexpr bool is_active(ack_outcome x) noexcept {
  return x == ack_outcome::subscribed || x == ack_outcome::already_subscribed;
}

/// True for outcomes worth retrying the same request later.
constexpr bool is_retryable(ack_outcome x) noexcept {
  return x == ack_outcome::retry || x == ack_outcome::server_busy;
}

/// The canonical msg1 and rt_cd KIS sends with `msg_cd` (for the
/// simulator); empty views for unknown codes.
std::string_view msg1_for(std::string_view msg_cd) noexcept;
std::string_view rt_cd_for(std::string_view msg_cd) noexcept;

enum class control_kind : std::uint8_t {
  ack,           ///< answer to a subscribe/unsubscribe
  pingpong,      ///< keep-alive: echo the exact text back as a text frame
  session_error, ///< tr_id "(null)", e.g. OPSP8996
};

/// A parsed control message. Strings are copies: control messages are rare.
struct control_message {
  control_kind kind = control_kind::ack;
  std::string tr_id;
  std::string tr_key;
  bool encrypted = false;
  std::string rt_cd;
  std::string msg_cd;
  std::string msg1;
  /// AES key and iv (raw ASCII) from SUBSCRIBE SUCCESS of encrypted TRs.
  std::string key;
  std::string iv;
  /// PINGPONG datetime.
  std::string datetime;
  ack_outcome outcome = ack_outcome::unknown_code;
};

/// Maximum nesting depth accepted in control JSON; deeper input is an
/// error, never a stack overflow.
constexpr std::size_t max_control_depth = 8;

/// Parses a control message. Unknown extra members are ignored.
codec_error parse_control(std::string_view json, control_message& out);

/// The text a client sends back for a PINGPONG: the message itself.
inline std::string_view pingpong_echo(std::string_view msg) noexcept {
  return msg;
}

} // namespace kisrt::kis
