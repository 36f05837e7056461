// SPDX-License-Identifier: Apache-2.0
#include "actors/decoder_core.hpp"

namespace kisrt {

decoder_core::per_session* decoder_core::session_state(session_id session,
                                                       epoch_t epoch) {
  auto& st = sessions_[session];
  if (epoch < st.epoch)
    return nullptr;
  if (epoch > st.epoch) {
    // A new connection brings new keys with its acks; the old ones are void.
    st.frames.clear_keys();
    st.epoch = epoch;
  }
  return &st;
}

bool decoder_core::has_key(session_id session, std::string_view tr_id) const {
  auto it = sessions_.find(session);
  return it != sessions_.end() && it->second.frames.has_key(tr_id);
}

} // namespace kisrt
