// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/runner_common.hpp"

#include <cstdlib>
#include <ostream>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "apps/kisrt-scenario/scripted_pick_store.hpp"
#include "messages/type_ids.hpp"

namespace kisrt::scenario {

namespace {

struct observer_state {
  static inline const char* name = "observer";
};

slot_observer_actor::behavior_type
observer(slot_observer_actor::stateful_pointer<observer_state> self,
         std::function<void(timed_event)> record) {
  auto rec = [self, record](auto x) {
    record(timed_event{now_of(self), slot_event{std::move(x)}});
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

} // namespace

caf::actor_system_config& configure_system(caf::actor_system_config& cfg,
                                           bool testing) {
  cfg.add_message_types<caf::id_block::kisrt>();
  if (testing)
    cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  return cfg;
}

kst_clock kst_of(const scenario_config& cfg, mono_time t0) {
  auto secs = static_cast<int>(cfg.start.count());
  return kst_clock::at_kst(t0, cfg.year, cfg.month, cfg.day, secs / 3600,
                           secs / 60 % 60, secs % 60);
}

void scenario_core::start(caf::actor_system& sys, const scenario_config& cfg,
                          slot_arbiter_config acfg, const kst_clock& kst,
                          std::shared_ptr<scripted_pick_store> store,
                          std::vector<session_spec> sessions,
                          connection_factory make,
                          std::function<void(timed_event)> record) {
  observer_ = sys.spawn(scenario::observer, std::move(record));
  core_spec spec;
  spec.kst = kst;
  spec.arbiter = std::move(acfg);
  spec.sessions = std::move(sessions);
  spec.make_connection = std::move(make);
  spec.observers.push_back(*observer_);
  // The P3 source: `ranking` lines are its input; the assembly makes it a
  // listener of the holdings and picks, to skip them.
  scanner_config scfg;
  scfg.hours.open_minute = cfg.hours.krx_regular.open_minute;
  scfg.hours.close_minute = cfg.hours.krx_regular.close_minute;
  scfg.calendar = cfg.calendar;
  scfg.filter = cfg.scan;
  spec.scanner = std::move(scfg);
  // The P2 source: `picks` lines fill its table and reach it as a pick
  // set; it reloads the table at 07:20 KST like the gateway's.
  picks_loader_config lcfg;
  lcfg.store = std::move(store);
  lcfg.top_n = cfg.pick_top;
  lcfg.calendar = cfg.calendar;
  spec.picks_loader = std::move(lcfg);
  // The P1 source: fill notices from the decoder, slot events from the
  // arbiter, balance snapshots from `holdings` lines (no REST source, no
  // periodic poll).
  portfolio_sync_config pcfg;
  pcfg.poll_interval = mono_time{0};
  spec.portfolio = std::move(pcfg);
  core_.start(sys, std::move(spec));
}

const connection_full_actor* scenario_core::connection(session_id s) const {
  auto& cs = core_.handles().connections;
  return s < cs.size() && cs[s] ? &*cs[s] : nullptr;
}

void scenario_core::stop(std::chrono::milliseconds grace) {
  core_.stop(grace);
  if (observer_)
    caf::anon_send_exit(*observer_, caf::exit_reason::user_shutdown);
  observer_.reset();
}

session_spec session_of_index(session_id s, bool connect_at_start) {
  session_spec spec;
  spec.name = session_name(s);
  spec.seed = std::uint64_t{0x5eed} + s;
  spec.connect_at_start = connect_at_start;
  return spec;
}

ranking_snapshot ranking_of(const statement& st) {
  ranking_snapshot rs;
  for (auto& w : st.args) {
    auto a = w.text.find(':');
    auto b = w.text.find(':', a + 1);
    rs.rows.push_back(ranking_entry{
        w.text.substr(0, a),
        std::strtod(w.text.substr(a + 1, b - a - 1).c_str(), nullptr),
        std::stoll(w.text.substr(b + 1))});
  }
  return rs;
}

scan_candidates scan_of(const statement& st, mono_time now) {
  scan_candidates sc;
  auto n = st.args.size();
  for (std::size_t i = 0; i < n; ++i)
    sc.items.push_back(
        scan_candidate{st.args[i].text, static_cast<double>(n - i), now});
  return sc;
}

slot_request request_of(const statement& st) {
  auto level = std::stoul(st.option("priority"));
  if (level < 1 || level > 255)
    throw script_error{"priority must be 1..255"};
  return slot_request{st.option("owner"), checker::key_of(st),
                      static_cast<priority>(level)};
}

slot_release release_of(const statement& st) {
  return slot_release{st.option("owner"), checker::key_of(st)};
}

bool run_statements(
    const script& sc, std::ostream& out, const char* pass_suffix,
    const std::function<std::optional<failure>(const statement&)>& step,
    const std::function<void(const statement&, const failure&)>& report) {
  for (auto& st : sc.statements) {
    if (st.verb == "config")
      continue;
    std::optional<failure> fail;
    try {
      fail = step(st);
    } catch (const script_error& e) {
      fail = failure{"a statement that can run", e.what()};
    }
    if (fail) {
      report(st, *fail);
      return false;
    }
  }
  out << "PASS " << sc.file << ": " << sc.name << pass_suffix << '\n';
  return true;
}

void print_failure_head(std::ostream& out, const script& sc,
                        const statement& st, const std::string& statement_text,
                        const failure& f, const char* name_suffix) {
  out << "FAIL " << sc.file << ":" << st.line << ": " << sc.name << name_suffix
      << '\n'
      << "  statement: " << statement_text << '\n'
      << "  expected:  " << f.expected << '\n'
      << "  actual:    " << f.actual << '\n';
}

void print_sessions(std::ostream& out, const slot_snapshot& snap) {
  for (auto& s : snap.sessions)
    out << "    " << session_name(s.id) << (s.up ? " up" : " down")
        << " epoch=" << s.epoch << " cap=" << s.cap
        << " learned_cap=" << s.learned_cap << " used=" << s.used << '\n';
}

} // namespace kisrt::scenario
