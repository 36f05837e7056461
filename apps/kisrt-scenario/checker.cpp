// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/checker.hpp"

#include <map>

namespace kisrt::scenario {

std::string session_name(session_id s) {
  return s == no_session ? std::string{"--"} : "s" + std::to_string(s + 1);
}

session_id session_of(const std::string& name) {
  return static_cast<session_id>(std::stoul(name.substr(1)) - 1);
}

std::string owners_text(const std::vector<owner_ref>& xs) {
  std::vector<std::string> names;
  for (auto& o : xs)
    names.push_back(o.kind == owner_kind::request ? "request:" + o.name
                                                  : to_string(o.kind));
  std::string out;
  for (auto& n : names)
    out += (out.empty() ? "" : ",") + n;
  return out;
}

balance_snapshot balance_of(const statement& st) {
  balance_snapshot out;
  for (auto& w : st.args) {
    auto colon = w.text.find(':');
    std::int64_t qty =
        colon == std::string::npos ? 1 : std::stoll(w.text.substr(colon + 1));
    out.rows.push_back(holding_qty{w.text.substr(0, colon), qty});
  }
  return out;
}

std::set<std::string> split_set(const std::string& s) {
  std::set<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = s.find(',', start);
    auto part = s.substr(start, comma - start);
    if (!part.empty())
      out.insert(part);
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

session_id checker::parse_session(const word& w) const {
  auto s = session_of(w.text);
  if (s >= sessions)
    throw script_error{"no session " + w.text
                       + " (config sessions=" + std::to_string(sessions) + ")"};
  return s;
}

std::optional<session_id> checker::session_option(const statement& st) const {
  auto i = st.options.find("session");
  if (i == st.options.end())
    return std::nullopt;
  return parse_session(i->second);
}

slot_key checker::key_of(const statement& st) {
  return slot_key{st.args.at(0).text, st.args.at(1).text};
}

std::string checker::key_text(const slot_key& k) {
  return k.tr_id + " " + k.tr_key;
}

std::string checker::slot_text(const slot_info& s) const {
  return key_text(s.key) + " " + to_string(s.state)
         + " priority=" + std::to_string(s.level) + " on "
         + session_name(s.session) + " owners=" + owners_text(s.owners);
}

std::string checker::key_state(const slot_snapshot& snap,
                               const slot_key& k) const {
  std::string out;
  for (auto& s : snap.slots)
    if (s.key == k)
      out += (out.empty() ? "" : "; ") + slot_text(s);
  return out.empty() ? key_text(k) + " not in the slot table" : out;
}

std::optional<failure> checker::expect(const statement& st,
                                       const slot_snapshot& snap) {
  const auto& v = st.verb;
  if (v == "expect sent" || v == "expect no-sent")
    return expect_sent(st);
  if (v == "expect slots")
    return expect_slots(st, snap);
  auto key = key_of(st);
  auto where = session_option(st);
  auto on = [&](const slot_info& s) {
    return s.key == key && (!where || s.session == *where);
  };
  auto where_text = where ? " on " + session_name(*where) : std::string{};
  auto state_is = [&](slot_state want) -> std::optional<failure> {
    for (auto& s : snap.slots)
      if (on(s) && s.state == want)
        return std::nullopt;
    return failure{key_text(key) + " " + to_string(want) + where_text,
                   key_state(snap, key)};
  };
  if (v == "expect active") {
    for (auto& s : snap.slots) {
      if (!on(s) || s.state != slot_state::active)
        continue;
      auto p = st.option("priority");
      auto o = st.option("owners");
      bool ok =
          (p.empty() || std::to_string(s.level) == p)
          && (o.empty() || split_set(o) == split_set(owners_text(s.owners)));
      if (ok)
        return std::nullopt;
    }
    std::string want = key_text(key) + " active" + where_text;
    if (auto p = st.option("priority"); !p.empty())
      want += " priority=" + p;
    if (auto o = st.option("owners"); !o.empty())
      want += " owners=" + o;
    return failure{want, key_state(snap, key)};
  }
  if (v == "expect pending")
    return state_is(slot_state::pending);
  if (v == "expect releasing")
    return state_is(slot_state::releasing);
  if (v == "expect waiting")
    return state_is(slot_state::requested);
  if (v == "expect absent") {
    for (auto& s : snap.slots)
      if (on(s)
          && (s.state == slot_state::pending || s.state == slot_state::active
              || s.state == slot_state::releasing))
        return failure{key_text(key)
                           + " neither pending, active nor "
                             "releasing"
                           + where_text,
                       key_state(snap, key)};
    return std::nullopt;
  }
  if (v == "expect evicted" || v == "expect rejected" || v == "expect stale") {
    std::string seen_events;
    for (auto& te : events) {
      if (auto* e = std::get_if<slot_evicted>(&te.ev);
          e && v == "expect evicted" && e->key == key) {
        auto reason = st.option("reason");
        if ((!where || e->session == *where)
            && (reason.empty() || to_string(e->reason) == reason))
          return std::nullopt;
        seen_events += " evicted on " + session_name(e->session) + " ("
                       + to_string(e->reason) + ") at " + clock_text(te.at)
                       + ";";
      }
      if (auto* e = std::get_if<slot_rejected>(&te.ev);
          e && v == "expect rejected" && e->key == key) {
        if ((!where || e->session == *where) && e->msg_cd == st.args[2].text)
          return std::nullopt;
        seen_events += " rejected on " + session_name(e->session) + " with "
                       + e->msg_cd + " at " + clock_text(te.at) + ";";
      }
      if (auto* e = std::get_if<slot_stale>(&te.ev);
          e && v == "expect stale" && e->key == key) {
        if (!where || e->session == *where)
          return std::nullopt;
        seen_events += " stale on " + session_name(e->session) + ";";
      }
    }
    std::string want = key_text(key) + " " + v.substr(7) + where_text;
    if (v == "expect rejected")
      want += " with " + st.args[2].text;
    if (auto r = st.option("reason"); !r.empty())
      want += " reason=" + r;
    return failure{want, seen_events.empty() ? "no such event so far; now: "
                                                   + key_state(snap, key)
                                             : "events:" + seen_events};
  }
  if (v == "expect starved") {
    const slots_starved* last = nullptr;
    for (auto& te : events)
      if (auto* e = std::get_if<slots_starved>(&te.ev))
        last = e;
    std::string now_starved;
    if (last) {
      for (auto& k : last->keys) {
        if (k == key)
          return std::nullopt;
        now_starved += " " + key_text(k) + ";";
      }
    }
    return failure{key_text(key) + " starved", now_starved.empty()
                                                   ? "nothing starved"
                                                   : "starved:" + now_starved};
  }
  throw script_error{"statement '" + v + "' is not implemented"};
}

std::optional<failure> checker::expect_slots(const statement& st,
                                             const slot_snapshot& snap) {
  auto s = parse_session(st.args[0]);
  const session_info* info = nullptr;
  for (auto& x : snap.sessions)
    if (x.id == s)
      info = &x;
  if (info == nullptr)
    throw script_error{"the arbiter reports no session " + st.args[0].text};
  std::uint32_t active = 0, pending = 0, releasing = 0;
  for (auto& x : snap.slots) {
    if (x.session != s)
      continue;
    active += x.state == slot_state::active;
    pending += x.state == slot_state::pending;
    releasing += x.state == slot_state::releasing;
  }
  std::map<std::string, std::uint64_t> actual{
      {"used", active + pending}, {"active", active},
      {"pending", pending},       {"releasing", releasing},
      {"cap", info->cap},         {"learned_cap", info->learned_cap},
      {"epoch", info->epoch}};
  std::string want, got;
  bool ok = true;
  for (auto& [k, w] : st.options) {
    auto a = actual.at(k);
    want += " " + k + "=" + w.text;
    got += " " + k + "=" + std::to_string(a);
    if (std::to_string(a) != w.text)
      ok = false;
  }
  if (ok)
    return std::nullopt;
  return failure{st.args[0].text + want, st.args[0].text + got};
}

std::optional<failure> checker::expect_sent(const statement& st) {
  auto s = parse_session(st.args[0]);
  auto& ks = wire[s];
  auto cmd_text = [](const wire_entry& e) {
    return to_string(e.op) + " " + e.key.tr_id + " " + e.key.tr_key;
  };
  auto rest = [&] {
    std::string out;
    for (auto i = ks.cursor; i < ks.log.size(); ++i)
      if (ks.log[i].epoch == ks.epoch)
        out += (out.empty() ? "" : ", ") + cmd_text(ks.log[i]);
    return out.empty() ? std::string{"nothing"} : out;
  };
  auto epoch_text = " (epoch " + std::to_string(ks.epoch) + ")";
  if (st.verb == "expect no-sent") {
    for (auto i = ks.cursor; i < ks.log.size(); ++i)
      if (ks.log[i].epoch == ks.epoch)
        return failure{"nothing more sent on " + st.args[0].text + epoch_text,
                       "sent after the last match: " + rest()};
    return std::nullopt;
  }
  auto want = st.args[1].text + " " + st.args[2].text + " " + st.args[3].text;
  for (auto i = ks.cursor; i < ks.log.size(); ++i) {
    if (ks.log[i].epoch == ks.epoch && cmd_text(ks.log[i]) == want) {
      ks.cursor = i + 1;
      return std::nullopt;
    }
  }
  return failure{want + " on " + st.args[0].text + epoch_text
                     + " after the last match",
                 "sent after the last match: " + rest()};
}

} // namespace kisrt::scenario
