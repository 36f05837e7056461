// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/live_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/assembly.hpp"
#include "actors/connection.hpp"
#include "actors/kst_clock.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/checker.hpp"
#include "apps/kisrt-scenario/runner_common.hpp"
#include "apps/kisrt-scenario/scripted_pick_store.hpp"
#include "messages/type_ids.hpp"
#include "net/io_runner.hpp"
#include "net/kis/requests.hpp"
#include "net/transport.hpp"
#include "sim/simulator.hpp"

namespace kisrt::scenario {

namespace {

using trace_fn = std::shared_ptr<std::function<void(const std::string&)>>;

/// What the live actors record, shared with the runner's thread.
struct live_shared {
  std::mutex mx;
  std::vector<timed_event> events;
  std::vector<kis_session> wire;
  /// Opened transports per session: the connection's epoch.
  std::vector<epoch_t> opens;
  std::uint64_t commands = 0;
};

/// Between a real connection and its WebSocket: records every subscribe
/// and unsubscribe frame the connection writes (after its pacing) with the
/// connection's epoch (one per open, counted like the connection counts
/// them), and passes everything on.
class recording_transport : public net::transport {
public:
  recording_transport(std::unique_ptr<net::transport> inner,
                      std::shared_ptr<live_shared> sh, session_id s,
                      std::shared_ptr<epoch_t> epoch, trace_fn trace)
      : inner_(std::move(inner))
      , sh_(std::move(sh))
      , s_(s)
      , epoch_(std::move(epoch))
      , trace_(std::move(trace)) {
    // nop
  }

  void start() override { inner_->start(); }

  void send(std::string text) override {
    kis::subscription_request req;
    if (kis::parse_subscription(text, req).empty()) {
      wire_entry e;
      e.op = req.type == "1" ? wire_op::subscribe : wire_op::unsubscribe;
      e.key = slot_key{req.tr_id, req.tr_key};
      // The actor clock of the normal scheduler is the steady clock.
      e.at = std::chrono::duration_cast<mono_time>(
          std::chrono::steady_clock::now().time_since_epoch());
      {
        std::lock_guard<std::mutex> guard{sh_->mx};
        e.epoch = *epoch_;
        sh_->wire.at(s_).log.push_back(e);
        ++sh_->commands;
      }
      if (*trace_)
        (*trace_)("connection s" + std::to_string(s_ + 1)
                  + " -> kis: " + to_string(e.op) + " " + e.key.tr_id + " "
                  + e.key.tr_key + " (epoch " + std::to_string(e.epoch) + ")");
    }
    inner_->send(std::move(text));
  }

  void close() override { inner_->close(); }

