// SPDX-License-Identifier: Apache-2.0
// Helpers for driving slot_model directly in tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "actors/slot_model.hpp"

namespace kisrt::test {

using namespace std::chrono_literals;

inline slot_key cnt(const std::string& sym) {
  return {"H0STCNT0", sym};
}

inline slot_key asp(const std::string& sym) {
  return {"H0STASP0", sym};
}

/// The execution notice of session `s` in sessions_with_notice().
inline slot_key notice_of(session_id s) {
  return {"H0STCNI0", "hts" + std::to_string(s)};
}

/// `n` symbols "S000", "S001", ... starting at `first`.
inline std::vector<std::string> symbols(int n, int first = 0,
                                        const std::string& prefix = "S") {
  std::vector<std::string> out;
  for (int i = first; i < first + n; ++i) {
    auto num = std::to_string(i);
    out.push_back(prefix + std::string(3 - std::min<size_t>(3, num.size()), '0')
                  + num);
  }
  return out;
}

inline std::vector<scan_candidate>
candidates(const std::vector<std::string>& xs, mono_time seen,
           double score = 1.0) {
  std::vector<scan_candidate> out;
  for (auto& x : xs)
    out.push_back(scan_candidate{x, score, seen});
  return out;
}

/// A session config with a subscribed execution notice.
inline slot_config sessions_with_notice(std::uint32_t n,
                                        std::uint32_t cap = 41) {
  auto cfg = slot_config::with_sessions(n, cap);
  for (auto& s : cfg.sessions)
    s.notice = slot_key{"H0STCNI0", "hts" + std::to_string(s.id)};
  return cfg;
}

struct model_fixture {
  slot_model m;
  mono_time now{0};
  slot_outputs out;
  std::vector<epoch_t> epochs = std::vector<epoch_t>(8, 0);

  explicit model_fixture(slot_config cfg = slot_config::with_sessions(1))
      : m(std::move(cfg)) {
    // nop
  }

  void advance(mono_time d) { now += d; }

  std::vector<wire_command> take_commands() {
    auto xs = std::move(out.commands);
    out.commands.clear();
    return xs;
  }

  std::vector<slot_event> take_events() {
    auto xs = std::move(out.events);
    out.events.clear();
    return xs;
  }

  template <class T>
  std::vector<T> events_of() {
    std::vector<T> xs;
    for (auto& e : out.events)
      if (auto p = std::get_if<T>(&e))
        xs.push_back(*p);
    return xs;
  }

  void clear() { out.clear(); }

  void up(session_id s) { m.on_up(s, ++epochs[s], now, out); }

  void down(session_id s) { m.on_down(s, epochs[s], now, out); }

  void ack(session_id s, const slot_key& k, const std::string& code) {
    m.on_ack(sub_ack{s, epochs[s], k, code}, now, out);
  }

  /// Answers every command in `cmds` the way a healthy server does.
  void ack_all(const std::vector<wire_command>& cmds) {
    for (auto& c : cmds)
      m.on_ack(sub_ack{c.session, c.epoch, c.key,
                       c.op == wire_op::subscribe ? "OPSP0000" : "OPSP0001"},
               now, out);
  }

  /// Acks until the wire is quiet; returns every command seen.
  std::vector<wire_command> settle() {
    std::vector<wire_command> all;
    for (int i = 0; i < 100; ++i) {
      auto cmds = take_commands();
      if (cmds.empty())
        break;
      all.insert(all.end(), cmds.begin(), cmds.end());
      ack_all(cmds);
    }
    return all;
  }

  void holdings(std::vector<std::string> xs) { m.set_holdings(xs, now, out); }

  void picks(std::vector<std::string> xs) { m.set_picks(xs, now, out); }

  void scan(std::vector<std::string> xs, double score = 1.0) {
    m.add_candidates(candidates(xs, now, score), now, out);
  }

  std::optional<slot_info> find(const slot_key& k) const {
    for (auto& s : m.snapshot().slots)
      if (s.key == k)
        return s;
    return std::nullopt;
  }

  bool has(const slot_key& k, slot_state st) const {
    auto p = find(k);
    return p && p->state == st;
  }

  size_t count(slot_state st, session_id s = no_session) const {
    auto snap = m.snapshot();
    return std::count_if(
        snap.slots.begin(), snap.slots.end(), [&](const slot_info& x) {
          return x.state == st && (s == no_session || x.session == s);
        });
  }
};

inline wire_command sub(session_id s, epoch_t e, const slot_key& k) {
  return {s, e, wire_op::subscribe, k};
}

inline wire_command unsub(session_id s, epoch_t e, const slot_key& k) {
  return {s, e, wire_op::unsubscribe, k};
}

} // namespace kisrt::test
