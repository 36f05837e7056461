// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/runner.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <variant>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/detail/test_actor_clock.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/connection.hpp"
#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "actors/kst_clock.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/scripted_kis.hpp"
#include "messages/type_ids.hpp"
#include "net/io_runner.hpp"
#include "net/kis/requests.hpp"
#include "sim/simulator.hpp"

namespace kisrt::scenario {

namespace {

using namespace std::chrono_literals;

// -- configuration
// -------------------------------------------------------------

enum class notice_mode { on, off, reserve };

struct scenario_config {
  std::uint32_t sessions = 1;
  std::uint32_t cap = 41;
  notice_mode notice = notice_mode::on;
  slot_config slots;
  std::chrono::seconds start = 7h;
  int year = 2025, month = 1, day = 6; // a Monday
  market_hours hours;
  bool live = false; ///< part of the --live subset
};

struct config_error {
  int column;
  std::string message;
};

bool digits(std::string_view s) {
  return !s.empty() && s.size() <= 9
         && std::all_of(s.begin(), s.end(),
                        [](char c) { return c >= '0' && c <= '9'; });
}

// 60s, 250ms, 2m, 1h.
std::optional<mono_time> parse_duration(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9')
    ++n;
  if (n == 0 || n > 9)
    return std::nullopt;
  auto v = std::stoll(std::string{s.substr(0, n)});
  auto unit = s.substr(n);
  if (unit == "ms")
    return std::chrono::duration_cast<mono_time>(std::chrono::milliseconds{v});
  if (unit == "s")
    return std::chrono::duration_cast<mono_time>(std::chrono::seconds{v});
  if (unit == "m")
    return std::chrono::duration_cast<mono_time>(std::chrono::minutes{v});
  if (unit == "h")
    return std::chrono::duration_cast<mono_time>(std::chrono::hours{v});
  return std::nullopt;
}

// HH:MM or HH:MM:SS -> seconds since midnight.
std::optional<int> parse_clock(std::string_view s, bool with_seconds) {
  auto two = [&](std::size_t i) -> int {
    if (i + 2 > s.size() || !digits(s.substr(i, 2)))
      return -1;
    return (s[i] - '0') * 10 + (s[i + 1] - '0');
  };
  if (s.size() != (with_seconds ? 8u : 5u) || s[2] != ':'
      || (with_seconds && s[5] != ':'))
    return std::nullopt;
  int h = two(0), m = two(3), sec = with_seconds ? two(6) : 0;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
    return std::nullopt;
  return h * 3600 + m * 60 + sec;
}

std::optional<config_error> apply_config(const statement& st,
                                         scenario_config& cfg) {
  for (auto& [key, w] : st.options) {
    auto bad = [&, &key = key, &w = w](const std::string& what) {
      return config_error{w.column,
                          key + "='" + w.text + "': expected " + what};
    };
    const auto& v = w.text;
    if (key == "sessions") {
      if (!digits(v) || std::stoul(v) < 1 || std::stoul(v) > 9)
        return bad("1 to 9");
      cfg.sessions = static_cast<std::uint32_t>(std::stoul(v));
    } else if (key == "cap") {
      if (!digits(v) || std::stoul(v) < 2 || std::stoul(v) > 1000)
        return bad("a cap from 2 to 1000");
      cfg.cap = static_cast<std::uint32_t>(std::stoul(v));
    } else if (key == "notice") {
      if (v == "on")
        cfg.notice = notice_mode::on;
      else if (v == "off")
        cfg.notice = notice_mode::off;
      else if (v == "reserve")
        cfg.notice = notice_mode::reserve;
      else
        return bad("on, off or reserve");
    } else if (key == "tr.holding" || key == "tr.pick" || key == "tr.scan") {
      std::vector<std::string> trs;
      std::size_t start = 0;
      for (;;) {
        auto comma = v.find(',', start);
        auto tr = v.substr(start, comma - start);
        bool ok =
            tr.size() == 8 && std::all_of(tr.begin(), tr.end(), [](char c) {
              return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            });
        if (!ok)
          return bad("a comma-separated list of tr_ids such as "
                     "H0STCNT0,H0STASP0");
        trs.push_back(tr);
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
      if (key == "tr.holding")
        cfg.slots.holding_trs = trs;
      else if (key == "tr.pick")
        cfg.slots.pick_trs = trs;
      else
        cfg.slots.scan_trs = trs;
    } else if (key == "p3_min_hold" || key == "p3_stale" || key == "p3_ttl"
               || key == "stale_after" || key == "retry_min"
               || key == "retry_max") {
      auto d = parse_duration(v);
      if (!d)
        return bad("a duration such as 60s, 250ms, 2m or 1h");
      if (key == "p3_min_hold")
        cfg.slots.min_hold = *d;
      else if (key == "p3_stale")
        cfg.slots.scan_silence = *d;
      else if (key == "p3_ttl")
        cfg.slots.candidate_ttl = *d;
      else if (key == "stale_after")
        cfg.slots.stale_after = *d;
      else if (key == "retry_min")
        cfg.slots.retry_base = *d;
      else
        cfg.slots.retry_max = *d;
    } else if (key == "start") {
      auto t = parse_clock(v, true);
      if (!t)
        return bad("a KST time HH:MM:SS");
      cfg.start = std::chrono::seconds{*t};
    } else if (key == "market_open" || key == "market_close") {
      auto t = parse_clock(v, false);
      if (!t)
        return bad("a KST time HH:MM");
      (key == "market_open" ? cfg.hours.open_minute : cfg.hours.close_minute) =
          *t / 60;
    } else if (key == "live") {
      if (v != "on" && v != "off")
        return bad("on or off");
      cfg.live = v == "on";
    } else if (key == "date") {
      if (v.size() != 10 || v[4] != '-' || v[7] != '-'
          || !digits(v.substr(0, 4)) || !digits(v.substr(5, 2))
          || !digits(v.substr(8, 2)))
        return bad("a date YYYY-MM-DD");
      cfg.year = std::stoi(v.substr(0, 4));
      cfg.month = std::stoi(v.substr(5, 2));
      cfg.day = std::stoi(v.substr(8, 2));
      if (cfg.month < 1 || cfg.month > 12 || cfg.day < 1 || cfg.day > 31)
        return bad("a date YYYY-MM-DD");
    }
  }
  return std::nullopt;
}

std::optional<parse_error> build_config(const script& sc,
                                        scenario_config& cfg) {
  bool others = false;
  for (auto& st : sc.statements) {
    if (st.verb != "config") {
      others = true;
      continue;
    }
    if (others || st.at)
      return parse_error{sc.file, st.line, st.column,
                         "config must come before every other statement"};
    if (auto err = apply_config(st, cfg))
      return parse_error{sc.file, st.line, err->column, err->message};
  }
  cfg.slots.sessions.clear();
  for (std::uint32_t i = 0; i < cfg.sessions; ++i) {
    session_config s;
    s.id = i;
    s.cap = cfg.cap;
    s.reserve_notice = cfg.notice != notice_mode::off;
    if (cfg.notice == notice_mode::on)
      s.notice = slot_key{"H0STCNI0", "hts" + std::to_string(i + 1)};
    cfg.slots.sessions.push_back(s);
  }
  return std::nullopt;
}

// -- actors of the runner
// --------------------------------------------------------

struct timed_event {
  mono_time at;
  slot_event ev;
};

using event_log = std::shared_ptr<std::vector<timed_event>>;
using trace_fn = std::shared_ptr<std::function<void(const std::string&)>>;

struct observer_state {
  static inline const char* name = "observer";
};

slot_observer_actor::behavior_type
observer(slot_observer_actor::stateful_pointer<observer_state> self,
         event_log log) {
  auto rec = [self, log](auto x) {
    log->push_back(timed_event{std::chrono::duration_cast<mono_time>(
                                   self->clock().now().time_since_epoch()),
                               slot_event{std::move(x)}});
  };
  return {
      [rec](const slot_granted& x) { rec(x); },
      [rec](const slot_active& x) { rec(x); },
      [rec](const slot_evicted& x) { rec(x); },
      [rec](const slot_rejected& x) { rec(x); },
      [rec](const slots_starved& x) { rec(x); },
      [rec](const session_replayed& x) { rec(x); },
      [rec](const slot_stale& x) { rec(x); },
  };
}

struct link_state {
  static inline const char* name = "kis_link";
};

struct link_args {
  session_id session = 0;
  std::shared_ptr<scripted_kis> kis;
  decoder_actor decoder;
  trace_fn trace;
};

/// The stand-in for one session's connection actor: drops commands of
/// another epoch (like the real connection), writes the subscribe frame the
/// real connection would write, and forwards the scripted server's answers
/// to the decoder tagged with the epoch.
connection_actor::behavior_type
kis_link(connection_actor::stateful_pointer<link_state> self, link_args args) {
  return {
      [self, args](const wire_command& c) {
        auto& ks = args.kis->sessions.at(args.session);
        auto label = "s" + std::to_string(args.session + 1);
        if (!ks.up || c.epoch != ks.epoch) {
          if (*args.trace)
            (*args.trace)("kis " + label + ": dropped " + to_string(c.op) + " "
                          + c.key.tr_id + " " + c.key.tr_key + " of epoch "
                          + std::to_string(c.epoch));
          return;
        }
        auto frame = kis::encode_subscription("scenario-approval-key",
                                              c.op == wire_op::subscribe
                                                  ? kis::tr_type::subscribe
                                                  : kis::tr_type::unsubscribe,
                                              c.key.tr_id, c.key.tr_key);
        std::vector<kis_frame> answers;
        std::string note;
        auto now = std::chrono::duration_cast<mono_time>(
            self->clock().now().time_since_epoch());
        args.kis->on_frame(args.session, frame, now, answers, note);
        if (*args.trace)
          (*args.trace)("kis " + label + " e" + std::to_string(ks.epoch)
                        + " <- " + note);
        for (auto& a : answers)
          self->send(args.decoder, caf::receive_atom_v, a.session, a.epoch,
                     std::move(a.text));
      },
  };
}

// -- helpers
// -----------------------------------------------------------------------

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

/// A statement that cannot run (bad session, time going backwards).
struct script_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct failure {
  std::string expected;
  std::string actual;
};

/// Evaluates `expect` lines against a slot snapshot, the events seen so far
/// and the commands the server read per session (shared by the scripted
/// and the live runner).
struct checker {
  std::uint32_t sessions;
  const std::vector<timed_event>& events;
  std::vector<kis_session>& wire;
  std::function<std::string(mono_time)> clock_text;

  session_id parse_session(const word& w) const {
    auto s = session_of(w.text);
    if (s >= sessions)
      throw script_error{"no session " + w.text + " (config sessions="
                         + std::to_string(sessions) + ")"};
    return s;
  }

  std::optional<session_id> session_option(const statement& st) const {
    auto i = st.options.find("session");
    if (i == st.options.end())
      return std::nullopt;
    return parse_session(i->second);
  }

  static slot_key key_of(const statement& st) {
    return slot_key{st.args.at(0).text, st.args.at(1).text};
  }

  static std::string key_text(const slot_key& k) {
    return k.tr_id + " " + k.tr_key;
  }

  std::string slot_text(const slot_info& s) const {
    return key_text(s.key) + " " + to_string(s.state)
           + " priority=" + std::to_string(s.level) + " on "
           + session_name(s.session) + " owners=" + owners_text(s.owners);
  }

  std::string key_state(const slot_snapshot& snap, const slot_key& k) const {
    std::string out;
    for (auto& s : snap.slots)
      if (s.key == k)
        out += (out.empty() ? "" : "; ") + slot_text(s);
    return out.empty() ? key_text(k) + " not in the slot table" : out;
  }

  std::optional<failure> expect(const statement& st,
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
    if (v == "expect evicted" || v == "expect rejected"
        || v == "expect stale") {
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
      return failure{key_text(key) + " starved",
                     now_starved.empty() ? "nothing starved"
                                         : "starved:" + now_starved};
    }
    throw script_error{"statement '" + v + "' is not implemented"};
  }

  std::optional<failure> expect_slots(const statement& st,
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

  std::optional<failure> expect_sent(const statement& st) {
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
};

// -- the runner ---
// ----------------------------------------------------------------------

class runner {
public:
  runner(const script& sc, const scenario_config& cfg, const run_options& opts,
         std::ostream& out)
      : sc_(sc)
      , cfg_(cfg)
      , opts_(opts)
      , out_(out)
      , sys_(init(sys_cfg_))
      , sched_(
            dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler()))
      , self_(sys_, true)
      , kis_(std::make_shared<scripted_kis>(cfg.sessions))
      , events_(std::make_shared<std::vector<timed_event>>())
      , trace_(std::make_shared<std::function<void(const std::string&)>>()) {
    t0_ = now();
    if (opts_.trace)
      *trace_ = [this](const std::string& line) {
        out_ << "  [" << clock_text(now()) << "] " << line << '\n';
      };
    slot_arbiter_config acfg;
    acfg.slots = cfg_.slots;
    acfg.hours = cfg_.hours;
    auto start = std::chrono::duration_cast<std::chrono::seconds>(cfg_.start);
    auto secs = static_cast<int>(start.count());
    acfg.kst = kst_clock::at_kst(t0_, cfg_.year, cfg_.month, cfg_.day,
                                 secs / 3600, secs / 60 % 60, secs % 60);
    acfg.tick_interval = 1s;
    arbiter_ = sys_.spawn(slot_arbiter, std::move(acfg));
    label(arbiter_, "arbiter");
    hub_config hcfg;
    hub_ = sys_.spawn(hub, hcfg, std::optional<slot_arbiter_actor>{arbiter_});
    label(hub_, "hub");
    decoder_ = sys_.spawn(decoder, std::optional<slot_arbiter_actor>{arbiter_},
                          std::optional<market_listener_actor>{
                              caf::actor_cast<market_listener_actor>(hub_)});
    label(decoder_, "decoder");
    observer_ = sys_.spawn(observer, events_);
    label(observer_, "observer");
    caf::anon_send(arbiter_, caf::subscribe_atom_v, observer_);
    for (session_id s = 0; s < cfg_.sessions; ++s) {
      auto l = sys_.spawn(kis_link, link_args{s, kis_, decoder_, trace_});
      label(l, "kis-" + session_name(s));
      links_.push_back(l);
      caf::anon_send(arbiter_, atom::attach_v, s, l);
    }
    drain();
  }

  ~runner() {
    caf::anon_send_exit(arbiter_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decoder_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(observer_, caf::exit_reason::user_shutdown);
    for (auto& l : links_)
      caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
    *trace_ = nullptr;
    sched_.run();
  }

  bool run() {
    for (auto& st : sc_.statements) {
      if (st.verb == "config")
        continue;
      std::optional<failure> fail;
      try {
        if (st.at)
          advance_to(target_of(*st.at));
        if (opts_.trace)
          out_ << "  [" << clock_text(now()) << "] " << sc_.file << ":"
               << st.line << ": " << trimmed(st.source) << '\n';
        fail = exec(st);
      } catch (const script_error& e) {
        fail = failure{"a statement that can run", e.what()};
      }
      if (fail) {
        report_failure(st, *fail);
        return false;
      }
    }
    out_ << "PASS " << sc_.file << ": " << sc_.name << '\n';
    return true;
  }

private:
  // -- setup -----------------------------------------------------------------

  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    cfg.add_message_types<caf::id_block::kisrt>();
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    cfg.set("logger.console-verbosity", caf::atom("quiet"));
    return cfg;
  }

  template <class Handle>
  void label(const Handle& h, std::string name) {
    names_[h.id()] = std::move(name);
  }

  std::string name_of(const caf::strong_actor_ptr& p) const {
    if (!p)
      return "script";
    auto i = names_.find(p->id());
    return i != names_.end() ? i->second : std::string{"actor"};
  }

  // -- time
  // --------------------------------------------------------------------

  mono_time now() const {
    return std::chrono::duration_cast<mono_time>(
        sched_.clock().now().time_since_epoch());
  }

  /// Time of day (since KST midnight) at actor time `t`.
  mono_time tod(mono_time t) const { return t - t0_ + cfg_.start; }

  std::string clock_text(mono_time t) const {
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(tod(t)).count();
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld.%03lld",
                  static_cast<long long>(ms / 3600000 % 24),
                  static_cast<long long>(ms / 60000 % 60),
                  static_cast<long long>(ms / 1000 % 60),
                  static_cast<long long>(ms % 1000));
    return buf;
  }

  std::string hhmmss() const {
    auto s =
        std::chrono::duration_cast<std::chrono::seconds>(tod(now())).count();
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%02lld%02lld%02lld",
                  static_cast<long long>(s / 3600 % 24),
                  static_cast<long long>(s / 60 % 60),
                  static_cast<long long>(s % 60));
    return buf;
  }

  mono_time target_of(const time_spec& t) const {
    auto v = std::chrono::duration_cast<mono_time>(t.value);
    if (t.relative)
      return now() + v;
    auto target = t0_ + v - cfg_.start;
    if (target < now())
      throw script_error{"time goes backwards: " + clock_text(target)
                         + " is before the current time " + clock_text(now())};
    return target;
  }

  /// Moves the clock to `target`, firing every timer at its own time (the
  /// arbiter's and the hub's ticks, the scripted feed) and delivering what
  /// follows each.
  void advance_to(mono_time target) {
    auto& clk = sched_.clock();
    for (;;) {
      auto& sch = clk.schedule();
      auto due = mono_time::max();
      if (!sch.empty())
        due = std::chrono::duration_cast<mono_time>(
            sch.begin()->first.time_since_epoch());
      if (feed_every_)
        due = std::min(due, next_feed_);
      if (due > target)
        break;
      clk.advance_time(std::max(due - now(), mono_time{0}));
      if (feed_every_ && next_feed_ <= now()) {
        next_feed_ += *feed_every_;
        feed();
      }
      drain();
    }
    if (target > now())
      clk.advance_time(target - now());
    drain();
  }

  /// Delivers every queued message, one at a time, printing each with
  /// --trace.
  void drain() {
    while (!sched_.jobs.empty()) {
      if (opts_.trace) {
        auto* a = dynamic_cast<caf::scheduled_actor*>(sched_.jobs.front());
        if (a != nullptr)
          if (auto* e = a->peek_at_next_mailbox_element())
            trace_message(*e, a->id());
      }
      sched_.try_run_once();
    }
  }

  void trace_message(const caf::mailbox_element& e, caf::actor_id to) {
    auto& msg = e.content();
    if (msg.match_elements<caf::get_atom, atom::slots>())
      return; // the runner's own snapshot queries
    if (msg.match_elements<caf::tick_atom>() && e.sender
        && e.sender->id() == to)
      return; // timers: an actor's message to itself, not an exchange
    auto i = names_.find(to);
    auto dest = i != names_.end() ? i->second : std::string{"actor"};
    (*trace_)(name_of(e.sender) + " -> " + dest + ": " + caf::to_string(msg));
  }

  /// One data frame for every quote key registered on an up session.
  void feed() {
    for (session_id s = 0; s < cfg_.sessions; ++s) {
      auto& ks = kis_->sessions[s];
      if (!ks.up)
        continue;
      for (auto& key : ks.registered)
        if (key.tr_id != "H0STCNI0" && key.tr_id != "H0STCNI9")
          caf::anon_send(decoder_, caf::receive_atom_v, s, ks.epoch,
                         scripted_kis::data_frame(key, hhmmss()));
    }
  }

  // -- state queries
  // -------------------------------------------------------------

  slot_snapshot snapshot() {
    self_->send(arbiter_, caf::get_atom_v, atom::slots_v);
    drain();
    slot_snapshot result;
    self_->receive([&](slot_snapshot& x) { result = std::move(x); });
    return result;
  }

  session_id parse_session(const word& w) const {
    return checks().parse_session(w);
  }

  std::optional<session_id> session_option(const statement& st) const {
    return checks().session_option(st);
  }

  static slot_key key_of(const statement& st) { return checker::key_of(st); }

  static std::string key_text(const slot_key& k) {
    return checker::key_text(k);
  }

  checker checks() const {
    return checker{cfg_.sessions, *events_, kis_->sessions,
                   [this](mono_time t) { return clock_text(t); }};
  }

  std::optional<failure> expect(const statement& st) {
    if (st.verb == "expect sent" || st.verb == "expect no-sent")
      return checks().expect(st, slot_snapshot{});
    return checks().expect(st, snapshot());
  }

  // -- statements
  // ------------------------------------------------------------------

  template <class T>
  void demand(T x) {
    caf::anon_send(arbiter_, std::move(x));
    drain();
  }

  void deliver(const kis_frame& f) {
    caf::anon_send(decoder_, caf::receive_atom_v, f.session, f.epoch, f.text);
    drain();
  }

  std::optional<failure> exec(const statement& st) {
    const auto& v = st.verb;
    if (v == "up") {
      auto s = parse_session(st.args[0]);
      if (kis_->sessions[s].up)
        throw script_error{st.args[0].text + " is already up"};
      kis_->connect(s);
      demand(session_up{s, kis_->sessions[s].epoch});
      return std::nullopt;
    }
    if (v == "down") {
      auto s = parse_session(st.args[0]);
      if (!kis_->sessions[s].up)
        throw script_error{st.args[0].text + " is not up"};
      kis_->disconnect(s);
      demand(session_down{s, kis_->sessions[s].epoch});
      return std::nullopt;
    }
    if (v == "holdings") {
      positions_.clear();
      holding_set hs;
      for (auto& w : st.args) {
        auto colon = w.text.find(':');
        auto code = w.text.substr(0, colon);
        std::int64_t qty = colon == std::string::npos
                               ? 1
                               : std::stoll(w.text.substr(colon + 1));
        if (qty <= 0)
          continue;
        positions_[code] = qty;
        hs.symbols.push_back(code);
      }
      demand(std::move(hs));
      return std::nullopt;
    }
    if (v == "picks") {
      pick_list pl;
      for (auto& w : st.args)
        pl.symbols.push_back(w.text);
      demand(std::move(pl));
      return std::nullopt;
    }
    if (v == "scan") {
      scan_candidates sc;
      auto n = st.args.size();
      for (std::size_t i = 0; i < n; ++i)
        sc.items.push_back(
            scan_candidate{st.args[i].text, static_cast<double>(n - i), now()});
      demand(std::move(sc));
      return std::nullopt;
    }
    if (v == "fill")
      return fill(st);
    if (v == "server cap") {
      kis_->sessions[parse_session(st.args[0])].cap =
          static_cast<std::uint32_t>(std::stoul(st.args[1].text));
      return std::nullopt;
    }
    if (v == "server reject") {
      reject_rule r;
      r.key = slot_key{st.args[0].text, st.args[1].text};
      r.msg_cd = st.args[2].text;
      auto count = st.option("count", "1");
      r.remaining = count == "0" ? -1 : std::stoi(count);
      r.session = session_option(st);
      kis_->rejects.push_back(std::move(r));
      return std::nullopt;
    }
    if (v == "server ack") {
      kis_->manual = st.args[0].text == "manual";
      if (!kis_->manual) {
        std::vector<kis_frame> frames;
        kis_->answer_held(frames);
        for (auto& f : frames)
          deliver(f);
      }
      return std::nullopt;
    }
    if (v == "server feed") {
      if (st.args[0].text == "off") {
        feed_every_.reset();
        return std::nullopt;
      }
      auto every = parse_duration(st.option("every", "10s"));
      if (!every || every->count() <= 0)
        throw script_error{"every='" + st.option("every")
                           + "': expected a duration such as 10s"};
      feed_every_ = *every;
      next_feed_ = now() + *every;
      return std::nullopt;
    }
    if (v == "ack") {
      auto s = parse_session(st.args[0]);
      auto& ks = kis_->sessions[s];
      epoch_t epoch = ks.epoch;
      if (auto e = st.option("epoch"); !e.empty())
        epoch = std::stoull(e);
      if (epoch == 0 || epoch > ks.epoch)
        throw script_error{st.args[0].text + " has no epoch "
                           + std::to_string(epoch) + " (current "
                           + std::to_string(ks.epoch) + ")"};
      deliver(kis_->ack(s, epoch, slot_key{st.args[1].text, st.args[2].text},
                        st.args[3].text));
      return std::nullopt;
    }
    if (v == "request") {
      auto level = std::stoul(st.option("priority"));
      if (level < 1 || level > 255)
        throw script_error{"priority must be 1..255"};
      demand(slot_request{st.option("owner"), key_of(st),
                          static_cast<priority>(level)});
      return std::nullopt;
    }
    if (v == "release") {
      demand(slot_release{st.option("owner"), key_of(st)});
      return std::nullopt;
    }
    if (v == "seen")
      return seen(st);
    return expect(st);
  }

  std::optional<failure> fill(const statement& st) {
    bool buy = st.args[0].text == "buy";
    auto code = st.args[1].text;
    auto qty = std::stoll(st.args[2].text);
    auto price = std::stoll(st.option("price", "10000"));
    auto& pos = positions_[code];
    pos = buy ? pos + qty : std::max<std::int64_t>(0, pos - qty);
    auto position = pos;
    if (position == 0)
      positions_.erase(code);
    // The notice goes over the wire when a session carries it, so the
    // decoder path runs; the position reaches the arbiter directly until
    // portfolio_sync exists.
    if (auto s = kis_->notice_session(session_option(st), "H0STCNI0")) {
      auto frame =
          kis_->fill_frame(*s, buy, code, qty, price, hhmmss(), "H0STCNI0");
      deliver(kis_frame{*s, kis_->sessions[*s].epoch, frame});
    }
    demand(position_update{code, position});
    return std::nullopt;
  }

  std::optional<failure> seen(const statement& st) {
    auto key = key_of(st);
    auto s = session_option(st);
    if (!s) {
      for (session_id i = 0; i < cfg_.sessions && !s; ++i)
        if (kis_->sessions[i].registered.count(key) != 0)
          s = i;
    }
    if (!s)
      throw script_error{"seen: " + key_text(key)
                         + " is registered on no session (name one with "
                           "session=)"};
    deliver(kis_frame{*s, kis_->sessions[*s].epoch,
                      scripted_kis::data_frame(key, hhmmss())});
    return std::nullopt;
  }

  // -- reports
  // -----------------------------------------------------------------------

  static std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
  }

