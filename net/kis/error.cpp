// SPDX-License-Identifier: Apache-2.0
#include "net/kis/error.hpp"

namespace kisrt::kis {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::none: return "none";
    case errc::empty_message: return "empty_message";
    case errc::unknown_kind: return "unknown_kind";
    case errc::bad_header: return "bad_header";
    case errc::bad_tr_id: return "bad_tr_id";
    case errc::bad_count: return "bad_count";
    case errc::uneven_width: return "uneven_width";
    case errc::short_record: return "short_record";
    case errc::unknown_tr: return "unknown_tr";
    case errc::missing_key: return "missing_key";
    case errc::bad_base64: return "bad_base64";
    case errc::bad_ciphertext: return "bad_ciphertext";
    case errc::decrypt_failed: return "decrypt_failed";
    case errc::bad_field: return "bad_field";
    case errc::bad_json: return "bad_json";
    case errc::bad_control: return "bad_control";
    case errc::bad_utf8: return "bad_utf8";
    case errc::too_large: return "too_large";
  }
  return "unknown";
}

std::string codec_error::to_string() const {
  std::string out{kis::to_string(code)};
  out += ':';
  if (!tr_id.empty()) {
    out += " tr_id=";
    out += tr_id;
  }
  if (record >= 0) {
    out += " record=";
    out += std::to_string(record);
  }
  if (field >= 0) {
    out += " field=";
    out += std::to_string(field);
  }
  if (offset >= 0) {
    out += " offset=";
    out += std::to_string(offset);
  }
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

codec_error make_error(errc code, std::string_view tr_id, std::string detail,
                       int record, int field, std::int64_t offset) {
  codec_error err;
  err.code = code;
  // A hostile tr_id must not smuggle control bytes into logs.
  constexpr std::size_t max_len = 16;
  for (char c : tr_id.substr(0, max_len))
    err.tr_id += (c >= 0x21 && c <= 0x7e) ? c : '?';
  if (tr_id.size() > max_len)
    err.tr_id += "...";
  err.record = record;
  err.field = field;
  err.offset = offset;
  err.detail = std::move(detail);
  return err;
}

} // namespace kisrt::kis
