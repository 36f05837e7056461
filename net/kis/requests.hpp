// SPDX-License-Identifier: Apache-2.0
// What a client sends (subscribe/unsubscribe frames, REST auth bodies) and,
// for the simulator, how a server reads and answers it.
#pragma once

#include <string>
#include <string_view>

namespace kisrt::kis {

enum class tr_type : char { subscribe = '1', unsubscribe = '2' };

/// The subscribe/unsubscribe text frame exactly as KIS expects:
/// {"header":{"approval_key":..,"custtype":"P","tr_type":"1",
///  "content-type":"utf-8"},"body":{"input":{"tr_id":..,"tr_key":..}}}
std::string encode_subscription(std::string_view approval_key, tr_type type,
                                std::string_view tr_id, std::string_view tr_key,
                                std::string_view custtype = "P");

/// POST /oauth2/Approval body (the field is `secretkey`).
std::string encode_approval_request(std::string_view appkey,
                                    std::string_view appsecret);

/// POST /oauth2/tokenP body.
std::string encode_token_request(std::string_view appkey,
                                 std::string_view appsecret);

/// POST /oauth2/revokeP body.
std::string encode_revoke_request(std::string_view appkey,
                                  std::string_view appsecret,
                                  std::string_view token);

// -- server side (the simulator) ---------------------------------------------

/// A client's subscribe/unsubscribe as the server reads it.
struct subscription_request {
  std::string approval_key;
  std::string custtype;
  std::string type; ///< "1" or "2"
  std::string tr_id;
  std::string tr_key;
};

/// Reads a client frame. On success returns an empty view; otherwise the
/// msg_cd KIS answers with (OPSP9998 invalid json, OPSP9997 header not
/// found, OPSP8997 invalid tr_type, ...). The fields parsed so far are
/// kept in `out` so the answer can echo tr_id/tr_key.
std::string_view parse_subscription(std::string_view json,
                                    subscription_request& out);

/// An ack as KIS sends it. `key`/`iv` are included (as `output`) when both
/// are non-empty; `msg1` defaults to the canonical text for `msg_cd`.
std::string encode_ack(std::string_view tr_id, std::string_view tr_key,
                       bool encrypted, std::string_view msg_cd,
                       std::string_view key = {}, std::string_view iv = {},
                       std::string_view msg1 = {});

/// A session-level error (tr_id "(null)"), e.g. OPSP8996.
std::string encode_session_error(std::string_view msg_cd);

/// {"header":{"tr_id":"PINGPONG","datetime":"YYYYMMDDHHMMSS"}}
std::string encode_pingpong(std::string_view datetime);

} // namespace kisrt::kis
