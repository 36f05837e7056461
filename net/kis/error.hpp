// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kisrt::kis {

/// What went wrong while decoding or encoding a KIS message.
enum class errc : std::uint8_t {
  none = 0,
  empty_message,  ///< zero-length input
  unknown_kind,   ///< neither a data frame nor a JSON control message
  bad_header,     ///< fewer than three '|' or a bad `enc` flag
  bad_tr_id,      ///< empty or non-printable tr_id
  bad_count,      ///< count is not 1..999 digits-only
  uneven_width,   ///< field count does not divide by record count
  short_record,   ///< fewer fields than the known layout
  unknown_tr,     ///< tr_id has no known layout (generic decode only)
  missing_key,    ///< encrypted frame without a key for its tr_id
  bad_base64,     ///< payload is not valid base64
  bad_ciphertext, ///< length not a multiple of the block size
  decrypt_failed, ///< wrong key, wrong iv or corrupt ciphertext
  bad_field,      ///< a typed field does not parse
  bad_json,       ///< control JSON does not parse
  bad_control,    ///< JSON parses but lacks what a control message has
  bad_utf8,       ///< invalid UTF-8 where text is required
  too_large,      ///< input over the configured maximum
};

/// A short, stable name for `code`, e.g. "uneven_width".
std::string_view to_string(errc code) noexcept;

/// An error value naming what went wrong and where. A default-constructed
/// error means success; `explicit operator bool` is true on failure.
struct codec_error {
  errc code = errc::none;
  /// tr_id of the frame, when known (copied: frames are short-lived views).
  std::string tr_id;
  /// Record index inside the frame, or -1.
  int record = -1;
  /// Field index inside the record, or -1.
  int field = -1;
  /// Byte offset inside the message (or payload, see `detail`), or -1.
  std::int64_t offset = -1;
  /// Human-readable detail, e.g. "expected >= 46 fields per record, got 40".
  std::string detail;

  explicit operator bool() const noexcept { return code != errc::none; }

  /// Renders e.g. "short_record: tr_id=H0STCNT0 record=2: expected ...".
  std::string to_string() const;
};

/// Builds an error; only called on failure paths.
codec_error make_error(errc code, std::string_view tr_id, std::string detail,
                       int record = -1, int field = -1,
                       std::int64_t offset = -1);

} // namespace kisrt::kis
