// SPDX-License-Identifier: Apache-2.0
// kisrt-node: connects to a gateway's node gate (kisrt --publish), says who
// it is, subscribes, asks for slots, and writes every market event it gets
// as one JSON line. When the gateway goes away it reconnects and registers
// again. Status and refusals go to stderr; stdout (or --out) has events only.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <type_traits>

#include "apps/common/version.hpp"
#include "apps/kisrt-node/event_json.hpp"
#include "apps/kisrt-node/node_state.hpp"
#include "apps/kisrt-node/options.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"

using namespace kisrt;

namespace {

struct node_config : caf::actor_system_config {
  explicit node_config(const node::options& o) {
    add_message_types<caf::id_block::kisrt>();
    load<caf::io::middleman>();
    set("logger.verbosity", caf::atom("quiet"));
    // Heartbeats keep a quiet subscription's connection alive at a gateway
    // with a connection timeout (publish.timeout); a silent gateway counts
    // as gone after 30 s.
    set("middleman.heartbeat-interval", caf::timespan{std::chrono::seconds{5}});
    set("middleman.connection-timeout",
        caf::timespan{std::chrono::seconds{30}});
    if (o.tls) {
      load<caf::openssl::manager>();
      openssl_certificate = o.tls_cert;
      openssl_key = o.tls_key;
      openssl_cafile = o.tls_cafile;
    }
  }
};

// -- the listener: one JSON line per event ------------------------------------

struct sink {
  std::FILE* file = stdout;
  std::uint64_t limit = 0; ///< 0: no limit
  std::uint64_t written = 0;
  caf::actor done_to; ///< told ok when the limit is reached
  std::string line;   // reused
  // -- the notice journal (docs/nodes.md): notices come from the journal,
  // with their seq, while `journaled`; plain notices from the hub then are
  // skipped (a gateway without a journal sends only those).
  const node::options* opts = nullptr;
  std::atomic<bool> journaled{false};
  std::mutex place_mu;
  notice_cursor place; ///< the last notice written (under place_mu)
  std::string state;   ///< --state FILE
  /// Keeps `place` in --state FILE; call with place_mu held.
  void save_place() {
    if (state.empty())
      return;
    if (auto err = node::write_state(state, place))
      std::cerr << "kisrt-node: " << *err << '\n';
  }
  ~sink() {
    if (file != stdout)
      std::fclose(file);
  }
};

bool limit_reached(const sink& s) {
  return s.limit != 0 && s.written >= s.limit;
}

struct writer_state {
  std::shared_ptr<sink> out;
  static inline const char* name = "kisrt_node_writer";
};

template <class Event>
void write(writer_state& st, const Event& ev) {
  auto& s = *st.out;
  if (limit_reached(s))
    return;
  s.line.clear();
  node::append_event_json(s.line, ev);
  s.line += '\n';
  std::fwrite(s.line.data(), 1, s.line.size(), s.file);
  std::fflush(s.file);
  if (++s.written == s.limit)
    caf::anon_send(s.done_to, caf::ok_atom_v);
}

// A notice of the journal: written once, in order, and its place kept.
template <class Journaled>
void write_journaled(writer_state& st, const Journaled& ev) {
  auto& s = *st.out;
  if (limit_reached(s))
    return;
  std::lock_guard<std::mutex> guard{s.place_mu};
  switch (node::classify(s.place, ev.at)) {
    case node::notice_step::duplicate: return;
    case node::notice_step::gap:
      std::cerr << "kisrt-node: notices " << s.place.seq + 1 << ".."
                << ev.at.seq - 1 << " are no longer in the gateway's journal\n";
      break;
    case node::notice_step::new_journal:
      std::cerr << "kisrt-node: the gateway has a new notice journal ("
                << ev.at.journal << ", was " << s.place.journal << ")\n";
      break;
    case node::notice_step::next: break;
  }
  if (node::wants_notice(*s.opts, ev.notice.tr_id, key_of(ev.notice)))
    write(st, ev);
  s.place = ev.at;
  s.save_place();
}

using node_listener_actor = remote_listener_actor::extend_with<
    notice_listener_actor>::extend_with<slot_outcome_listener_actor>;

// A slot outcome: one line, not counted towards --count.
void write_slot(writer_state& st, const slot_outcome& ev) {
  auto& s = *st.out;
  if (limit_reached(s))
    return;
  s.line.clear();
  node::append_event_json(s.line, ev);
  s.line += '\n';
  std::fwrite(s.line.data(), 1, s.line.size(), s.file);
  std::fflush(s.file);
}

node_listener_actor::behavior_type
writer(node_listener_actor::stateful_pointer<writer_state> self,
       std::shared_ptr<sink> out) {
  self->state.out = std::move(out);
  auto& st = self->state;
  return remote_market_behavior<node_listener_actor::behavior_type>(
      [&st](const auto& ev) {
        // Notices come from the journal when it is on.
        if (!is_critical_event<
                std::decay_t<decltype(ev)>> || !st.out->journaled)
          write(st, ev);
      },
      [&st](const journaled_notice& ev) { write_journaled(st, ev); },
      [&st](const journaled_overseas_notice& ev) { write_journaled(st, ev); },
      [&st](const slot_outcome& ev) { write_slot(st, ev); });
}

// -- talking to the gate ------------------------------------------------------

std::string why(caf::actor_system& sys, const caf::error& err) {
  // The gate's refusals carry their reason as the error's context.
  if (err.context().match_elements<std::string>())
    return err.context().get_as<std::string>(0);
  return sys.render(err);
}

caf::expected<node_gate_actor> connect(caf::actor_system& sys,
                                       const node::options& o) {
  if (o.tls)
    return caf::openssl::remote_actor<node_gate_actor>(sys, o.host, o.port);
  return sys.middleman().remote_actor<node_gate_actor>(o.host, o.port);
}

// Says hello, subscribes and asks for the slots. False when the gate
// refused the hello or did not answer (try again later); refused slot
// requests are reported and skipped.
bool join(caf::actor_system& sys, caf::scoped_actor& self,
          const node_gate_actor& gate, const node::options& o,
          const node_listener_actor& listener, sink& out) {
  constexpr auto timeout = std::chrono::seconds{10};
  bool ok = true;
  auto fail = [&](const std::string& what) {
    return [&, what](caf::error& err) {
      std::cerr << "kisrt-node: " << what << ": " << why(sys, err) << '\n';
      ok = false;
    };
  };
  self->request(gate, timeout, node_hello{o.name})
      .receive(
          [&](const node_policy& p) {
            std::cerr << "kisrt-node: joined as '" << o.name << "' (owner "
                      << p.owner << ", priority " << int{p.max_priority}
                      << "..255, up to " << p.max_slots << " slots)\n";
          },
          fail("hello refused"));
  if (!ok)
    return false;
  // Notices from the journal: first the ones missed since the last one
  // written, then live. Before the hub subscriptions, so no plain notice
  // is written while the journal is being asked.
  if (node::wants_notices(o)) {
    notice_cursor since;
    {
      std::lock_guard<std::mutex> guard{out.place_mu};
      since = out.place;
    }
    out.journaled = true;
    self->request(gate, timeout, caf::subscribe_atom_v, atom::notices_v,
                  notice_listener_actor{listener}, since)
        .receive(
            [&](const notice_cursor& start) {
              std::lock_guard<std::mutex> guard{out.place_mu};
              if (!since.journal.empty() && since.journal != start.journal)
                std::cerr << "kisrt-node: the gateway has a new notice "
                             "journal ("
                          << start.journal << ", was " << since.journal
                          << "): every notice it keeps follows\n";
              out.place = node::merge_start(out.place, start);
              out.save_place();
              std::cerr << "kisrt-node: notices after #" << start.seq
                        << " of journal " << start.journal << '\n';
            },
            [&](caf::error& err) {
              // A gateway without a journal: plain notices, no seq.
              std::cerr << "kisrt-node: no notice journal (" << why(sys, err)
                        << "); notices come without seq\n";
              out.journaled = false;
            });
  }
  auto hub_key = [&](const slot_key& key) {
    return !out.journaled || !node::is_notice_tr(key.tr_id);
  };
  if (o.subscribe_all)
    self->request(gate, timeout, caf::subscribe_atom_v,
                  remote_listener_actor{listener})
        .receive([] {}, fail("subscribe refused"));
  for (auto& key : o.subscribe)
    if (hub_key(key))
      self->request(gate, timeout, caf::subscribe_atom_v,
                    remote_listener_actor{listener}, key)
          .receive([] {}, fail("subscribe " + key.tr_id + ":" + key.tr_key
                               + " refused"));
  if (!ok)
    return false;
  // Slot events before the requests, so the first outcome is not missed.
  if (o.slot_events == "all" || (o.slot_events == "own" && !o.requests.empty()))
    self->request(gate, timeout, caf::subscribe_atom_v, atom::slots_v,
                  slot_outcome_listener_actor{listener}, o.slot_events == "all")
        .receive([] {},
                 [&](caf::error& err) {
                   // Not fatal: market events flow without them.
                   std::cerr
                       << "kisrt-node: slot events refused: " << why(sys, err)
                       << '\n';
                 });
  for (auto& rq : o.requests)
    self->request(gate, timeout, rq)
        .receive(
            [&] {
              std::cerr << "kisrt-node: requested " << rq.key.tr_id << ':'
                        << rq.key.tr_key << " at " << int{rq.level} << '\n';
            },
            [&](caf::error& err) {
              // A policy refusal is final for this request; keep going.
              std::cerr << "kisrt-node: request " << rq.key.tr_id << ':'
                        << rq.key.tr_key << ':' << int{rq.level}
                        << " refused: " << why(sys, err) << '\n';
            });
  return true;
}

} // namespace

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt-node"))
    return 0;
  node::options o;
  if (argc == 2
      && (std::string_view{argv[1]} == "--help"
          || std::string_view{argv[1]} == "-h")) {
    std::cout << node::usage;
    return 0;
  }
  if (auto err = node::parse_options(argc, argv, o)) {
    std::cerr << "kisrt-node: " << *err << '\n' << node::usage;
    return 2;
  }
  if (o.name.empty())
    o.name = "node-" + std::to_string(::getpid());
  auto out = std::make_shared<sink>();
  if (!o.out.empty()) {
    out->file = std::fopen(o.out.c_str(), "w");
    if (out->file == nullptr) {
      std::cerr << "kisrt-node: --out: cannot write " << o.out << '\n';
      return 2;
    }
  }
  out->limit = o.count;
  out->opts = &o;
  out->state = o.state;
  if (!o.state.empty()) {
    if (auto err = node::read_state(o.state, out->place)) {
      std::cerr << "kisrt-node: " << *err << '\n';
      return 2;
    }
  }
  node_config cfg{o};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  out->done_to = caf::actor{self};
  auto listener = sys.spawn(writer, out);
  using namespace std::chrono_literals;
  constexpr auto backoff_min = 200ms;
  constexpr auto backoff_max = 5s;
  auto backoff = std::chrono::milliseconds{backoff_min};
  bool done = false;
  // Waits for `d` unless the event limit is reached first.
  auto pause = [&](std::chrono::milliseconds d) {
    self->receive([&](caf::ok_atom) { done = true; }, caf::after(d) >> [] {});
  };
  while (!done) {
    auto gate = connect(sys, o);
    if (!gate) {
      std::cerr << "kisrt-node: cannot reach " << o.host << ':' << o.port
                << ": " << why(sys, gate.error()) << "; retrying in "
                << backoff.count() << " ms\n";
      pause(backoff);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, backoff_max);
      continue;
    }
    self->monitor(*gate);
    if (!join(sys, self, *gate, o, listener, *out)) {
      self->demonitor(gate->address());
      pause(backoff);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, backoff_max);
      continue;
    }
    backoff = backoff_min;
    bool gone = false;
    while (!gone && !done)
      self->receive(
          [&](caf::down_msg& dm) {
            if (dm.source == gate->address()) {
              std::cerr << "kisrt-node: gateway gone (" << why(sys, dm.reason)
                        << "); reconnecting\n";
              gone = true;
            }
          },
          [&](caf::ok_atom) { done = true; });
  }
  self->send_exit(listener, caf::exit_reason::user_shutdown);
  return 0;
}