  void report_failure(const statement& st, const failure& f) {
    out_ << "FAIL " << sc_.file << ":" << st.line << ": " << sc_.name << '\n'
         << "  statement: " << trimmed(st.source) << '\n'
         << "  expected:  " << f.expected << '\n'
         << "  actual:    " << f.actual << '\n'
         << "  slot table at " << clock_text(now()) << " KST:\n";
    auto snap = snapshot();
    for (auto& s : snap.sessions)
      out_ << "    " << session_name(s.id) << (s.up ? " up" : " down")
           << " epoch=" << s.epoch << " cap=" << s.cap
           << " learned_cap=" << s.learned_cap << " used=" << s.used << '\n';
    for (auto& s : snap.slots) {
      char buf[160];
      std::snprintf(buf, sizeof(buf), "    %-3s %-8s %-8s %-9s p%-3u %s",
                    session_name(s.session).c_str(), s.key.tr_id.c_str(),
                    s.key.tr_key.c_str(), to_string(s.state).c_str(),
                    static_cast<unsigned>(s.level),
                    owners_text(s.owners).c_str());
      out_ << buf << " since " << clock_text(s.since) << '\n';
    }
  }

  const script& sc_;
  scenario_config cfg_;
  run_options opts_;
  std::ostream& out_;
  caf::actor_system_config sys_cfg_;
  caf::actor_system sys_;
  caf::scheduler::test_coordinator& sched_;
  caf::scoped_actor self_;
  std::shared_ptr<scripted_kis> kis_;
  event_log events_;
  trace_fn trace_;
  mono_time t0_{0};
  slot_arbiter_actor arbiter_;
  hub_actor hub_;
  decoder_actor decoder_;
  slot_observer_actor observer_;
  std::vector<connection_actor> links_;
  std::map<caf::actor_id, std::string> names_;
  std::map<std::string, std::int64_t> positions_;
  std::optional<mono_time> feed_every_;
  mono_time next_feed_{0};
};

// -- the live runner ---------------------------------------------------------

/// What the live actors record, shared with the runner's thread.
struct live_shared {
  std::mutex mx;
  std::vector<timed_event> events;
  std::vector<kis_session> wire;
  std::uint64_t commands = 0;
};

struct live_observer_state {
  static inline const char* name = "observer";
};

slot_observer_actor::behavior_type
live_observer(slot_observer_actor::stateful_pointer<live_observer_state> self,
              std::shared_ptr<live_shared> sh) {
  auto rec = [self, sh](auto x) {
    std::lock_guard<std::mutex> guard{sh->mx};
    sh->events.push_back(
        timed_event{std::chrono::duration_cast<mono_time>(
                        self->clock().now().time_since_epoch()),
                    slot_event{std::move(x)}});
  };
  return {
      [rec](const slot_granted& x) { rec(x); },
      [rec](const slot_active& x) { rec(x); },
      [rec](const slot_evicted& x) { rec(x); },
      [rec](const slot_rejected& x) { rec(x); },
      [rec](const slots_starved& x) { rec(x); },
      [rec](const session_replayed& x) { rec(x); },
      [rec](const slot_stale& x) { rec(x); },
  };
}

struct recorder_state {
  static inline const char* name = "recorder";
};

/// Between the arbiter and a real connection: records every command (what
/// the gateway put on the wire, with its epoch) and passes it on.
connection_actor::behavior_type
recording_link(connection_actor::stateful_pointer<recorder_state> self,
               session_id s, connection_full_actor conn,
               std::shared_ptr<live_shared> sh, trace_fn trace) {
  return {
      [=](const wire_command& c) {
        {
          std::lock_guard<std::mutex> guard{sh->mx};
          wire_entry e;
          e.epoch = c.epoch;
          e.op = c.op;
          e.key = c.key;
          e.at = std::chrono::duration_cast<mono_time>(
              self->clock().now().time_since_epoch());
          sh->wire.at(s).log.push_back(e);
          ++sh->commands;
        }
        if (*trace)
          (*trace)("arbiter -> connection s" + std::to_string(s + 1) + ": "
                   + to_string(c.op) + " " + c.key.tr_id + " " + c.key.tr_key
                   + " (epoch " + std::to_string(c.epoch) + ")");
        self->send(conn, c);
      },
  };
}

/// The --live subset against kisrt-sim in-process over loopback sockets:
/// the real connection actors (approval key over REST, WebSocket, pacing,
/// PINGPONG), the arbiter, decoder and hub on CAF's normal scheduler, in
/// real time. `at` only orders statements; after every statement the
/// runner waits until nothing is pending or releasing.
class live_runner {
public:
  live_runner(const script& sc, const scenario_config& cfg,
              const run_options& opts, std::ostream& out)
      : sc_(sc)
      , cfg_(cfg)
      , out_(out)
      , sys_(init(sys_cfg_))
      , self_(sys_)
      , sh_(std::make_shared<live_shared>())
      , trace_(std::make_shared<std::function<void(const std::string&)>>()) {
    sh_->wire.resize(cfg_.sessions);
    for (std::uint32_t i = 0; i < cfg_.sessions; ++i)
      sh_->wire[i].hts_id = "hts" + std::to_string(i + 1);
    // Connection logs (reconnect attempts) only with --trace.
    spdlog::set_level(opts.trace ? spdlog::level::info : spdlog::level::warn);
    if (opts.trace)
      *trace_ = [this](const std::string& line) {
        std::lock_guard<std::mutex> guard{trace_mx_};
        out_ << "  " << line << '\n';
      };
    sim::options so;
    so.rest_plain = true;
    so.log_level = "off";
    so.hold_after_close = std::chrono::milliseconds{0};
    so.kst_start = 10 * 3600; // market open: orders fill
    for (std::uint32_t i = 0; i < cfg_.sessions; ++i)
      so.accounts.push_back(account_of(i));
    sim_ = std::make_unique<sim::simulator>(so);
    auto ports = sim_->start();
    rest_url_ = "http://127.0.0.1:" + std::to_string(ports.rest);
    ws_url_ = "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
    io_ = std::make_shared<net::io_runner>();
    io_->start();
    slot_arbiter_config acfg;
    acfg.slots = cfg_.slots;
    acfg.hours = cfg_.hours;
    auto secs = static_cast<int>(cfg_.start.count());
    acfg.kst = kst_clock::at_kst(now(), cfg_.year, cfg_.month, cfg_.day,
                                 secs / 3600, secs / 60 % 60, secs % 60);
    arbiter_ = sys_.spawn(slot_arbiter, std::move(acfg));
    hub_ = sys_.spawn(hub, hub_config{},
                      std::optional<slot_arbiter_actor>{arbiter_});
    decoder_ = sys_.spawn(decoder, std::optional<slot_arbiter_actor>{arbiter_},
                          std::optional<market_listener_actor>{
                              caf::actor_cast<market_listener_actor>(hub_)});
    observer_ = sys_.spawn(live_observer, sh_);
    caf::anon_send(arbiter_, caf::subscribe_atom_v, observer_);
    conns_.resize(cfg_.sessions);
  }

