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

#include "actors/assembly.hpp"
#include "actors/connection.hpp"
#include "actors/kst_clock.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/checker.hpp"
#include "apps/kisrt-scenario/live_runner.hpp"
#include "apps/kisrt-scenario/runner_common.hpp"
#include "apps/kisrt-scenario/scenario_config.hpp"
#include "apps/kisrt-scenario/scripted_kis.hpp"
#include "apps/kisrt-scenario/scripted_pick_store.hpp"
#include "messages/type_ids.hpp"
#include "net/kis/requests.hpp"

namespace kisrt::scenario {

namespace {

using namespace std::chrono_literals;

// -- the runner --

class runner {
public:
  runner(const script& sc, const scenario_config& cfg, const run_options& opts,
         std::ostream& out)
      : sc_(sc)
      , cfg_(cfg)
      , opts_(opts)
      , out_(out)
      , sys_(configure_system(sys_cfg_, true))
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
    acfg.calendar = cfg_.calendar;
    kst_ = kst_of(cfg_, t0_);
    acfg.kst = kst_;
    acfg.tick_interval = 1s;
    // The core through the gateway's assembly, with the real connection
    // actors and the production settings on transports to the scripted
    // server: each fetches its approval key and dials at once; the server
    // accepts at the session's first `up`.
    kis_->clock = [this] { return now(); };
    kis_->trace = trace_;
    std::vector<session_spec> sessions;
    for (session_id s = 0; s < cfg_.sessions; ++s)
      sessions.push_back(session_of_index(s, true));
    a_.start(
        sys_, cfg_, std::move(acfg), *kst_, picks_store_, std::move(sessions),
        [kis = kis_](caf::actor_system& sys, const session_spec& s,
                     const connection_wiring& w) {
          return sys.spawn(connection_with, s.connection,
                           kis->deps(s.connection.session), w.arbiter,
                           w.decoder, s.seed);
        },
        [log = events_](timed_event e) { log->push_back(std::move(e)); });
    label(a_.arbiter(), "arbiter");
    label(a_.hub(), "hub");
    label(a_.decoder(), "decoder");
    label(a_.observer(), "observer");
    label(a_.scanner(), "scanner");
    label(a_.loader(), "picks_loader");
    label(a_.portfolio(), "portfolio_sync");
    for (session_id s = 0; s < cfg_.sessions; ++s)
      label(*a_.connection(s), "connection-" + session_name(s));
    next_ping_ = t0_ + ping_every;
    drain();
  }

  ~runner() {
    kis_->forget_lines();
    a_.stop(std::chrono::milliseconds{0});
    *trace_ = nullptr;
    sched_.run();
  }

  bool run() {
    return run_statements(
        sc_, out_, "",
        [this](const statement& st) {
          if (st.at)
            advance_to(target_of(*st.at));
          if (opts_.trace)
            out_ << "  [" << clock_text(now()) << "] " << sc_.file << ":"
                 << st.line << ": " << trimmed(st.source) << '\n';
          return exec(st);
        },
        [this](const statement& st, const failure& f) {
          report_failure(st, f);
        });
  }

private:
  // -- setup -----------------------------------------------------------------

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

  // -- time --

  mono_time now() const { return now_of(sched_.clock()); }

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
  /// arbiter's, the hub's and the connections' ticks, the server's
  /// PINGPONG, the scripted feed) and delivering what follows each. With
  /// `done`, stops as soon as it holds (checked after each timer); returns
  /// whether it held.
  bool advance_to(mono_time target,
                  const std::function<bool()>& done = nullptr) {
    auto& clk = sched_.clock();
    for (;;) {
      if (done && done())
        return true;
      auto& sch = clk.schedule();
      auto due = std::min(mono_time::max(), next_ping_);
      if (!sch.empty())
        due = std::min(due, std::chrono::duration_cast<mono_time>(
                                sch.begin()->first.time_since_epoch()));
      if (feed_every_)
        due = std::min(due, next_feed_);
      if (due > target)
        break;
      clk.advance_time(std::max(due - now(), mono_time{0}));
      if (next_ping_ <= now()) {
        next_ping_ += ping_every;
        kis_->ping(datetime());
      }
      if (feed_every_ && next_feed_ <= now()) {
        next_feed_ += *feed_every_;
        feed();
      }
      drain();
    }
    if (target > now())
      clk.advance_time(target - now());
    drain();
    return done && done();
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
    auto from = name_of(e.sender);
    if (!e.sender && is_connection(to)
        && (msg.match_elements<caf::receive_atom, std::uint64_t, std::string>()
            || msg.match_elements<caf::open_atom, std::uint64_t>()
            || msg.match_elements<caf::close_atom, std::uint64_t, std::string>()
            || msg.match_elements<approval_result>())) {
      // What the connection's transport (the scripted server) reports.
      if (msg.match_elements<caf::receive_atom, std::uint64_t, std::string>()
          && msg.get_as<std::string>(2).find("\"PINGPONG\"")
                 != std::string::npos)
        return; // the keep-alive every 10 s
      if (msg.match_elements<approval_result>()) {
        // An approval key is a secret, also a scripted one.
        (*trace_)("kis -> " + names_[to] + ": approval "
                  + (msg.get_as<approval_result>(0).ok ? "key" : "failed"));
        return;
      }
      from = "kis";
    }
    auto i = names_.find(to);
    auto dest = i != names_.end() ? i->second : std::string{"actor"};
    (*trace_)(from + " -> " + dest + ": " + caf::to_string(msg));
  }

