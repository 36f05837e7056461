// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/gateway.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include <map>
#include <set>
#include <stdexcept>

#include "actors/assembly.hpp"
#include "apps/kisrt/admin.hpp"
#include "apps/kisrt/admin_routes.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "apps/kisrt/kis_calendar.hpp"
#include "apps/kisrt/kis_prices.hpp"
#include "apps/kisrt/kis_sources.hpp"
#include "apps/kisrt/slot_events.hpp"
#include "apps/kisrt/stream.hpp"
#include "net/io_runner.hpp"
#include "net/kis/layout.hpp"
#include "net/publish_relay.hpp"
#include "net/stream_server.hpp"
#include "net/url.hpp"
#include "store/notice_journal.hpp"

namespace kisrt::app {

kst_clock gateway_clock(const gateway_options& o, mono_time mono_now,
                        std::chrono::system_clock::time_point utc_now,
                        int sim_default_kst_start) {
  kst_clock kst{mono_now, std::chrono::duration_cast<kst_clock::utc_ns>(
                              utc_now.time_since_epoch())};
  if (o.sim || o.clock_kst_start >= 0) {
    auto start = o.clock_kst_start >= 0 ? o.clock_kst_start
                 : o.sim_kst_start >= 0 ? o.sim_kst_start
                                        : sim_default_kst_start;
    auto date = kst_clock::yyyymmdd(kst.to_kst(mono_now).day);
    kst =
        kst_clock::at_kst(mono_now, date / 10000, date / 100 % 100, date % 100,
                          start / 3600, start / 60 % 60, start % 60);
  }
  return kst;
}

namespace {

mono_time ms(std::chrono::milliseconds x) {
  return std::chrono::duration_cast<mono_time>(x);
}

// KIS REST of the first session's app key, with its rate limiter, for the
// sources that ask KIS (portfolio_sync, scanner, snapshots, the calendar);
// null when none runs.
std::shared_ptr<kis_rest> source_rest(const gateway_options& o,
                                      std::shared_ptr<net::io_runner> io) {
  auto& so = o.sources;
  if ((so.cano.empty() && !so.scanner && !so.snapshots && !o.calendar.kis)
      || o.sessions.empty())
    return nullptr;
  net::http_options http;
  if (auto why = net::parse_url(o.rest_url, http.base); !why.empty())
    throw std::runtime_error("kis.rest_url: " + why);
  http.tls = o.rest_tls;
  rest_account acct;
  acct.app_key = o.sessions.front().app_key;
  acct.app_secret = o.sessions.front().app_secret;
  acct.cano = so.cano;
  acct.custtype = o.custtype;
  acct.paper = o.env == "paper";
  acct.token_dir = so.token_dir;
  return std::make_shared<kis_rest>(
      std::move(io), std::move(http), std::move(acct),
      std::make_shared<rest_limiter>(so.rest_rate));
}

// KIS REST of session `i`'s app key with its own rate limiter (the
// accounts it owns).
std::shared_ptr<kis_rest> session_rest(const gateway_options& o,
                                       std::shared_ptr<net::io_runner> io,
                                       std::size_t i) {
  auto& so = o.sources;
  net::http_options http;
  if (auto why = net::parse_url(o.rest_url, http.base); !why.empty())
    throw std::runtime_error("kis.rest_url: " + why);
  http.tls = o.rest_tls;
  rest_account acct;
  acct.app_key = o.sessions.at(i).app_key;
  acct.app_secret = o.sessions.at(i).app_secret;
  acct.custtype = o.custtype;
  acct.paper = o.env == "paper";
  acct.token_dir = so.token_dir;
  return std::make_shared<kis_rest>(
      std::move(io), std::move(http), std::move(acct),
      std::make_shared<rest_limiter>(so.rest_rate));
}

// portfolio_sync over every configured account: each account's balance
// through the REST client (token, rate limit) of the app key owning it.
portfolio_sync_config portfolio_of(const gateway_options& o,
                                   std::shared_ptr<kis_rest> first,
                                   std::shared_ptr<net::io_runner> io) {
  auto& so = o.sources;
  portfolio_sync_config pc;
  std::map<std::size_t, std::shared_ptr<kis_rest>> rests;
  rests[0] = std::move(first);
  std::vector<account_balance> parts;
  for (auto& a : so.accounts) {
    auto& r = rests[a.session];
    if (!r)
      r = session_rest(o, io, a.session);
    auto src = make_balance_source(r, a.cano);
    if (so.overseas)
      src = make_account_balance_source(
          src, make_overseas_balance_source(r, a.cano, so.overseas_exchanges));
    parts.push_back({"account " + a.cano, std::move(src)});
    pc.accounts.push_back(a.cano);
  }
  pc.source = parts.size() == 1 ? parts.front().source
                                : merged_balance_source(std::move(parts));
  pc.account = so.cano;
  if (so.overseas) {
    // The overseas notice is a request the arbiter may place on any
    // session, and a notice on a session whose app key belongs to another
    // HTS ID makes KIS drop that session: registered only when every
    // session has the same HTS ID.
    std::set<std::string> ids;
    for (auto& s : o.sessions)
      ids.insert(s.hts_id);
    if (ids.size() == 1 && !ids.begin()->empty())
      pc.overseas_notices.push_back(
          {o.env == "paper" ? std::string{kis::paper_tr_id("H0GSCNI0")}
                            : std::string{"H0GSCNI0"},
           *ids.begin()});
    else
      spdlog::warn("portfolio.overseas: the sessions have different HTS IDs; "
                   "the overseas notice is not registered (overseas "
                   "positions follow the balance polls only)");
  }
  return pc;
}

// The core the options describe: sessions on real sockets through `io`,
// the notice journal, the sources as configured, the static demand and
// the clock `kst`.
core_spec core_spec_of(const gateway_options& o, const kst_clock& kst,
                       std::shared_ptr<net::io_runner> io) {
  core_spec spec;
  spec.kst = kst;
  spec.arbiter.slots = o.slots;
  spec.arbiter.hours = o.hours;
  spec.arbiter.calendar = o.calendar.days;
  for (std::size_t i = 0; i < o.sessions.size(); ++i) {
    auto& s = o.sessions[i];
    session_spec ss;
    ss.name = s.name;
    ss.connection = o.connection;
    ss.endpoints.ws_url = o.ws_url;
    ss.endpoints.rest_url = o.rest_url;
    ss.endpoints.rest_tls = o.rest_tls;
    ss.endpoints.app_key = s.app_key;
    ss.endpoints.app_secret = s.app_secret;
    ss.seed = std::uint64_t{0x5eed + i};
    spec.sessions.push_back(std::move(ss));
  }
  spec.make_connection = real_connections(io);
  notice_journal_config jc;
  try {
    jc.db = std::make_shared<store::notice_journal>(o.notices_journal,
                                                    o.notices_journal_max);
  } catch (const std::exception& ex) {
    throw std::runtime_error(std::string{"notices.journal: "} + ex.what());
  }
  spec.journal = std::move(jc);
  // The sources; REST goes through the first session's app key.
  auto& so = o.sources;
  auto rest = source_rest(o, io);
  if (so.scanner) {
    scanner_config sc;
    sc.source = make_ranking_source(rest, so.rank_fluctuation, so.rank_volume);
    sc.hours.open_minute = so.open_minute;
    sc.hours.close_minute = so.close_minute;
    // The simulator trades every day of the week.
    sc.hours.weekdays_only = !o.every_day;
    sc.calendar = o.calendar.days;
    sc.poll_interval = ms(so.scan_interval);
    sc.filter = so.filter;
    spec.scanner = std::move(sc);
  }
  if (!so.picks_db.empty()) {
    picks_loader_config pc;
    pc.store = make_sqlite_pick_store(so.picks_db);
    pc.refresh_hour = so.picks_hour;
    pc.refresh_minute = so.picks_minute;
    pc.top_n = so.picks_top;
    pc.poll = ms(so.picks_poll);
    pc.weekdays_only = !o.every_day;
    pc.calendar = o.calendar.days;
    spec.picks_loader = std::move(pc);
  }
  if (!so.accounts.empty()) {
    auto pc = portfolio_of(o, rest, io);
    pc.poll_interval = ms(so.balance_interval);
    pc.settle = ms(so.settle);
    pc.retry_min = ms(so.balance_retry_min);
    pc.retry_max = ms(so.balance_retry_max);
    spec.portfolio = std::move(pc);
  }
  if (so.snapshots && rest) {
    // Through the same app key and limiter as the balance and rankings.
    snapshot_fetcher_config sc;
    sc.source = make_price_source(rest);
    spec.snapshots = std::move(sc);
  }
  // The trading calendar: KIS's holiday call (through the same app key and
  // limiter), the overrides, the cache.
  calendar_config cc;
  cc.calendar = o.calendar.days;
  if (o.calendar.kis && rest)
    cc.source = make_calendar_source(rest);
  cc.cache_path = o.calendar.cache;
  cc.refresh_hour = o.calendar.refresh_hour;
  cc.refresh_minute = o.calendar.refresh_minute;
  spec.calendar = std::move(cc);
  // Static demand, unless a source owns that class (in --sim the static
  // holdings then only seed the simulator's account).
  spec.holdings = o.holdings;
  spec.picks = o.picks;
  return spec;
}

} // namespace

// -- the running gateway ------------------------------------------------------

struct gateway::impl {
  gateway_options opts;
  embedded_kis_factory sim_factory;
  embedded_kis simu;
  std::shared_ptr<net::io_runner> io;
  std::unique_ptr<net::http_server> admin;
  caf::actor_system* sys = nullptr;
  assembly core;
  std::optional<node_gate_actor> gate;          // remote nodes
  std::unique_ptr<net::publish_relay> relay;    // plaintext publish port
  caf::actor health_watch;                      // health changes to the log
  std::optional<slot_event_actors> slot_events; // slot outcomes to people
  std::uint16_t publish_port = 0;
  std::optional<stream_handles> stream; // the WebSocket stream
};

gateway::gateway(gateway_options opts, embedded_kis_factory sim)
    : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
  impl_->sim_factory = std::move(sim);
}