  ~live_runner() {
    *trace_ = nullptr;
    for (auto& c : conns_)
      if (c)
        caf::anon_send(*c, caf::close_atom_v);
    for (auto& c : conns_)
      if (c)
        caf::anon_send_exit(*c, caf::exit_reason::user_shutdown);
    for (auto& l : links_)
      caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(arbiter_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(decoder_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(observer_, caf::exit_reason::user_shutdown);
    io_->drain(std::chrono::milliseconds{500});
    sim_->stop();
  }

  bool run() {
    for (auto& st : sc_.statements) {
      if (st.verb == "config")
        continue;
      std::optional<failure> fail;
      try {
        if (*trace_)
          (*trace_)(sc_.file + ":" + std::to_string(st.line) + ": "
                    + st.source);
        fail = exec(st);
        if (!fail)
          settle();
      } catch (const script_error& e) {
        fail = failure{"a statement that can run", e.what()};
      }
      if (fail) {
        report(st, *fail);
        return false;
      }
    }
    out_ << "PASS " << sc_.file << ": " << sc_.name << " (live)\n";
    return true;
  }

private:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    cfg.add_message_types<caf::id_block::kisrt>();
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    cfg.set("logger.console-verbosity", caf::atom("quiet"));
    return cfg;
  }

  static sim::account account_of(std::uint32_t i) {
    auto n = std::to_string(i + 1);
    return sim::account{"scenario-appkey-s" + n,
                        "scenario-secret-s" + n + "-0123456789abcdef",
                        "hts" + n, std::to_string(50000001 + i)};
  }

  mono_time now() {
    return std::chrono::duration_cast<mono_time>(
        sys_.clock().now().time_since_epoch());
  }

  std::string clock_text(mono_time t) const {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
    return "+" + std::to_string(ms) + "ms";
  }

  slot_snapshot snapshot() {
    slot_snapshot result;
    self_
        ->request(arbiter_, std::chrono::seconds{10}, caf::get_atom_v,
                  atom::slots_v)
        .receive([&](slot_snapshot& x) { result = std::move(x); },
                 [&](caf::error& err) {
                   throw script_error{"no slot snapshot: "
                                      + caf::to_string(err)};
                 });
    return result;
  }

  /// Waits (at most 10 s) until the arbiter has nothing pending or
  /// releasing and no command went out for a short while.
  void settle() {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::seconds{10};
    std::uint64_t last = ~std::uint64_t{0};
    int calm = 0;
    while (clock::now() < deadline) {
      auto snap = snapshot();
      bool busy = false;
      for (auto& s : snap.slots)
        busy = busy || s.state == slot_state::pending
               || s.state == slot_state::releasing;
      std::uint64_t n;
      {
        std::lock_guard<std::mutex> guard{sh_->mx};
        n = sh_->commands;
      }
      calm = (!busy && n == last) ? calm + 1 : 0;
      last = n;
      if (calm >= 3)
        return;
      self_->receive(caf::after(std::chrono::milliseconds{50}) >> [] {});
    }
  }

  template <class Pred>
  void wait_for(const std::string& what, Pred pred) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::seconds{20};
    while (clock::now() < deadline) {
      if (pred(snapshot()))
        return;
      self_->receive(caf::after(std::chrono::milliseconds{20}) >> [] {});
    }
    throw script_error{what + " within 20 s"};
  }

