// SPDX-License-Identifier: Apache-2.0
// Building data frames, for the simulator, tests and benchmarks.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "net/kis/error.hpp"

namespace kisrt::kis {

class aes_key;

/// Appends one record's fields to `payload`, '^'-joined, with a '^' before
/// it when `payload` already holds a record (records have no separator).
void append_record(std::string& payload,
                   std::initializer_list<std::string_view> fields);
void append_record(std::string& payload,
                   const std::vector<std::string>& fields);
void append_record(std::string& payload,
                   const std::vector<std::string_view>& fields);

/// `0|tr_id|NNN|payload` for a plain frame. `count` must be 1..999 (three
/// digits on the wire); anything else throws std::invalid_argument.
std::string encode_frame(std::string_view tr_id, std::size_t count,
                         std::string_view payload);

/// `1|tr_id|NNN|base64(AES-256-CBC(payload))` for an encrypted frame; the
/// same rule for `count`.
codec_error encode_encrypted_frame(std::string_view tr_id, std::size_t count,
                                   std::string_view payload, const aes_key& key,
                                   std::string& out);

} // namespace kisrt::kis
