// SPDX-License-Identifier: Apache-2.0
#include "net/kis/decoder.hpp"

namespace kisrt::kis {

codec_error frame_decoder::set_key(std::string_view tr_id, std::string_view key,
                                   std::string_view iv) {
  aes_key k;
  if (auto err = k.set(key, iv)) {
    err.tr_id = std::string{tr_id};
    return err;
  }
  keys_.insert_or_assign(std::string{tr_id}, std::move(k));
  return {};
}

codec_error frame_decoder::set_default_key(std::string_view key,
                                           std::string_view iv) {
  return default_key_.set(key, iv);
}

void frame_decoder::clear_keys() {
  keys_.clear();
}

bool frame_decoder::has_key(std::string_view tr_id) const {
  return keys_.find(tr_id) != keys_.end();
}

const aes_key* frame_decoder::key_for(std::string_view tr_id) const {
  auto it = keys_.find(tr_id);
  if (it != keys_.end())
    return &it->second;
  return default_key_.valid() ? &default_key_ : nullptr;
}

codec_error frame_decoder::decode(std::string_view msg) {
  layout_ = nullptr;
  if (msg.size() > max_message_)
    return make_error(errc::too_large, {},
                      "message of " + std::to_string(msg.size())
                          + " bytes exceeds the limit of "
                          + std::to_string(max_message_));
  if (auto err = split_frame(msg, frame_))
    return err;
  layout_ = find_layout(frame_.tr_id);
  std::string_view payload = frame_.payload;
  if (frame_.encrypted) {
    auto* key = key_for(frame_.tr_id);
    if (key == nullptr)
      return make_error(errc::missing_key, frame_.tr_id,
                        "encrypted frame but no key for this tr_id");
    if (auto err = key->decrypt_base64(payload, plain_, scratch_)) {
      err.tr_id = std::string{frame_.tr_id};
      if (err.offset >= 0)
        err.offset += static_cast<std::int64_t>(frame_.payload_offset);
      return err;
    }
    payload = plain_;
  }
  return batch_.assign(frame_, payload, layout_);
}

} // namespace kisrt::kis