  session_id session_arg(const word& w) {
    auto s = session_of(w.text);
    if (s >= cfg_.sessions)
      throw script_error{"no session " + w.text + " (config sessions="
                         + std::to_string(cfg_.sessions) + ")"};
    return s;
  }

  std::string app_key(session_id s) const { return account_of(s).app_key; }

  std::optional<failure> exec(const statement& st) {
    const auto& v = st.verb;
    if (v == "up") {
      auto s = session_arg(st.args[0]);
      epoch_t before = 0;
      {
        std::lock_guard<std::mutex> guard{sh_->mx};
        before = sh_->wire[s].epoch;
      }
      if (!conns_[s]) {
        connection_config cc;
        cc.session = s;
        cc.label = st.args[0].text;
        // A dropped session stays down long enough for the statements
        // between `down` and `up` (each waits for the arbiter to settle).
        cc.backoff_min = std::chrono::seconds{5};
        cc.backoff_max = std::chrono::seconds{6};
        connection_endpoints ends;
        ends.ws_url = ws_url_;
        ends.rest_url = rest_url_;
        ends.app_key = app_key(s);
        ends.app_secret = account_of(s).app_secret;
        conns_[s] = sys_.spawn(connection, cc, ends, io_, arbiter_, decoder_,
                               std::uint64_t{0x5eed + s});
        auto link = sys_.spawn(recording_link, s, *conns_[s], sh_, trace_);
        links_.push_back(link);
        caf::anon_send(arbiter_, atom::attach_v, s, link);
      }
      // A dropped connection comes back by itself (after its backoff).
      epoch_t epoch = 0;
      wait_for(st.args[0].text + " up", [&](const slot_snapshot& snap) {
        for (auto& x : snap.sessions)
          if (x.id == s && x.up && x.epoch > before) {
            epoch = x.epoch;
            return true;
          }
        return false;
      });
      std::lock_guard<std::mutex> guard{sh_->mx};
      auto& ks = sh_->wire[s];
      ks.up = true;
      ks.epoch = epoch;
      ks.cursor = ks.log.size();
      for (std::size_t i = 0; i < ks.log.size(); ++i)
        if (ks.log[i].epoch == epoch) {
          ks.cursor = i;
          break;
        }
      return std::nullopt;
    }
    if (v == "down") {
      auto s = session_arg(st.args[0]);
      auto r = sim_->inject_fault("{\"kind\":\"drop\",\"close_frame\":false,"
                                  "\"app_key\":\""
                                  + app_key(s) + "\"}");
      if (r.status != 200)
        throw script_error{"the simulator refused the drop: " + r.body};
      wait_for(st.args[0].text + " down", [&](const slot_snapshot& snap) {
        for (auto& x : snap.sessions)
          if (x.id == s && !x.up)
            return true;
        return false;
      });
      std::lock_guard<std::mutex> guard{sh_->mx};
      sh_->wire[s].up = false;
      return std::nullopt;
    }
    if (v == "holdings") {
      positions_.clear();
      holding_set hs;
      for (auto& w : st.args) {
        auto colon = w.text.find(':');
        auto code = w.text.substr(0, colon);
        std::int64_t qty = colon == std::string::npos
                               ? 1
                               : std::stoll(w.text.substr(colon + 1));
        if (qty <= 0)
          continue;
        positions_[code] = qty;
        hs.symbols.push_back(code);
      }
      caf::anon_send(arbiter_, std::move(hs));
      return std::nullopt;
    }
    if (v == "picks") {
      pick_list pl;
      for (auto& w : st.args)
        pl.symbols.push_back(w.text);
      caf::anon_send(arbiter_, std::move(pl));
      return std::nullopt;
    }
    if (v == "scan") {
      scan_candidates sc;
      auto n = st.args.size();
      for (std::size_t i = 0; i < n; ++i)
        sc.items.push_back(
            scan_candidate{st.args[i].text, static_cast<double>(n - i), now()});
      caf::anon_send(arbiter_, std::move(sc));
      return std::nullopt;
    }
    if (v == "request") {
      auto level = std::stoul(st.option("priority"));
      if (level < 1 || level > 255)
        throw script_error{"priority must be 1..255"};
      caf::anon_send(arbiter_,
                     slot_request{st.option("owner"), checker::key_of(st),
                                  static_cast<priority>(level)});
      return std::nullopt;
    }
    if (v == "release") {
      caf::anon_send(arbiter_,
                     slot_release{st.option("owner"), checker::key_of(st)});
      return std::nullopt;
    }
    if (v == "fill") {
      bool buy = st.args[0].text == "buy";
      auto code = st.args[1].text;
      auto qty = std::stoll(st.args[2].text);
      session_id s = 0;
      if (auto w = st.options.find("session"); w != st.options.end())
        s = session_arg(w->second);
      sim::order_request req;
      req.cano = account_of(s).cano;
      req.code = code;
      req.side = buy ? "buy" : "sell";
      req.qty = qty;
      auto r = sim_->place_order(req);
      if (r.status != 200)
        throw script_error{"the simulator refused the order: " + r.body};
      auto& pos = positions_[code];
      pos = buy ? pos + qty : std::max<std::int64_t>(0, pos - qty);
      auto position = pos;
      if (position == 0)
        positions_.erase(code);
      caf::anon_send(arbiter_, position_update{code, position});
      return std::nullopt;
    }
    if (v == "server cap") {
      auto s = session_arg(st.args[0]);
      auto r = sim_->inject_fault("{\"kind\":\"cap\",\"cap\":" + st.args[1].text
                                  + ",\"app_key\":\"" + app_key(s) + "\"}");
      if (r.status != 200)
        throw script_error{"the simulator refused the cap: " + r.body};
      return std::nullopt;
    }
    if (v == "server feed") {
      if (st.args[0].text == "on")
        return std::nullopt; // the simulator sends quotes anyway
      throw script_error{"'server feed off' is not available with --live"};
    }
    if (v.rfind("expect", 0) == 0) {
      auto snap = v == "expect sent" || v == "expect no-sent" ? slot_snapshot{}
                                                              : snapshot();
      std::lock_guard<std::mutex> guard{sh_->mx};
      auto events = sh_->events;
      checker c{cfg_.sessions, events, sh_->wire,
                [this](mono_time t) { return clock_text(t); }};
      return c.expect(st, snap);
    }
    throw script_error{"'" + v + "' is not available with --live"};
  }

