// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/runner.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/detail/test_actor_clock.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "actors/kst_clock.hpp"
#include "actors/picks_loader.hpp"
#include "actors/portfolio_sync.hpp"
#include "actors/scanner.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/checker.hpp"
#include "apps/kisrt-scenario/live_runner.hpp"
#include "apps/kisrt-scenario/scenario_config.hpp"
#include "apps/kisrt-scenario/scripted_kis.hpp"
#include "apps/kisrt-scenario/scripted_pick_store.hpp"
#include "messages/type_ids.hpp"
#include "net/kis/requests.hpp"

namespace kisrt::scenario {

namespace {

using namespace std::chrono_literals;

// -- actors of the runner
// --------------------------------------------------------

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
    kst_ = kst_clock::at_kst(t0_, cfg_.year, cfg_.month, cfg_.day, secs / 3600,
                             secs / 60 % 60, secs % 60);
    acfg.kst = kst_;
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
    // The P1 source: fill notices from the decoder, balance snapshots from
    // `holdings` lines (no REST source, no periodic poll).
    // The P3 source: `ranking` lines are its input; it follows holdings
    // and picks to skip them.
    scanner_config scfg;
    scfg.kst = kst_;
    scfg.hours = cfg_.hours;
    scfg.filter = cfg_.scan;
    scanner_ = sys_.spawn(scanner, std::move(scfg), arbiter_);
    label(scanner_, "scanner");
    portfolio_sync_config pcfg;
    pcfg.poll_interval = mono_time{0};
    pcfg.listeners.push_back(caf::actor_cast<holding_listener_actor>(scanner_));
    portfolio_ = sys_.spawn(portfolio_sync, std::move(pcfg), arbiter_);
    // The P2 source: `picks` lines fill its table and reach it as a pick
    // set; it reloads the table at 07:20 KST like the gateway's.
    picks_loader_config lcfg;
    lcfg.store = picks_store_;
    lcfg.kst = kst_;
    lcfg.top_n = cfg_.pick_top;
    lcfg.listeners.push_back(caf::actor_cast<pick_listener_actor>(scanner_));
    loader_ = sys_.spawn(picks_loader, std::move(lcfg), arbiter_);
    label(loader_, "picks_loader");
    label(portfolio_, "portfolio_sync");
    caf::anon_send(decoder_, caf::subscribe_atom_v,
                   caf::actor_cast<market_listener_actor>(portfolio_));
    caf::anon_send(arbiter_, caf::subscribe_atom_v,
                   caf::actor_cast<slot_observer_actor>(portfolio_));
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
    caf::anon_send_exit(portfolio_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(loader_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(scanner_, caf::exit_reason::user_shutdown);
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
    if (msg.match_elements<caf::get_atom, atom::slots>()
        || msg.match_elements<caf::get_atom, atom::holdings>())
      return; // the runner's own queries
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
      caf::anon_send(portfolio_, balance_of(st));
      drain();
      return std::nullopt;
    }
    if (v == "picks") {
      caf::anon_send(loader_, picks_store_->set(st));
      drain();
      return std::nullopt;
    }
    if (v == "ranking") {
      ranking_snapshot rs;
      for (auto& w : st.args) {
        auto a = w.text.find(':');
        auto b = w.text.find(':', a + 1);
        rs.rows.push_back(ranking_entry{
            w.text.substr(0, a),
            std::strtod(w.text.substr(a + 1, b - a - 1).c_str(), nullptr),
            std::stoll(w.text.substr(b + 1))});
      }
      caf::anon_send(scanner_, std::move(rs));
      drain();
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
    if (v == "expect position")
      return expect_position(st);
    return expect(st);
  }

  /// An execution notice over the wire: scripted KIS -> decoder ->
  /// portfolio_sync -> position_update to the arbiter.
  std::optional<failure> fill(const statement& st) {
    bool buy = st.args[0].text == "buy";
    auto code = st.args[1].text;
    auto qty = std::stoll(st.args[2].text);
    auto price = std::stoll(st.option("price", "10000"));
    auto s = kis_->notice_session(session_option(st), "H0STCNI0");
    if (!s)
      throw script_error{"fill: no session carries the execution notice "
                         "H0STCNI0 (config notice=on, an up session with the "
                         "notice registered)"};
    auto frame =
        kis_->fill_frame(*s, buy, code, qty, price, hhmmss(), "H0STCNI0");
    deliver(kis_frame{*s, kis_->sessions[*s].epoch, frame});
    return std::nullopt;
  }

  /// `expect position CODE QTY`: portfolio_sync's position of CODE.
  std::optional<failure> expect_position(const statement& st) {
    self_->send(portfolio_, caf::get_atom_v, atom::holdings_v);
    drain();
    balance_snapshot held;
    self_->receive([&](balance_snapshot& x) { held = std::move(x); });
    std::int64_t qty = 0;
    std::string all;
    for (auto& r : held.rows) {
      if (r.code == st.args[0].text)
        qty = r.qty;
      all += (all.empty() ? "" : " ") + r.code + ":" + std::to_string(r.qty);
    }
    if (std::to_string(qty) == st.args[1].text)
      return std::nullopt;
    return failure{st.args[0].text + " position " + st.args[1].text,
                   st.args[0].text + " position " + std::to_string(qty)
                       + " (held: " + (all.empty() ? "nothing" : all) + ")"};
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
  portfolio_sync_actor portfolio_;
  std::shared_ptr<scripted_pick_store> picks_store_ =
      std::make_shared<scripted_pick_store>();
  std::optional<kst_clock> kst_;
  picks_loader_actor loader_;
  scanner_actor scanner_;
  std::optional<mono_time> feed_every_;
  mono_time next_feed_{0};
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
  // The actors' log lines (fills, reconnects, an empty picks table) only
  // with --trace: the report is the runner's output.
  spdlog::set_level(opts.trace ? spdlog::level::info : spdlog::level::err);
  if (opts.live) {
    if (!cfg.live) {
      out << "SKIP " << sc.file << ": " << sc.name
          << " (not marked config live=on)\n";
      return outcome::skip;
    }
    return run_live(sc, cfg, opts, out) ? outcome::pass : outcome::fail;
  }
  runner r{sc, cfg, opts, out};
  return r.run() ? outcome::pass : outcome::fail;
}

} // namespace kisrt::scenario
