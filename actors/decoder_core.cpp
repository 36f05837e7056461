// SPDX-License-Identifier: Apache-2.0
#include "actors/decoder_core.hpp"

#include <vector>

namespace kisrt {

namespace {

std::vector<market_event_kind> make_event_table() {
  auto first = kis::layouts_begin();
  std::vector<market_event_kind> out(
      static_cast<std::size_t>(kis::layouts_end() - first),
      market_event_kind::fields_event);
  auto add = [&](market_event_kind kind, std::string_view trs) {
    while (!trs.empty()) {
      auto end = trs.find(' ');
      auto tr = trs.substr(0, end);
      // A listed TR without a layout has nothing to decode against
      // (tests/actors checks that every listed TR has one).
      if (auto* l = kis::find_layout(tr))
        out[static_cast<std::size_t>(l - first)] = kind;
      trs.remove_prefix(end == std::string_view::npos ? trs.size() : end + 1);
    }
  };
#define KISRT_EVENT_TABLE(event, record, key, critical, json, trs)             \
  add(market_event_kind::event, trs);
  KISRT_MARKET_EVENTS(KISRT_EVENT_TABLE)
#undef KISRT_EVENT_TABLE
  return out;
}

} // namespace

market_event_kind event_kind_of(const kis::tr_layout* layout) noexcept {
  static const std::vector<market_event_kind> table = make_event_table();
  if (layout == nullptr)
    return market_event_kind::none;
  auto i = layout - kis::layouts_begin();
  if (i < 0 || static_cast<std::size_t>(i) >= table.size())
    return market_event_kind::none;
  return table[static_cast<std::size_t>(i)];
}

market_event_kind event_kind_of(std::string_view tr_id) noexcept {
  return event_kind_of(kis::find_layout(tr_id));
}

std::string_view to_string(market_event_kind kind) noexcept {
  switch (kind) {
#define KISRT_EVENT_NAME(event, record, key, critical, json, trs)              \
  case market_event_kind::event: return #event;
    KISRT_MARKET_EVENTS(KISRT_EVENT_NAME)
#undef KISRT_EVENT_NAME
    case market_event_kind::none: return "none";
  }
  return "none";
}

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