gateway::~gateway() {
  stop(std::chrono::milliseconds{500});
}

const gateway_options& gateway::options() const noexcept {
  return impl_->opts;
}

sim::simulator* gateway::simulator() const noexcept {
  return impl_->simu.simulator.get();
}

gateway::source_handles gateway::sources() const {
  auto& h = impl_->core.handles();
  return {h.arbiter, h.portfolio, h.picks_loader, h.scanner};
}

std::uint16_t gateway::admin_port() const noexcept {
  return impl_->admin ? impl_->admin->port() : 0;
}

std::uint16_t gateway::publish_port() const noexcept {
  return impl_->publish_port;
}

std::uint16_t gateway::stream_port() const noexcept {
  auto& s = impl_->stream;
  return s && s->server ? s->server->port() : 0;
}

// -- embedding (docs/embedding.md) -------------------------------------------

gateway_handles gateway::handles() const {
  auto& h = impl_->core.handles();
  if (!h.arbiter || !h.hub || !h.decoder || !impl_->slot_events)
    throw std::logic_error("gateway::handles() before start()");
  return {*h.arbiter, *h.hub, *h.decoder, impl_->slot_events->feed};
}

// -- start and stop -----------------------------------------------------------

void gateway::start(caf::actor_system& sys) {
  auto& d = *impl_;
  auto& o = d.opts;
  if (o.sim && !d.sim_factory.start)
    throw std::runtime_error("kis.sim: this program has no embedded "
                             "simulator; set kis.env and kis.ws_url, "
                             "kis.rest_url instead");
  d.sys = &sys;
  // The one wall-clock read: pair the actor clock with UTC now, so KST
  // schedules (market hours, the 07:20 picks) follow the actor clock from
  // here on. An embedded simulator runs its own KST day: anchor to it.
  auto mono_now = now_of(sys.clock());
  auto kst = gateway_clock(o, mono_now, std::chrono::system_clock::now(),
                           d.sim_factory.default_kst_start);
  if (o.sim) {
    d.simu =
        d.sim_factory.start(o, kst_clock::yyyymmdd(kst.to_kst(mono_now).day));
    o.rest_url = "http://127.0.0.1:" + std::to_string(d.simu.rest_port);
    o.ws_url = "ws://127.0.0.1:" + std::to_string(d.simu.ws_port) + "/tryitout";
    spdlog::info("embedded simulator: ws {} rest {} admin {}", d.simu.ws_port,
                 d.simu.rest_port, d.simu.admin_port);
  }
  d.io = std::make_shared<net::io_runner>();
  d.io->start();
  auto spec = core_spec_of(o, kst, d.io);
  { // Slot outcomes (the feed, and the log that follows it) observe the
    // arbiter from its start, so they miss no event.
    std::vector<std::string> names;
    for (auto& s : o.sessions)
      names.push_back(s.name);
    d.slot_events = start_slot_events(sys, std::move(names));
    spec.observers.push_back(slot_observer_actor{d.slot_events->feed});
  }
  d.core.start(sys, std::move(spec));
  auto& h = d.core.handles();
  if (o.publish.enabled) { // remote nodes
    d.gate.emplace();
    d.publish_port =
        start_node_gate(sys, *d.io, o.publish, *h.hub, *h.arbiter, *d.gate,
                        d.relay, h.journal, d.slot_events->feed);
    if (h.picks_loader) // nodes with may_set_picks
      caf::anon_send(*d.gate, atom::attach_v, *h.picks_loader);
  }
  if (o.stream.enabled) { // the WebSocket stream (docs/stream.md)
    std::vector<std::string> names;
    for (auto& s : o.sessions)
      names.push_back(s.name);
    d.stream = start_stream(sys, o.stream, *h.hub, *h.arbiter,
                            d.slot_events->feed, std::move(names));
  }
  auto ctx = std::make_shared<admin_context>();
  ctx->arbiter = *h.arbiter;
  ctx->portfolio = h.portfolio;
  ctx->picks_loader = h.picks_loader;
  ctx->calendar = h.calendar;
  ctx->names = std::make_shared<std::vector<std::string>>();
  for (auto& s : o.sessions)
    ctx->names->push_back(s.name);
  ctx->health = o.health;
  ctx->log = std::make_shared<health_log>();
  if (d.simu.simulator)
    ctx->sim_json = "{\"ws_port\":" + std::to_string(d.simu.ws_port)
                    + ",\"rest_port\":" + std::to_string(d.simu.rest_port)
                    + ",\"admin_port\":" + std::to_string(d.simu.admin_port)
                    + "}";
  // A degraded state is logged when it begins and ends, whether or not
  // anybody asks /healthz.
  d.health_watch = spawn_health_watch(sys, ctx, o.health.check_interval);
  if (o.admin) {
    // /metrics and the dashboard (apps/kisrt/admin_routes.hpp).
    std::vector<connection_full_actor> conns;
    for (auto& c : h.connections)
      if (c)
        conns.push_back(*c);
    admin_sources src;
    src.arbiter = *h.arbiter;
    src.hub = *h.hub;
    src.decoder = *h.decoder;
    src.connections = std::move(conns);
    src.gate = d.gate;
    src.names = *ctx->names;
    if (d.stream) {
      std::weak_ptr<net::stream_server> server = d.stream->server;
      src.stream = [server] {
        stream_counters out;
        if (auto s = server.lock()) {
          auto& x = s->stats();
          out = {x.open, x.accepted, x.refused,  x.busy,
                 x.slow, x.sent,     x.conflated};
        }
        return out;
      };
    }
    ctx->routes = std::make_shared<admin_routes>(sys, std::move(src));
    d.admin = start_admin(sys, *d.io, o, ctx);
  }
}

