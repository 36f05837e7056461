// SPDX-License-Identifier: Apache-2.0
#include "actors/assembly.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <stdexcept>

#include "actors/decoder.hpp"

namespace kisrt {

connection_factory real_connections(std::shared_ptr<net::io_runner> io) {
  return [io](caf::actor_system& sys, const session_spec& s,
              const connection_wiring& w) {
    return sys.spawn(connection, s.connection, s.endpoints, io, w.arbiter,
                     w.decoder, s.seed);
  };
}

assembly::~assembly() {
  stop(std::chrono::milliseconds{0});
}

void assembly::start(caf::actor_system& sys, core_spec spec) {
  if (sys_ != nullptr)
    throw std::logic_error("assembly::start() twice");
  sys_ = &sys;
  spec_ = std::move(spec);
  auto& s = spec_;
  auto& h = handles_;
  if (!s.sessions.empty() && !s.make_connection)
    throw std::logic_error("core_spec: sessions without make_connection");
  for (std::size_t i = 0; i < s.sessions.size(); ++i) {
    s.sessions[i].connection.session = static_cast<session_id>(i);
    s.sessions[i].connection.label = s.sessions[i].name;
  }
  h.connections.resize(s.sessions.size());
  if (s.kst) {
    s.arbiter.kst = s.kst;
    if (s.scanner)
      s.scanner->kst = s.kst;
    if (s.picks_loader)
      s.picks_loader->kst = s.kst;
    if (s.journal)
      s.journal->kst = *s.kst;
    // An old approval key is renewed outside the arbiter's market hours.
    for (auto& ss : s.sessions)
      if (!ss.connection.quiet)
        ss.connection.quiet = [kst = *s.kst, hours = s.arbiter.hours,
                               cal = s.arbiter.calendar](mono_time t) {
          return !cal.open_at(kst.to_kst(t), hours).any();
        };
    if (s.calendar)
      s.calendar->kst = s.kst;
  }
  // The core: the hub reports last-data times to the arbiter, the decoder
  // feeds the hub.
  auto arb = sys.spawn(slot_arbiter, s.arbiter);
  h.arbiter = arb;
  for (auto& obs : s.observers)
    caf::anon_send(arb, caf::subscribe_atom_v, obs);
  h.hub = sys.spawn(hub, s.hub, std::optional<slot_arbiter_actor>{arb});
  auto dec = sys.spawn(decoder, std::optional<slot_arbiter_actor>{arb},
                       std::optional<market_listener_actor>{*h.hub});
  h.decoder = dec;
  for (auto& l : s.listeners)
    caf::anon_send(*h.hub, caf::subscribe_atom_v, l);
  // Price snapshots follow the arbiter from before any demand or session,
  // and deliver through the hub.
  if (s.snapshots) {
    auto sc = *s.snapshots;
    if (s.kst)
      sc.kst = s.kst;
    h.snapshots = sys.spawn(snapshot_fetcher, std::move(sc), *h.hub);
    caf::anon_send(arb, caf::subscribe_atom_v,
                   slot_observer_actor{*h.snapshots});
  }
  // The notice journal before the connections, so it has every notice.
  // Detached: its SQLite writes never hold up a scheduler worker.
  if (s.journal) {
    h.journal = sys.spawn<caf::detached>(notice_journal, *s.journal);
    caf::anon_send(dec, caf::subscribe_atom_v, notice_sink_actor{*h.journal});
  }
  for (std::size_t i = 0; i < s.sessions.size(); ++i)
    if (s.sessions[i].connect_at_start)
      connect(i);
  // Static demand, unless a source owns that class.
  if (!s.holdings.empty() && !s.portfolio)
    caf::anon_send(arb, holding_set{s.holdings});
  if (!s.picks.empty() && !s.picks_loader)
    caf::anon_send(arb, pick_list{s.picks});
  // The sources. The scanner skips what the holdings and picks hold, so it
  // listens to both.
  if (s.scanner)
    h.scanner = sys.spawn(scanner, *s.scanner, arb);
  if (s.picks_loader) {
    auto pc = *s.picks_loader;
    if (h.scanner)
      pc.listeners.push_back(pick_listener_actor{*h.scanner});
    h.picks_loader = sys.spawn(picks_loader, std::move(pc), arb);
  }
  if (s.portfolio) {
    auto pc = *s.portfolio;
    if (h.scanner)
      pc.listeners.push_back(holding_listener_actor{*h.scanner});
    h.portfolio = sys.spawn(portfolio_sync, std::move(pc), arb);
    // Fills from the execution notices; slot events for the notice's own
    // slot.
    caf::anon_send(dec, caf::subscribe_atom_v, notice_sink_actor{*h.portfolio});
    caf::anon_send(arb, caf::subscribe_atom_v,
                   slot_observer_actor{*h.portfolio});
  }
  // The calendar last: its listeners exist.
  if (s.calendar) {
    auto cc = *s.calendar;
    cc.listeners.push_back(calendar_listener_actor{arb});
    if (h.scanner)
      cc.listeners.push_back(calendar_listener_actor{*h.scanner});
    if (h.picks_loader)
      cc.listeners.push_back(calendar_listener_actor{*h.picks_loader});
    h.calendar = sys.spawn(calendar, std::move(cc));
  }
}

void assembly::connect(std::size_t index) {
  auto& h = handles_;
  if (sys_ == nullptr || !h.arbiter || !h.decoder)
    throw std::logic_error("assembly::connect() before start()");
  if (index >= spec_.sessions.size())
    throw std::out_of_range("assembly::connect(): no session "
                            + std::to_string(index));
  if (h.connections[index])
    return;
  auto& session = spec_.sessions[index];
  auto conn = spec_.make_connection(*sys_, session, {*h.arbiter, *h.decoder});
  h.connections[index] = conn;
  caf::anon_send(*h.arbiter, atom::attach_v, session.connection.session,
                 connection_actor{conn});
}

namespace {

template <class Handle>
void end(std::optional<Handle>& hdl) {
  if (hdl)
    caf::anon_send_exit(*hdl, caf::exit_reason::user_shutdown);
  hdl.reset();
}

} // namespace

void assembly::stop_feeds(std::chrono::milliseconds grace) {
  if (sys_ == nullptr)
    return;
  auto& h = handles_;
  // Close frames first (the caller then lets the io thread finish them).
  if (grace.count() > 0) {
    caf::scoped_actor self{*sys_};
    for (auto& c : h.connections)
      if (c)
        self->request(*c, grace, caf::close_atom_v)
            .receive([] {}, [](caf::error&) {});
  }
  for (auto& c : h.connections)
    end(c);
  end(h.calendar);
  end(h.portfolio);
  end(h.picks_loader);
  end(h.scanner);
  end(h.snapshots);
}

void assembly::stop(std::chrono::milliseconds grace) {
  if (sys_ == nullptr)
    return;
  stop_feeds(grace);
  auto& h = handles_;
  end(h.journal);
  end(h.decoder);
  end(h.hub);
  end(h.arbiter);
  h.connections.clear();
  sys_ = nullptr;
}

} // namespace kisrt
