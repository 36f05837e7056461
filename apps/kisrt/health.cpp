// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/health.hpp"

#include <algorithm>

#include "net/kis/json_out.hpp"

namespace kisrt::app {

namespace {

std::string seconds(mono_time d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  auto s = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    auto frac = std::to_string(ms % 1000 + 1000).substr(1);
    while (frac.back() == '0')
      frac.pop_back();
    s += "." + frac;
  }
  return s + " s";
}

bool owned_by(const slot_info& x, owner_kind kind) {
  for (auto& o : x.owners)
    if (o.kind == kind)
      return true;
  return false;
}

} // namespace

health_report assess_health(const slot_snapshot& snap,
                            const std::optional<portfolio_health>& portfolio,
                            mono_time now, const health_settings& settings,
                            const session_namer& name, off_air_map* off_air) {
  off_air_map still_off;
  auto session_name = [&](session_id id) {
    return name ? name(id) : "s" + std::to_string(id + 1);
  };
  health_report r;
  r.sessions = snap.sessions.size();
  for (auto& s : snap.sessions) {
    if (s.up)
      ++r.sessions_up;
    else
      r.reasons.push_back("session " + session_name(s.id) + " down");
  }
  for (auto& x : snap.slots) {
    auto key = x.key.tr_id + ":" + x.key.tr_key;
    auto age = now - x.since;
    auto where = x.session == no_session ? std::string{}
                                         : " on " + session_name(x.session);
    // A session's execution notice off the air loses fills; a holding off
    // the air loses a sell.
    auto what = owned_by(x, owner_kind::notice)    ? "execution notice "
                : owned_by(x, owner_kind::holding) ? "holding "
                                                   : nullptr;
    // How long it has been off the air, over every state it went through.
    auto off_for = age;
    if (what != nullptr && x.state != slot_state::active
        && off_air != nullptr) {
      auto since = x.since;
      if (auto i = off_air->find(x.key); i != off_air->end())
        since = std::min(since, i->second);
      still_off[x.key] = since;
      off_for = now - since;
    }
    // Waiting for the server: any key, holding or not. (Reasons carry no
    // ages, so the transition log stays quiet while a state lasts.)
    if ((x.state == slot_state::pending || x.state == slot_state::releasing)
        && age > settings.answer_timeout) {
      r.reasons.push_back("key " + key + where + " " + to_string(x.state)
                          + " past the answer timeout ("
                          + seconds(settings.answer_timeout) + ")");
      continue;
    }
    if (what == nullptr || x.state == slot_state::active)
      continue;
    // Off the air in any state (placed, refused, moving between sessions)
    // for longer than the grace.
    if (x.state == slot_state::rejected)
      r.reasons.push_back(what + key + " rejected" + where);
    else if (off_for <= settings.holding_grace)
      continue;
    else if (x.state == slot_state::requested)
      r.reasons.push_back(what + key + " not subscribed"
                          + (x.session == no_session ? " (no room)" : where));
    else
      r.reasons.push_back(what + key + " not active" + where);
  }
  if (portfolio) {
    auto& p = *portfolio;
    if (!p.answered)
      r.reasons.push_back("portfolio_sync did not answer");
    else if (p.status.has_source && !p.status.last_poll_ok)
      r.reasons.push_back(p.status.failures == 0
                              ? std::string{"balance not polled yet"}
                              : "balance poll failed: " + p.status.last_error);
  }
  if (off_air != nullptr)
    *off_air = std::move(still_off);
  r.ok = r.reasons.empty();
  return r;
}

health_report health_log::assess(
    const slot_snapshot& snap, const std::optional<portfolio_health>& portfolio,
    mono_time now, const health_settings& settings, const session_namer& name) {
  std::lock_guard<std::mutex> guard{off_air_mtx_};
  return assess_health(snap, portfolio, now, settings, name, &off_air_);
}

std::string health_json(const health_report& r,
                        const calendar_status* calendar) {
  std::string out = "{\"status\":\"";
  out += r.ok ? "ok" : "degraded";
  out += "\",\"reasons\":[";
  for (std::size_t i = 0; i < r.reasons.size(); ++i) {
    if (i > 0)
      out += ',';
    kis::append_json_string(out, r.reasons[i]);
  }
  out += "],\"sessions\":" + std::to_string(r.sessions);
  out += ",\"sessions_up\":" + std::to_string(r.sessions_up);
  if (calendar != nullptr) {
    auto& c = *calendar;
    out += ",\"calendar\":{\"today\":\"" + std::to_string(c.today) + "\"";
    out += ",\"trading_day\":";
    out += c.trading_day ? "true" : "false";
    out += ",\"source\":";
    kis::append_json_string(out, c.source);
    out += ",\"fallback\":";
    out += c.fallback ? "true" : "false";
    out += ",\"failures\":" + std::to_string(c.failures);
    out += ",\"error\":";
    kis::append_json_string(out, c.last_error.substr(0, 200));
    out += "}";
  }
  out += "}";
  return out;
}

std::optional<std::string> health_log::note(const health_report& r,
                                            bool& degraded) {
  std::lock_guard<std::mutex> guard{mtx_};
  degraded = !r.ok;
  if (last_ && *last_ == r.reasons)
    return std::nullopt;
  auto first = !last_;
  last_ = r.reasons;
  if (r.ok)
    return first ? std::nullopt
                 : std::optional<std::string>{"health: ok again"};
  std::string line = "health: degraded: ";
  for (std::size_t i = 0; i < r.reasons.size(); ++i)
    line += (i > 0 ? "; " : "") + r.reasons[i];
  return line;
}

} // namespace kisrt::app
