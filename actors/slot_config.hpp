// SPDX-License-Identifier: Apache-2.0
// Settings of the slot model: sessions, the TRs each priority class
// subscribes per symbol, and the timing rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/slot_types.hpp"
#include "net/kis/key_form.hpp"

namespace kisrt {

struct session_config {
  session_id id = 0;
  /// Registrations the server allows, execution notice included.
  std::uint32_t cap = 41;
  /// One registration is kept for the execution notice and never evicted.
  bool reserve_notice = true;
  /// The notice to subscribe on this session (e.g. H0STCNI0 + HTS ID);
  /// an empty tr_key keeps the reservation without subscribing.
  slot_key notice;
};

struct slot_config {
  std::vector<session_config> sessions;
  /// TRs per symbol for each class.
  std::vector<std::string> holding_trs{"H0STCNT0", "H0STASP0"};
  std::vector<std::string> pick_trs{"H0STCNT0"};
  std::vector<std::string> scan_trs{"H0STCNT0"};
  /// TRs per overseas symbol (`D`/`R` + exchange + symbol, DNASAAPL) of a
  /// holding or a pick: the overseas TRs take these keys, the domestic
  /// ones above do not (trs_for picks the list by the symbol's form).
  std::vector<std::string> overseas_holding_trs{"HDFSCNT0"};
  std::vector<std::string> overseas_pick_trs{"HDFSCNT0"};
  /// A scanner slot is not displaced by other candidates (nor released
  /// when its candidate lapses) before this; higher priorities may.
  mono_time min_hold = std::chrono::seconds{60};
  /// A scanner candidate lapses this long after it was last seen.
  mono_time candidate_ttl = std::chrono::minutes{5};
  /// A scanner slot without data this long is recycled first.
  mono_time scan_silence = std::chrono::minutes{2};
  /// A holding or pick without data this long in market hours is stale.
  mono_time stale_after = std::chrono::seconds{90};
  /// Backoff for OPSP0007/0009/8999: base doubling up to max.
  mono_time retry_base = std::chrono::seconds{1};
  mono_time retry_max = std::chrono::seconds{60};
  /// An execution notice, holding or pick refused for good (OPSP8991,
  /// 8992, 8993, other codes) is subscribed again this long after the
  /// refusal; scanner keys and requests stay refused until their demand is
  /// withdrawn.
  mono_time reject_retry = std::chrono::minutes{5};
  /// While demand waits for a place and a session's learned cap is below
  /// its configured cap, one extra subscribe probes the server at most
  /// this often: success raises the learned cap by one, OPSP0008 keeps it.
  /// Zero: no probes (the learned cap rises only on the next session up).
  mono_time cap_probe = std::chrono::seconds{60};
  /// Skips the plan for scanner updates that provably cannot change it
  /// (every place taken by keys a waiting candidate cannot displace, no
  /// timer due, the last plan a fixed point). Off only to check, in
  /// tests, that skipping gives the same outputs as planning.
  bool skip_futile_plans = true;

  /// `overseas` for an overseas key (kis::is_overseas_key), else
  /// `domestic`.
  static const std::vector<std::string>&
  trs_for(const std::string& symbol, const std::vector<std::string>& domestic,
          const std::vector<std::string>& overseas) {
    return kis::is_overseas_key(symbol) ? overseas : domestic;
  }

  /// Three sessions (or `n`) with the defaults, for tests and benchmarks.
  static slot_config with_sessions(std::uint32_t n, std::uint32_t cap = 41) {
    slot_config cfg;
    for (std::uint32_t i = 0; i < n; ++i) {
      session_config s;
      s.id = i;
      s.cap = cap;
      cfg.sessions.push_back(s);
    }
    return cfg;
  }
};

} // namespace kisrt