  void report(const statement& st, const failure& f) {
    out_ << "FAIL " << sc_.file << ":" << st.line << ": " << sc_.name
         << " (live)\n"
         << "  statement: " << st.source << '\n'
         << "  expected:  " << f.expected << '\n'
         << "  actual:    " << f.actual << '\n'
         << "  slot table:\n";
    try {
      auto snap = snapshot();
      for (auto& s : snap.sessions)
        out_ << "    " << session_name(s.id) << (s.up ? " up" : " down")
             << " epoch=" << s.epoch << " cap=" << s.cap
             << " learned_cap=" << s.learned_cap << " used=" << s.used << '\n';
      for (auto& s : snap.slots)
        out_ << "    " << session_name(s.session) << " " << s.key.tr_id << " "
             << s.key.tr_key << " " << to_string(s.state) << " p"
             << static_cast<unsigned>(s.level) << " " << owners_text(s.owners)
             << '\n';
    } catch (const script_error& e) {
      out_ << "    (" << e.what() << ")\n";
    }
  }

  const script& sc_;
  scenario_config cfg_;
  std::ostream& out_;
  caf::actor_system_config sys_cfg_;
  caf::actor_system sys_;
  caf::scoped_actor self_;
  std::shared_ptr<live_shared> sh_;
  trace_fn trace_;
  std::mutex trace_mx_;
  std::unique_ptr<sim::simulator> sim_;
  std::shared_ptr<net::io_runner> io_;
  std::string rest_url_, ws_url_;
  slot_arbiter_actor arbiter_;
  hub_actor hub_;
  decoder_actor decoder_;
  slot_observer_actor observer_;
  std::vector<std::optional<connection_full_actor>> conns_;
  std::vector<connection_actor> links_;
  std::map<std::string, std::int64_t> positions_;
};

} // namespace

std::optional<parse_error> check_config(const script& sc) {
  scenario_config cfg;
  return build_config(sc, cfg);
}

outcome run(const script& sc, const run_options& opts, std::ostream& out) {
  scenario_config cfg;
  if (auto err = build_config(sc, cfg)) {
    out << err->to_string() << '\n';
    return outcome::fail;
  }
  if (opts.live) {
    if (!cfg.live) {
      out << "SKIP " << sc.file << ": " << sc.name
          << " (not marked config live=on)\n";
      return outcome::skip;
    }
    live_runner r{sc, cfg, opts, out};
    return r.run() ? outcome::pass : outcome::fail;
  }
  runner r{sc, cfg, opts, out};
  return r.run() ? outcome::pass : outcome::fail;
}

} // namespace kisrt::scenario
