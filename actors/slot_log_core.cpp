// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_log_core.hpp"

#include "actors/node_gate_checks.hpp"

namespace kisrt {

slot_log_level level_of(const slot_outcome& ev) {
  switch (ev.state) {
    case slot_outcome_state::rejected:
      return ev.level <= holding_priority ? slot_log_level::error
                                          : slot_log_level::warn;
    case slot_outcome_state::starved:
    case slot_outcome_state::stale: return slot_log_level::warn;
    case slot_outcome_state::evicted:
    case slot_outcome_state::replayed: return slot_log_level::info;
    case slot_outcome_state::granted:
    case slot_outcome_state::active: return slot_log_level::debug;
  }
  return slot_log_level::info;
}

std::string format_slot_event(const slot_outcome& ev,
                              const std::vector<std::string>& names) {
  std::string out = "slot " + to_string(ev.state) + ": ";
  if (ev.session == no_session)
    out += "no session";
  else if (ev.session < names.size())
    out += names[ev.session];
  else
    out += "session " + std::to_string(ev.session);
  if (!ev.key.tr_id.empty() || !ev.key.tr_key.empty())
    out +=
        " " + printable(ev.key.tr_id, 32) + " " + printable(ev.key.tr_key, 32);
  if (ev.level != lowest_priority || ev.state != slot_outcome_state::replayed)
    out += " priority " + std::to_string(ev.level);
  if (!ev.msg_cd.empty())
    out += " " + printable(ev.msg_cd, 32);
  if (!ev.reason.empty())
    out += " (" + printable(ev.reason, 200) + ")";
  return out;
}

bool slot_log_limiter::admit(std::int64_t now, const slot_outcome& ev) {
  if (!start_ || now >= *start_ + window_) {
    start_ = now;
    used_ = 0;
  }
  if (used_ < lines_) {
    ++used_;
    return true;
  }
  ++held_[static_cast<std::size_t>(ev.state)];
  auto lvl = level_of(ev);
  if (!held_level_ || *held_level_ < lvl)
    held_level_ = lvl;
  return false;
}

std::optional<std::int64_t> slot_log_limiter::due() const {
  if (!held_level_ || !start_)
    return std::nullopt;
  return *start_ + window_;
}

std::optional<std::pair<slot_log_level, std::string>>
slot_log_limiter::summary(const std::string& window_text) {
  if (!held_level_)
    return std::nullopt;
  std::uint64_t total = 0;
  std::string parts;
  for (std::size_t i = 0; i < held_.size(); ++i) {
    if (held_[i] == 0)
      continue;
    total += held_[i];
    if (!parts.empty())
      parts += ", ";
    parts += std::to_string(held_[i]) + " "
             + to_string(static_cast<slot_outcome_state>(i));
  }
  auto lvl = *held_level_;
  held_ = {};
  held_level_.reset();
  return std::make_pair(lvl, std::to_string(total) + " more slot events in "
                                 + window_text
                                 + " not logged one by one: " + parts);
}

} // namespace kisrt
