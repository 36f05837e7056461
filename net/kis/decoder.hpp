// SPDX-License-Identifier: Apache-2.0
// One connection's frame decoder: AES keys per tr_id (data frames carry no
// tr_key), a reusable plaintext buffer and record batch.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "net/kis/aes.hpp"
#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"

namespace kisrt::kis {

/// Frames larger than this are rejected before any work (hostile input).
constexpr std::size_t default_max_message = 4 * 1024 * 1024;

class frame_decoder {
public:
  /// Stores the key/iv of a SUBSCRIBE SUCCESS for `tr_id`, replacing any
  /// previous one (KIS sends a fresh pair on every success).
  codec_error set_key(std::string_view tr_id, std::string_view key,
                      std::string_view iv);

  /// Key used for encrypted TRs that have no key of their own (the
  /// `--key/--iv` of `kisrt decode`).
  codec_error set_default_key(std::string_view key, std::string_view iv);

  /// Forgets every key (a new session brings new keys).
  void clear_keys();

  bool has_key(std::string_view tr_id) const;

  void max_message(std::size_t n) noexcept { max_message_ = n; }

  /// Decodes one data frame. On success `header()` and `records()` describe
  /// it until the next call. Views point into `msg` (plain frames) or into
  /// this decoder's plaintext buffer (encrypted frames).
  ///
  /// WARNING: nothing is copied. `msg` must outlive every use of header()
  /// and records(); decoding a temporary string leaves dangling views.
  codec_error decode(std::string_view msg);

  const frame& header() const noexcept { return frame_; }
  const record_batch& records() const noexcept { return batch_; }
  const tr_layout* layout() const noexcept { return layout_; }
  /// The decrypted payload of the last encrypted frame.
  std::string_view plaintext() const noexcept { return plain_; }

private:
  const aes_key* key_for(std::string_view tr_id) const;

  std::map<std::string, aes_key, std::less<>> keys_;
  aes_key default_key_;
  std::size_t max_message_ = default_max_message;
  frame frame_;
  const tr_layout* layout_ = nullptr;
  record_batch batch_;
  std::string plain_;
  std::string scratch_;
};

} // namespace kisrt::kis