  bool is_connection(caf::actor_id id) const {
    for (session_id s = 0; s < cfg_.sessions; ++s)
      if (auto* c = a_.connection(s); c != nullptr && c->id() == id)
        return true;
    return false;
  }

  /// The server's PINGPONG datetime (KST) at the current time.
  std::string datetime() const {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%04d%02d%02d", cfg_.year, cfg_.month,
                  cfg_.day);
    return buf + hhmmss();
  }

  /// One data frame for every quote key registered on an up session, on
  /// its connection.
  void feed() {
    for (session_id s = 0; s < cfg_.sessions; ++s) {
      auto& ks = kis_->sessions[s];
      if (!ks.up)
        continue;
      std::vector<slot_key> keys{ks.registered.begin(), ks.registered.end()};
      for (auto& key : keys)
        if (key.tr_id != "H0STCNI0" && key.tr_id != "H0STCNI9")
          kis_->send(s, scripted_kis::data_frame(key, hhmmss()));
    }
  }

  // -- state queries --

  slot_snapshot snapshot() {
    self_->send(a_.arbiter(), caf::get_atom_v, atom::slots_v);
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

  // -- statements --

  /// Sends `x` to `to` and delivers what follows.
  template <class Handle, class T>
  void post(const Handle& to, T x) {
    caf::anon_send(to, std::move(x));
    drain();
  }

  template <class T>
  void demand(T x) {
    post(a_.arbiter(), std::move(x));
  }

  /// A server frame: on the session's connection when it belongs to the
  /// open one; a frame of an older (or closed) connection goes straight to
  /// the decoder with its epoch, as a frame the old socket had already
  /// handed on before the reconnect.
  void deliver(const kis_frame& f) {
    auto& ks = kis_->sessions.at(f.session);
    if (!(ks.up && f.epoch == ks.epoch && kis_->send(f.session, f.text)))
      caf::anon_send(a_.decoder(), caf::receive_atom_v, f.session, f.epoch,
                     f.text);
    drain();
  }

  std::optional<failure> exec(const statement& st) {
    const auto& v = st.verb;
    if (v == "up") {
      auto s = parse_session(st.args[0]);
      auto& ks = kis_->sessions[s];
      if (ks.up)
        throw script_error{st.args[0].text + " is already up"};
      // The server accepts again: the connection's waiting attempt opens
      // at once; one still backing off opens at its next attempt, and the
      // clock moves on to it.
      kis_->accept(s);
      drain();
      if (!advance_to(now() + up_patience, [&] { return ks.up; }))
        throw script_error{
            st.args[0].text + "'s connection did not connect within "
            + std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(up_patience)
                    .count())
            + " s"};
      return std::nullopt;
    }
    if (v == "down") {
      auto s = parse_session(st.args[0]);
      if (!kis_->sessions[s].up)
        throw script_error{st.args[0].text + " is not up"};
      kis_->drop(s);
      drain();
      return std::nullopt;
    }
    if (v == "holdings") {
      post(a_.portfolio(), balance_of(st));
      return std::nullopt;
    }
    if (v == "picks") {
      post(a_.loader(), picks_store_->set(st));
      return std::nullopt;
    }
    if (v == "ranking") {
      post(a_.scanner(), ranking_of(st));
      return std::nullopt;
    }
    if (v == "scan") {
      demand(scan_of(st, now()));
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
      demand(request_of(st));
      return std::nullopt;
    }
    if (v == "release") {
      demand(release_of(st));
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
    self_->send(a_.portfolio(), caf::get_atom_v, atom::holdings_v);
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

  // -- reports --

  static std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
  }

  void report_failure(const statement& st, const failure& f) {
    print_failure_head(out_, sc_, st, trimmed(st.source), f, "");
    out_ << "  slot table at " << clock_text(now()) << " KST:\n";
    auto snap = snapshot();
    print_sessions(out_, snap);
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
  scenario_core a_;
  /// The scripted server's PINGPONG interval (KIS: ~10 s and more).
  static constexpr mono_time ping_every = std::chrono::seconds{10};
  /// How long `up` waits for a connection backing off.
  static constexpr mono_time up_patience = std::chrono::seconds{120};
  mono_time next_ping_{0};
  std::map<caf::actor_id, std::string> names_;
  std::shared_ptr<scripted_pick_store> picks_store_ =
      std::make_shared<scripted_pick_store>();
  std::optional<kst_clock> kst_;
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