  void abort() override { inner_->abort(); }

private:
  std::unique_ptr<net::transport> inner_;
  std::shared_ptr<live_shared> sh_;
  session_id s_;
  std::shared_ptr<epoch_t> epoch_;
  trace_fn trace_;
};

/// The production deps of session `s`, with its transports recorded.
connection_deps recorded(connection_deps deps, std::shared_ptr<live_shared> sh,
                         session_id s, trace_fn trace) {
  auto make = std::move(deps.make_transport);
  deps.make_transport = [make, sh, s, trace](net::transport_events ev) {
    auto epoch = std::make_shared<epoch_t>(0);
    auto opened = std::move(ev.opened);
    ev.opened = [sh, s, epoch, opened] {
      {
        std::lock_guard<std::mutex> guard{sh->mx};
        *epoch = ++sh->opens.at(s);
      }
      if (opened)
        opened();
    };
    return std::unique_ptr<net::transport>{new recording_transport(
        make(std::move(ev)), sh, s, std::move(epoch), trace)};
  };
  return deps;
}

/// The --live subset against kisrt-sim in-process over loopback sockets:
/// the real connection actors (approval key over REST, WebSocket, pacing,
/// PINGPONG), the arbiter, decoder and hub on CAF's normal scheduler, in
/// real time. `at` only orders statements; after every statement the
/// runner waits until nothing is pending or releasing.
class live_runner_impl {
public:
  live_runner_impl(const script& sc, const scenario_config& cfg,
                   const run_options& opts, std::ostream& out)
      : sc_(sc)
      , cfg_(cfg)
      , out_(out)
      , sys_(configure_system(sys_cfg_, false))
      , self_(sys_)
      , sh_(std::make_shared<live_shared>())
      , trace_(std::make_shared<std::function<void(const std::string&)>>()) {
    sh_->wire.resize(cfg_.sessions);
    sh_->opens.resize(cfg_.sessions);
    for (std::uint32_t i = 0; i < cfg_.sessions; ++i)
      sh_->wire[i].hts_id = "hts" + std::to_string(i + 1);
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
    // The simulated account of s1 holds what the script's `holdings` lines
    // say (the largest quantity per code), so its sells can fill.
    std::map<std::string, std::int64_t> held;
    for (auto& st : sc_.statements)
      if (st.verb == "holdings")
        for (auto& r : balance_of(st).rows)
          held[r.code] = std::max(held[r.code], r.qty);
    for (auto& [code, qty] : held)
      so.holdings.push_back(sim::holding{account_of(0).cano, code, qty});
    sim_ = std::make_unique<sim::simulator>(so);
    auto ports = sim_->start();
    rest_url_ = "http://127.0.0.1:" + std::to_string(ports.rest);
    ws_url_ = "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
    io_ = std::make_shared<net::io_runner>();
    io_->start();
    slot_arbiter_config acfg;
    acfg.slots = cfg_.slots;
    acfg.hours = cfg_.hours;
    acfg.calendar = cfg_.calendar;
    kst_ = kst_of(cfg_, now());
    // The core through the gateway's assembly; each session's real
    // connection (to the simulator, its transports recorded) is made at
    // the session's first `up`.
    std::vector<session_spec> sessions;
    for (session_id s = 0; s < cfg_.sessions; ++s) {
      auto spec = session_of_index(s, false);
      // A dropped session stays down long enough for the statements
      // between `down` and `up` (each waits for the arbiter to settle).
      spec.connection.backoff_min = std::chrono::seconds{5};
      spec.connection.backoff_max = std::chrono::seconds{6};
      spec.endpoints.ws_url = ws_url_;
      spec.endpoints.rest_url = rest_url_;
      spec.endpoints.app_key = app_key(s);
      spec.endpoints.app_secret = account_of(s).app_secret;
      sessions.push_back(std::move(spec));
    }
    a_.start(
        sys_, cfg_, std::move(acfg), *kst_, picks_store_, std::move(sessions),
        [io = io_, sh = sh_, trace = trace_](caf::actor_system& sys,
                                             const session_spec& s,
                                             const connection_wiring& w) {
          return sys.spawn(connection_with, s.connection,
                           recorded(kis_connection_deps(s.endpoints, io), sh,
                                    s.connection.session, trace),
                           w.arbiter, w.decoder, s.seed);
        },
        [sh = sh_](timed_event e) {
          std::lock_guard<std::mutex> guard{sh->mx};
          sh->events.push_back(std::move(e));
        });
  }

  ~live_runner_impl() {
    *trace_ = nullptr;
    // Close frames (each awaited up to 500 ms), then every actor ends.
    a_.stop(std::chrono::milliseconds{500});
    io_->drain(std::chrono::milliseconds{500});
    sim_->stop();
  }

  bool run() {
    return run_statements(
        sc_, out_, " (live)",
        [this](const statement& st) {
          if (*trace_)
            (*trace_)(sc_.file + ":" + std::to_string(st.line) + ": "
                      + st.source);
          auto fail = exec(st);
          if (!fail)
            settle();
          return fail;
        },
        [this](const statement& st, const failure& f) { report(st, f); });
  }

private:
  static sim::account account_of(std::uint32_t i) {
    auto n = std::to_string(i + 1);
    return sim::account{"scenario-appkey-s" + n,
                        "scenario-secret-s" + n + "-0123456789abcdef",
                        "hts" + n, std::to_string(50000001 + i)};
  }

  mono_time now() { return now_of(sys_.clock()); }

