// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_log.hpp"

#include <algorithm>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "messages/type_ids.hpp"

namespace kisrt {

namespace {

using self_ptr = slot_log_actor::stateful_pointer<slot_log_state>;

spdlog::level::level_enum to_spdlog(slot_log_level x) {
  switch (x) {
    case slot_log_level::debug: return spdlog::level::debug;
    case slot_log_level::info: return spdlog::level::info;
    case slot_log_level::warn: return spdlog::level::warn;
    case slot_log_level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string window_text(mono_time w) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(w).count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

void flush_summary(self_ptr self) {
  auto& st = self->state;
  if (auto s = st.limiter->summary(window_text(st.cfg.window)))
    st.cfg.write(s->first, s->second);
}

} // namespace

slot_log_actor::behavior_type slot_log(self_ptr self, slot_log_config cfg) {
  auto& st = self->state;
  if (!cfg.enabled)
    cfg.enabled = [](slot_log_level x) {
      return spdlog::should_log(to_spdlog(x));
    };
  if (!cfg.write)
    cfg.write = [](slot_log_level x, const std::string& line) {
      spdlog::log(to_spdlog(x), "{}", line);
    };
  st.limiter.emplace(caf::timespan{cfg.window}.count(),
                     std::max<std::size_t>(1, cfg.lines));
  st.cfg = std::move(cfg);
  return {
      [self](const slot_outcome& ev) {
        auto& st = self->state;
        auto lvl = level_of(ev);
        if (!st.cfg.enabled(lvl))
          return;
        auto now = now_of(self).count();
        // A window that ended: its summary first, then the new line.
        if (auto due = st.limiter->due(); due && now >= *due)
          flush_summary(self);
        if (st.limiter->admit(now, ev)) {
          st.cfg.write(lvl, format_slot_event(ev, st.cfg.session_names));
          return;
        }
        if (!st.tick_pending) {
          st.tick_pending = true;
          auto due = st.limiter->due().value_or(now);
          self->delayed_send(
              self, caf::timespan{std::max<std::int64_t>(0, due - now)},
              caf::tick_atom_v);
        }
      },
      [self](caf::tick_atom) {
        self->state.tick_pending = false;
        flush_summary(self);
      },
  };
}

} // namespace kisrt
