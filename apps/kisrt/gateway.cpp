// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/gateway.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <stdexcept>

#include "actors/connection.hpp"
#include "actors/decoder.hpp"
#include "actors/hub.hpp"
#include "actors/slot_arbiter.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "apps/kisrt/slots_json.hpp"
#include "net/http_server.hpp"
#include "net/io_runner.hpp"
#include "net/kis/layout.hpp"
#include "net/url.hpp"
#include "sim/simulator.hpp"

namespace kisrt::app {

namespace {

constexpr const char* real_rest = "https://openapi.koreainvestment.com:9443";
constexpr const char* paper_rest =
    "https://openapivts.koreainvestment.com:29443";
constexpr const char* real_ws = "ws://ops.koreainvestment.com:21000";
constexpr const char* paper_ws = "ws://ops.koreainvestment.com:31000";

mono_time ms(std::chrono::milliseconds x) {
  return std::chrono::duration_cast<mono_time>(x);
}

bool is_code(const std::string& s) {
  if (s.size() != 6)
    return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
      return false;
  return true;
}

// A secret from the environment variable named by `key`, or the secrets
// file. Errors name the key and the variable, never a value.
std::string secret(config_file& cfg, const std::string& section,
                   const std::string& what, const env_reader& env,
                   const std::map<std::string, std::string>& file,
                   std::vector<std::string>& errors) {
  auto var_key = section + "." + what + "_env";
  auto var = cfg.get_string(var_key);
  if (!var.empty()) {
    if (auto v = env(var.c_str()); v && !v->empty())
      return *v;
    errors.push_back("key '" + var_key + "': environment variable " + var
                     + " is not set");
    return {};
  }
  if (auto it = file.find(what); it != file.end())
    return it->second;
  errors.push_back(section + ": no " + what + " (set " + var_key
                   + " to an environment variable name, or " + section
                   + ".secrets_file to a 0600 file with " + what + "=...)");
  return {};
}

} // namespace

std::string read_secrets_file(const std::string& path,
                              std::map<std::string, std::string>& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return "secrets file " + path + " cannot be read";
  if ((st.st_mode & 0077) != 0)
    return "secrets file " + path
           + " is readable by group or others; chmod 600 it";
  std::ifstream in{path};
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#')
      continue;
    auto eq = line.find('=');
    if (eq == std::string::npos)
      return path + ":" + std::to_string(n) + ": expected name=value";
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return {};
}

gateway_options read_options(config_file& cfg, const env_reader& env,
                             std::vector<std::string>& errors) {
  gateway_options o;
  o.sim = cfg.get_bool("kis.sim", false);
  o.env = cfg.get_string("kis.env", o.sim ? "sim" : "");
  if (o.env.empty())
    errors.push_back("key 'kis.env': required (sim, paper or real), or run "
                     "with --sim");
  else if (o.env != "sim" && o.env != "paper" && o.env != "real")
    cfg.error("kis.env", "'" + o.env + "' is not sim, paper or real");
  if (o.env == "sim")
    o.sim = true;
  o.rest_url =
      cfg.get_string("kis.rest_url", o.env == "paper" ? paper_rest : real_rest);
  o.ws_url =
      cfg.get_string("kis.ws_url", o.env == "paper" ? paper_ws : real_ws);
  for (auto [key, value, schemes] :
       {std::tuple{"kis.rest_url", &o.rest_url, "http https"},
        std::tuple{"kis.ws_url", &o.ws_url, "ws wss"}}) {
    net::url u;
    if (auto why = net::parse_url(*value, u); !why.empty())
      cfg.error(key, "'" + *value + "': " + why);
    else if (std::string{schemes}.find(u.scheme) == std::string::npos)
      cfg.error(key, "'" + *value + "': expected " + schemes + " URL");
  }
  o.rest_tls.verify = cfg.get_bool("kis.verify_tls", true);
  o.rest_tls.ca_file = cfg.get_string("kis.ca_file");
  o.custtype = cfg.get_string("kis.custtype", "P");
  if (o.custtype != "P" && o.custtype != "B")
    cfg.error("kis.custtype", "must be P (individual) or B (corporate)");
  // -- sessions
  // ----------------------------------------------------------------
  auto names = cfg.sections("session.");
  for (auto& sec : names) {
    session_options s;
    s.name = sec.substr(8);
    if (cfg.has(sec + ".app_secret") || cfg.has(sec + ".approval_key")
        || cfg.has(sec + ".token")) {
      errors.push_back("key '" + sec
                       + ".app_secret': secrets are not read "
                         "from the config file; use "
                       + sec + ".app_secret_env or " + sec + ".secrets_file");
      cfg.get_string(sec + ".app_secret"); // reported, not unknown
      cfg.get_string(sec + ".approval_key");
      cfg.get_string(sec + ".token");
    }
    std::map<std::string, std::string> file;
    if (auto path = cfg.get_string(sec + ".secrets_file"); !path.empty())
      if (auto err = read_secrets_file(path, file); !err.empty())
        errors.push_back("key '" + sec + ".secrets_file': " + err);
    if (auto key = cfg.get_string(sec + ".app_key"); !key.empty())
      s.app_key = key; // an app key is an identifier, not a secret
    else
      s.app_key = secret(cfg, sec, "app_key", env, file, errors);
    s.app_secret = secret(cfg, sec, "app_secret", env, file, errors);
    s.hts_id = cfg.get_string(sec + ".hts_id");
    s.notice = cfg.get_bool(sec + ".notice", true);
    if (s.notice && s.hts_id.empty())
      errors.push_back("key '" + sec + ".hts_id': required while " + sec
                       + ".notice is on (the notice's tr_key is the HTS ID)");
    o.sessions.push_back(std::move(s));
  }
  if (o.sessions.empty()) {
    if (o.sim) {
      // The embedded simulator's demo account.
      o.sessions.push_back(
          {"s1", "SIMAPPKEY1", "SIMSECRET1", "simuser1", true});
    } else {
      errors.push_back("no [session.NAME] section: at least one app key is "
                       "needed");
    }
  }
  // -- slots
  // -------------------------------------------------------------------
  auto cap = static_cast<std::uint32_t>(cfg.get_int("slots.cap", 41, 1, 1000));
  for (std::size_t i = 0; i < o.sessions.size(); ++i) {
    session_config sc;
    sc.id = static_cast<session_id>(i);
    sc.cap = cap;
    sc.reserve_notice = o.sessions[i].notice;
    if (o.sessions[i].notice)
      sc.notice =
          slot_key{o.env == "paper" ? std::string{kis::paper_tr_id("H0STCNI0")}
                                    : std::string{"H0STCNI0"},
                   o.sessions[i].hts_id};
    o.slots.sessions.push_back(sc);
  }
  auto trs = [&](const char* key, std::vector<std::string> dflt) {
    auto v = cfg.get_list(key, dflt);
    for (auto& tr : v)
      if (kis::find_layout(tr) == nullptr)
        cfg.error(key, "unknown tr_id '" + tr + "'");
    return v;
  };
  o.slots.holding_trs = trs("slots.tr.holding", o.slots.holding_trs);
  o.slots.pick_trs = trs("slots.tr.pick", o.slots.pick_trs);
  o.slots.scan_trs = trs("slots.tr.scan", o.slots.scan_trs);
  auto dur = [&](const char* key, mono_time dflt) {
    return ms(cfg.get_duration(
        key, std::chrono::duration_cast<std::chrono::milliseconds>(dflt)));
  };
  o.slots.min_hold = dur("slots.p3_min_hold", o.slots.min_hold);
  o.slots.candidate_ttl = dur("slots.candidate_ttl", o.slots.candidate_ttl);
  o.slots.scan_silence = dur("slots.scan_silence", o.slots.scan_silence);
  o.slots.stale_after = dur("slots.stale_after", o.slots.stale_after);
  o.slots.retry_base = dur("slots.retry_base", o.slots.retry_base);
  o.slots.retry_max = dur("slots.retry_max", o.slots.retry_max);
  // -- connection
  // ----------------------------------------------------------------
  auto& c = o.connection;
  c.custtype = o.custtype;
  c.send_rate = cfg.get_double("connection.send_rate", c.send_rate, 0.1, 1000);
  c.send_burst = cfg.get_double("connection.send_burst", c.send_burst, 1, 1000);
  c.idle_timeout = dur("connection.idle_timeout", c.idle_timeout);
  c.backoff_min = dur("connection.backoff_min", c.backoff_min);
  c.backoff_max = dur("connection.backoff_max", c.backoff_max);
  c.stable_after = dur("connection.stable_after", c.stable_after);
  c.in_use_backoff = dur("connection.in_use_backoff", c.in_use_backoff);
  if (c.backoff_min > c.backoff_max)
    cfg.error("connection.backoff_min", "is larger than backoff_max");
  // -- static demand
  // ---------------------------------------------------------------
  o.holdings = cfg.get_list("demand.holdings");
  o.picks = cfg.get_list("demand.picks");
  for (auto* list : {&o.holdings, &o.picks})
    for (auto& code : *list)
      if (!is_code(code))
        errors.push_back("key 'demand': '" + code
                         + "' is not a 6-character stock code");
  // -- admin
  // -----------------------------------------------------------------------
  auto listen = cfg.get_string("admin.listen", "127.0.0.1:0");
  if (listen == "off") {
    o.admin = false;
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      cfg.error("admin.listen", "expected HOST:PORT or off");
    } else {
      o.admin_host = listen.substr(0, colon);
      auto port = listen.substr(colon + 1);
      char* end = nullptr;
      auto p = std::strtol(port.c_str(), &end, 10);
      if (port.empty() || *end != '\0' || p < 0 || p > 65535)
        cfg.error("admin.listen", "port '" + port + "' is not 0..65535");
      else
        o.admin_port = static_cast<std::uint16_t>(p);
    }
  }
  // -- embedded simulator
  // ----------------------------------------------------------
  o.sim_seed = static_cast<std::uint64_t>(
      cfg.get_int("sim.seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  o.sim_rate = cfg.get_double("sim.rate", 0, 0, 1e7);
  for (auto& e : cfg.errors())
    errors.push_back(e);
  for (auto& e : cfg.unused_keys())
    errors.push_back(e);
  return o;
}

// Asks the arbiter and answers one admin request; a short-lived actor, so
// the io thread never waits. (Spawned with arguments: CAF 0.17.6 binds a
// null reference when a function actor has none, which UBSan reports.)
void answer_admin(caf::event_based_actor* self, slot_arbiter_actor arb,
                  std::shared_ptr<std::vector<std::string>> names,
                  std::string path, net::http_respond respond) {
  self->request(arb, std::chrono::seconds{5}, caf::get_atom_v, atom::slots_v)
      .then(
          [names, path, respond](const slot_snapshot& snap) {
            if (path == "/slots") {
              auto name = [names](session_id id) {
                return id < names->size() ? (*names)[id]
                                          : "s" + std::to_string(id);
              };
              respond({200, {}, slots_json(snap, name), {}});
              return;
            }
            std::size_t up = 0;
            for (auto& s : snap.sessions)
              up += s.up ? 1 : 0;
            auto ok = up == snap.sessions.size();
            respond(
                {ok ? 200 : 503,
                 {},
                 std::string{"{\"status\":\""} + (ok ? "ok" : "degraded")
                     + "\",\"sessions\":" + std::to_string(snap.sessions.size())
                     + ",\"sessions_up\":" + std::to_string(up) + "}",
                 {}});
          },
          [respond](const caf::error&) {
            respond({503, {}, R"({"error":"arbiter did not answer"})", {}});
          });
}

// -- the running gateway
// ------------------------------------------------------------

struct gateway::impl {
  gateway_options opts;
  std::unique_ptr<sim::simulator> simu;
  std::shared_ptr<net::io_runner> io;
  std::unique_ptr<net::http_server> admin;
  caf::actor_system* sys = nullptr;
  std::optional<slot_arbiter_actor> arbiter;
  std::optional<hub_actor> hub_hdl;
  std::optional<decoder_actor> dec;
  std::vector<connection_full_actor> conns;
  sim::ports sim_ports;
};

gateway::gateway(gateway_options opts)
    : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
}

gateway::~gateway() {
  stop(std::chrono::milliseconds{500});
}

const gateway_options& gateway::options() const noexcept {
  return impl_->opts;
}

std::uint16_t gateway::admin_port() const noexcept {
  return impl_->admin ? impl_->admin->port() : 0;
}

// -- embedding (docs/embedding.md) -------------------------------------------

gateway_handles gateway::handles() const {
  auto& d = *impl_;
  if (!d.arbiter || !d.hub_hdl || !d.dec)
    throw std::logic_error("gateway::handles() before start()");
  return {*d.arbiter, *d.hub_hdl, *d.dec};
}

sim::simulator* gateway::simulator() const noexcept {
  return impl_->simu.get();
}

// -- start and stop -----------------------------------------------------------

void gateway::start(caf::actor_system& sys) {
  auto& d = *impl_;
  auto& o = d.opts;
  d.sys = &sys;
  if (o.sim) {
    sim::options so;
    so.seed = o.sim_seed;
    so.rate = o.sim_rate;
    so.rest_plain = true;
    so.log_level = "warn";
    for (std::size_t i = 0; i < o.sessions.size(); ++i) {
      auto& s = o.sessions[i];
      auto cano = std::to_string(50000001 + i);
      so.accounts.push_back({s.app_key, s.app_secret, s.hts_id, cano});
      for (auto& code : o.holdings)
        so.holdings.push_back({cano, code, 10});
    }
    d.simu = std::make_unique<sim::simulator>(so);
    auto ports = d.simu->start();
    d.sim_ports = ports;
    o.rest_url = "http://127.0.0.1:" + std::to_string(ports.rest);
    o.ws_url = "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
    spdlog::info("embedded simulator: ws {} rest {} admin {}", ports.ws,
                 ports.rest, ports.admin);
  }
  d.io = std::make_shared<net::io_runner>();
  d.io->start();
  slot_arbiter_config ac;
  ac.slots = o.slots;
  // The one wall-clock read: pair the actor clock with UTC now, so KST
  // schedules (market hours) follow the actor clock from here on.
  ac.kst = kst_clock{std::chrono::duration_cast<mono_time>(
                         sys.clock().now().time_since_epoch()),
                     std::chrono::duration_cast<kst_clock::utc_ns>(
                         std::chrono::system_clock::now().time_since_epoch())};
  d.arbiter = sys.spawn(slot_arbiter, ac);
  d.hub_hdl = sys.spawn(hub, hub_config{},
                        std::optional<slot_arbiter_actor>{*d.arbiter});
  d.dec = sys.spawn(decoder, std::optional<slot_arbiter_actor>{*d.arbiter},
                    std::optional<market_listener_actor>{*d.hub_hdl});
  for (std::size_t i = 0; i < o.sessions.size(); ++i) {
    auto& s = o.sessions[i];
    auto cc = o.connection;
    cc.session = static_cast<session_id>(i);
    cc.label = s.name;
    connection_endpoints ends;
    ends.ws_url = o.ws_url;
    ends.rest_url = o.rest_url;
    ends.rest_tls = o.rest_tls;
    ends.app_key = s.app_key;
    ends.app_secret = s.app_secret;
    auto conn = sys.spawn(connection, cc, ends, d.io, *d.arbiter, *d.dec,
                          std::uint64_t{0x5eed + i});
    caf::anon_send(*d.arbiter, atom::attach_v, cc.session,
                   connection_actor{conn});
    d.conns.push_back(conn);
  }
  if (!o.holdings.empty())
    caf::anon_send(*d.arbiter, holding_set{o.holdings});
  if (!o.picks.empty())
    caf::anon_send(*d.arbiter, pick_list{o.picks});
  if (o.admin) {
    auto arb = *d.arbiter;
    auto names = std::make_shared<std::vector<std::string>>();
    for (auto& s : o.sessions)
      names->push_back(s.name);
    auto* sysp = &sys;
    std::string sim_json = "null";
    if (d.simu)
      sim_json = "{\"ws_port\":" + std::to_string(d.sim_ports.ws)
                 + ",\"rest_port\":" + std::to_string(d.sim_ports.rest)
                 + ",\"admin_port\":" + std::to_string(d.sim_ports.admin) + "}";
    d.admin = std::make_unique<net::http_server>(
        *d.io, o.admin_host, o.admin_port,
        [arb, names, sysp, sim_json](net::http_server_request req,
                                     net::http_respond respond) {
          auto path = req.target.substr(0, req.target.find('?'));
          if (req.method != "GET") {
            respond({405, {}, R"({"error":"only GET"})", {}});
            return;
          }
          if (path == "/sim") {
            // The embedded simulator's ports (null without --sim): the
            // demo injects faults through its admin API.
            respond({200, {}, sim_json, {}});
            return;
          }
          if (path != "/healthz" && path != "/slots") {
            respond({404, {}, R"({"error":"not found"})", {}});
            return;
          }
          // A short-lived actor asks the arbiter; the io thread never waits.
          sysp->spawn(answer_admin, arb, names, path, respond);
        });
  }
}

void gateway::stop(std::chrono::milliseconds grace) {
  auto& d = *impl_;
  if (d.sys == nullptr)
    return;
  if (d.admin)
    d.admin->stop();
  // Close frames first, then let the io thread finish the handshakes.
  {
    caf::scoped_actor self{*d.sys};
    for (auto& c : d.conns)
      self->request(c, grace, caf::close_atom_v)
          .receive([] {}, [](caf::error&) {});
  }
  for (auto& c : d.conns)
    caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  for (auto x : {caf::actor_cast<caf::actor>(*d.dec),
                 caf::actor_cast<caf::actor>(*d.hub_hdl),
                 caf::actor_cast<caf::actor>(*d.arbiter)})
    caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
  d.conns.clear();
  d.io->drain(grace / 2);
  d.admin.reset();
  if (d.simu)
    d.simu->stop();
  d.sys = nullptr;
}

} // namespace kisrt::app