// Safe after a start() that threw half-way: every member is checked, as
// start() may have stopped before setting it. Idempotent: the second call
// finds `sys` cleared.
void gateway::stop(std::chrono::milliseconds grace) {
  auto& d = *impl_;
  if (d.sys == nullptr)
    return;
  if (d.admin)
    d.admin->stop();
  if (d.health_watch)
    caf::anon_send_exit(d.health_watch, caf::exit_reason::user_shutdown);
  // Close frames first, then let the io thread finish the handshakes.
  d.core.stop_feeds(grace);
  if (d.stream) { // stream clients get a close frame
    stop_stream(*d.stream, grace / 4);
    d.stream.reset();
  }
  if (d.relay) // remote nodes
    d.relay->stop();
  if (d.gate)
    caf::anon_send_exit(*d.gate, caf::exit_reason::user_shutdown);
  d.gate.reset();
  d.core.stop(grace);
  if (d.slot_events) {
    caf::anon_send_exit(d.slot_events->feed, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(d.slot_events->log, caf::exit_reason::user_shutdown);
    d.slot_events.reset();
  }
  if (d.io)
    d.io->drain(grace / 2);
  d.admin.reset();
  d.relay.reset();
  if (d.simu.stop)
    d.simu.stop();
  d.sys = nullptr;
}

} // namespace kisrt::app
