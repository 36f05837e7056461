// SPDX-License-Identifier: Apache-2.0
// The admin API's `GET /healthz`: whether traders get what they asked for.
// `ok` only when every session is up, every holding is active (or was
// placed less than the grace ago), no key waits for the server's answer
// past the answer deadline, and the last balance poll succeeded; otherwise
// `degraded` with one reason per problem:
// {"status":"degraded","reasons":["session s1 down",...],"sessions":2,
//  "sessions_up":1}
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "apps/kisrt/slots_json.hpp"
#include "messages/calendar.hpp"
#include "messages/slot_snapshot.hpp"
#include "messages/sources.hpp"

namespace kisrt::app {

struct health_settings {
  /// A key pending (subscribe sent) or releasing (unsubscribe sent) longer
  /// than this waits past its answer deadline (`connection.answer_timeout`).
  mono_time answer_timeout = std::chrono::seconds{10};
  /// A holding may be without an active slot this long (placed, replayed
  /// after a reconnect, moved) before it counts as missing.
  mono_time holding_grace = std::chrono::seconds{10};
  /// How often the gateway assesses its health by itself, so that changes
  /// of verdict are logged even when nobody asks /healthz.
  mono_time check_interval = std::chrono::seconds{5};
};

/// What the portfolio side contributes: absent when there is no
/// portfolio_sync; `answered` false when it did not answer the query.
struct portfolio_health {
  bool answered = false;
  portfolio_status status;
};

struct health_report {
  bool ok = true;
  std::vector<std::string> reasons;
  std::size_t sessions = 0;
  std::size_t sessions_up = 0;
};

/// Since when each holding and execution notice has been off the air (not
/// active), over successive assessments: a key that moves between states
/// (placed, refused, placed again) restarts its `since` each time, but not
/// its time off the air.
using off_air_map = std::map<slot_key, mono_time>;

/// Assesses `snap` (and the portfolio, if any) at `now` on the actor clock.
/// With `off_air`, a holding's or notice's grace counts from when it was
/// first seen off the air (kept across calls; keys active again or gone are
/// dropped); without, from its `since`.
health_report assess_health(const slot_snapshot& snap,
                            const std::optional<portfolio_health>& portfolio,
                            mono_time now, const health_settings& settings,
                            const session_namer& name = {},
                            off_air_map* off_air = nullptr);

/// The `/healthz` body: {"status","reasons","sessions","sessions_up"},
/// with the trading calendar's state as "calendar" when given:
/// {"today":"20251225","trading_day":false,"source":"kis","fallback":false,
///  "failures":0,"error":""} (docs/operations.md).
std::string health_json(const health_report& r,
                        const calendar_status* calendar = nullptr);

/// Remembers the last verdict so degraded states are logged on a change,
/// not on every request. Thread-safe (admin requests run on any worker).
class health_log {
public:
  /// assess_health() with this log's memory of keys off the air.
  health_report assess(const slot_snapshot& snap,
                       const std::optional<portfolio_health>& portfolio,
                       mono_time now, const health_settings& settings,
                       const session_namer& name);

  /// The line to log when `r` differs from the previous verdict (reasons
  /// compared as a whole), else nothing. `degraded` is set for a warning.
  std::optional<std::string> note(const health_report& r, bool& degraded);

private:
  std::mutex mtx_;
  std::optional<std::vector<std::string>> last_; ///< empty vector: ok
  std::mutex off_air_mtx_;
  off_air_map off_air_;
};

} // namespace kisrt::app
