// SPDX-License-Identifier: Apache-2.0
#include "net/kis/encode.hpp"

#include <cstdio>
#include <stdexcept>

#include "net/kis/aes.hpp"
#include "net/kis/frame.hpp"

namespace kisrt::kis {

namespace {

template <class Range>
void append_fields(std::string& payload, const Range& fields) {
  bool first = true;
  if (!payload.empty())
    payload += '^';
  for (const auto& f : fields) {
    if (!first)
      payload += '^';
    payload.append(f.data(), f.size());
    first = false;
  }
}

std::string header(char enc, std::string_view tr_id, std::size_t count) {
  if (count == 0 || count > max_record_count)
    throw std::invalid_argument("record count " + std::to_string(count)
                                + " does not fit the 3-digit field");
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%03zu", count);
  std::string out;
  out += enc;
  out += '|';
  out.append(tr_id.data(), tr_id.size());
  out += '|';
  out += buf;
  out += '|';
  return out;
}

} // namespace

void append_record(std::string& payload,
                   std::initializer_list<std::string_view> fields) {
  append_fields(payload, fields);
}

void append_record(std::string& payload,
                   const std::vector<std::string>& fields) {
  append_fields(payload, fields);
}

void append_record(std::string& payload,
                   const std::vector<std::string_view>& fields) {
  append_fields(payload, fields);
}

std::string encode_frame(std::string_view tr_id, std::size_t count,
                         std::string_view payload) {
  auto out = header('0', tr_id, count);
  out.append(payload.data(), payload.size());
  return out;
}

codec_error encode_encrypted_frame(std::string_view tr_id, std::size_t count,
                                   std::string_view payload, const aes_key& key,
                                   std::string& out) {
  std::string b64;
  if (auto err = key.encrypt_base64(payload, b64)) {
    err.tr_id = std::string{tr_id};
    return err;
  }
  out = header('1', tr_id, count);
  out += b64;
  return {};
}

} // namespace kisrt::kis