  std::string clock_text(mono_time t) const {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
    return "+" + std::to_string(ms) + "ms";
  }

  slot_snapshot snapshot() {
    slot_snapshot result;
    self_
        ->request(a_.arbiter(), std::chrono::seconds{10}, caf::get_atom_v,
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

  balance_snapshot positions() {
    balance_snapshot result;
    self_
        ->request(a_.portfolio(), std::chrono::seconds{10}, caf::get_atom_v,
                  atom::holdings_v)
        .receive([&](balance_snapshot& x) { result = std::move(x); },
                 [&](caf::error& err) {
                   throw script_error{"no positions: " + caf::to_string(err)};
                 });
    return result;
  }

  /// True once portfolio_sync's position of `code` moved by the fill.
  bool fills_seen(const std::string& code, bool buy, std::int64_t qty) {
    std::int64_t now_qty = 0;
    for (auto& row : positions().rows)
      if (row.code == code)
        now_qty = row.qty;
    auto before = last_[code];
    auto want = buy ? before + qty : std::max<std::int64_t>(0, before - qty);
    if (now_qty != want)
      return false;
    last_[code] = now_qty;
    return true;
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
      a_.connect(s); // the first `up`; later ones find it connected
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
      auto snap = balance_of(st);
      last_.clear();
      for (auto& r : snap.rows)
        last_[r.code] = r.qty;
      caf::anon_send(a_.portfolio(), std::move(snap));
      return std::nullopt;
    }
    if (v == "picks") {
      caf::anon_send(a_.loader(), picks_store_->set(st));
      return std::nullopt;
    }
    if (v == "ranking") {
      caf::anon_send(a_.scanner(), ranking_of(st));
      return std::nullopt;
    }
    if (v == "scan") {
      caf::anon_send(a_.arbiter(), scan_of(st, now()));
      return std::nullopt;
    }
    if (v == "request") {
      caf::anon_send(a_.arbiter(), request_of(st));
      return std::nullopt;
    }
    if (v == "release") {
      caf::anon_send(a_.arbiter(), release_of(st));
      return std::nullopt;
    }
    if (v == "fill") {
      // The simulator fills a market order in one go and sends the notice
      // on the account's session: decoder -> portfolio_sync -> arbiter.
      session_id s = 0;
      if (auto w = st.options.find("session"); w != st.options.end())
        s = session_arg(w->second);
      sim::order_request req;
      req.cano = account_of(s).cano;
      req.code = st.args[1].text;
      req.side = st.args[0].text;
      req.qty = std::stoll(st.args[2].text);
      req.fills = {req.qty};
      auto r = sim_->place_order(req);
      if (r.status != 200)
        throw script_error{"the simulator refused the order: " + r.body};
      wait_for("the fill of " + req.code + " in portfolio_sync",
               [&](const slot_snapshot&) {
                 return fills_seen(req.code, req.side == "buy", req.qty);
               });
      return std::nullopt;
    }
    if (v == "expect position") {
      auto held = positions();
      std::int64_t qty = 0;
      for (auto& row : held.rows)
        if (row.code == st.args[0].text)
          qty = row.qty;
      if (std::to_string(qty) == st.args[1].text)
        return std::nullopt;
      return failure{st.args[0].text + " position " + st.args[1].text,
                     st.args[0].text + " position " + std::to_string(qty)};
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
    print_failure_head(out_, sc_, st, st.source, f, " (live)");
    out_ << "  slot table:\n";
    try {
      auto snap = snapshot();
      print_sessions(out_, snap);
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
  scenario_core a_;
  std::shared_ptr<scripted_pick_store> picks_store_ =
      std::make_shared<scripted_pick_store>();
  std::optional<kst_clock> kst_;
  /// portfolio_sync's positions before the pending fill, by code.
  std::map<std::string, std::int64_t> last_;
};

} // namespace

bool run_live(const script& sc, const scenario_config& cfg,
              const run_options& opts, std::ostream& out) {
  live_runner_impl r{sc, cfg, opts, out};
  return r.run();
}

} // namespace kisrt::scenario
