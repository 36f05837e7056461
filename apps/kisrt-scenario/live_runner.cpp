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

#include "actors/connection.hpp"
#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "actors/kst_clock.hpp"
#include "actors/picks_loader.hpp"
#include "actors/portfolio_sync.hpp"
#include "actors/scanner.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt-scenario/checker.hpp"
#include "apps/kisrt-scenario/scripted_pick_store.hpp"
#include "messages/type_ids.hpp"
#include "net/io_runner.hpp"
#include "sim/simulator.hpp"

namespace kisrt::scenario {

namespace {

using trace_fn = std::shared_ptr<std::function<void(const std::string&)>>;

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
class live_runner_impl {
public:
  live_runner_impl(const script& sc, const scenario_config& cfg,
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
    auto secs = static_cast<int>(cfg_.start.count());
    kst_ = kst_clock::at_kst(now(), cfg_.year, cfg_.month, cfg_.day,
                             secs / 3600, secs / 60 % 60, secs % 60);
    acfg.kst = kst_;
    arbiter_ = sys_.spawn(slot_arbiter, std::move(acfg));
    hub_ = sys_.spawn(hub, hub_config{},
                      std::optional<slot_arbiter_actor>{arbiter_});
    decoder_ = sys_.spawn(decoder, std::optional<slot_arbiter_actor>{arbiter_},
                          std::optional<market_listener_actor>{
                              caf::actor_cast<market_listener_actor>(hub_)});
    observer_ = sys_.spawn(live_observer, sh_);
    caf::anon_send(arbiter_, caf::subscribe_atom_v, observer_);
    // The P3 source: `ranking` lines are its input; it follows holdings
    // and picks to skip them.
    scanner_config scfg;
    scfg.kst = kst_;
    scfg.hours = cfg_.hours;
    scfg.filter = cfg_.scan;
    scanner_ = sys_.spawn(scanner, std::move(scfg), arbiter_);
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
    caf::anon_send(decoder_, caf::subscribe_atom_v,
                   caf::actor_cast<market_listener_actor>(portfolio_));
    conns_.resize(cfg_.sessions);
  }

  ~live_runner_impl() {
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
    caf::anon_send_exit(portfolio_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(loader_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(scanner_, caf::exit_reason::user_shutdown);
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

  balance_snapshot positions() {
    balance_snapshot result;
    self_
        ->request(portfolio_, std::chrono::seconds{10}, caf::get_atom_v,
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
      auto snap = balance_of(st);
      last_.clear();
      for (auto& r : snap.rows)
        last_[r.code] = r.qty;
      caf::anon_send(portfolio_, std::move(snap));
      return std::nullopt;
    }
    if (v == "picks") {
      caf::anon_send(loader_, picks_store_->set(st));
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
  portfolio_sync_actor portfolio_;
  std::shared_ptr<scripted_pick_store> picks_store_ =
      std::make_shared<scripted_pick_store>();
  std::optional<kst_clock> kst_;
  picks_loader_actor loader_;
  scanner_actor scanner_;
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
