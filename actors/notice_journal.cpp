// SPDX-License-Identifier: Apache-2.0
#include "actors/notice_journal.hpp"

#include <algorithm>
#include <stdexcept>
#include <variant>

#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "store/notice_journal.hpp"

namespace kisrt {

namespace {

using self_ptr = notice_journal_actor::stateful_pointer<notice_journal_state>;
using any_notice = std::variant<notice_event, overseas_notice_event>;

void deliver(self_ptr self, const notice_listener_actor& to, std::uint64_t seq,
             const any_notice& n) {
  // Anonymous: a remote node must not learn the journal's address (it
  // would then send it notices of its own). One sender's messages to one
  // receiver still arrive in the order sent.
  notice_cursor at{self->state.cfg.db->id(), seq};
  if (auto* x = std::get_if<notice_event>(&n))
    caf::anon_send(to, journaled_notice{std::move(at), *x});
  else
    caf::anon_send(to, journaled_overseas_notice{
                           std::move(at), std::get<overseas_notice_event>(n)});
}

void schedule_pump(self_ptr self) {
  if (self->state.pumping)
    return;
  self->state.pumping = true;
  self->send(self, caf::tick_atom_v);
}

// One replay step: up to `chunk` notices to each listener that is behind.
void pump(self_ptr self) {
  auto& st = self->state;
  st.pumping = false;
  auto& db = *st.cfg.db;
  bool behind = false;
  for (auto& l : st.listeners) {
    if (l.after >= db.last_seq())
      continue;
    std::vector<store::journal_entry> rows;
    try {
      rows = db.since(l.after, st.cfg.chunk);
    } catch (const std::exception& ex) {
      spdlog::error("{}; a listener misses notices {}..{}", ex.what(),
                    l.after + 1, db.last_seq());
      l.after = db.last_seq();
      continue;
    }
    if (rows.empty()) { // lost to a write error: nothing left to read
      l.after = db.last_seq();
      continue;
    }
    for (auto& r : rows)
      deliver(self, l.hdl, r.seq, r.notice);
    l.after = rows.back().seq;
    behind = behind || l.after < db.last_seq();
  }
  if (behind)
    schedule_pump(self);
}

void on_notice(self_ptr self, any_notice n) {
  auto& st = self->state;
  auto& db = *st.cfg.db;
  auto t = st.cfg.kst.to_kst(now_of(self));
  auto received_ms = ((t.day * 86400 + t.second) - 9 * 3600) * 1000;
  std::uint64_t seq = 0;
  try {
    seq = db.append(kst_clock::yyyymmdd(t.day), received_ms, n);
  } catch (const std::exception& ex) {
    seq = db.last_seq();
    spdlog::error("{}; notice {} is delivered live only", ex.what(), seq);
  }
  // Live only to listeners that have everything before it; the others get
  // it from their replay, in order.
  for (auto& l : st.listeners)
    if (l.after + 1 == seq) {
      deliver(self, l.hdl, seq, n);
      l.after = seq;
    }
}

bool same_actor(const notice_listener_actor& x, const caf::actor_addr& y) {
  // By control block, not by ID: a node that reconnects gets a new proxy
  // with the old one's ID, and the old proxy's down must not remove it.
  return caf::actor_cast<caf::actor_addr>(x).get() == y.get();
}

caf::result<notice_cursor> subscribe(self_ptr self, notice_listener_actor l,
                                     const notice_cursor& since) {
  auto& st = self->state;
  auto& db = *st.cfg.db;
  if (!l)
    return caf::make_error(caf::sec::runtime_error,
                           std::string{"notice journal: invalid listener"});
  auto last = db.last_seq();
  std::uint64_t start = last;
  if (since.journal.empty()) {
    // live notices only
  } else if (since.journal == db.id() && since.seq <= last) {
    start = since.seq;
    std::uint64_t first = last + 1;
    try {
      first = db.first_seq();
    } catch (const std::exception& ex) {
      spdlog::error("{}", ex.what());
    }
    if (start + 1 < first)
      spdlog::warn("notice journal: a listener asked for notices after {}; "
                   "{}..{} are no longer kept",
                   since.seq, since.seq + 1, first - 1);
  } else {
    spdlog::info("notice journal: a listener's place ({} #{}) is not in "
                 "journal {} (last #{}): sending every kept notice",
                 since.journal, since.seq, db.id(), last);
    start = 0;
  }
  auto i = std::find_if(st.listeners.begin(), st.listeners.end(),
                        [&](const auto& x) { return x.hdl == l; });
  if (i == st.listeners.end()) {
    if (st.listeners.size() >= st.cfg.max_listeners)
      return caf::make_error(caf::sec::runtime_error,
                             "notice journal: "
                                 + std::to_string(st.cfg.max_listeners)
                                 + " listeners already; refused");
    st.listeners.push_back({l, start});
  } else {
    i->hdl = l;
    i->after = start;
  }
  self->monitor(l);
  if (start < last)
    schedule_pump(self);
  return notice_cursor{db.id(), start};
}

} // namespace

notice_journal_actor::behavior_type notice_journal(
    notice_journal_actor::stateful_pointer<notice_journal_state> self,
    notice_journal_config cfg) {
  if (!cfg.db)
    throw std::logic_error("notice_journal needs a store");
  self->state.cfg = std::move(cfg);
  self->set_down_handler([self](const caf::down_msg& dm) {
    auto& ls = self->state.listeners;
    ls.erase(std::remove_if(
                 ls.begin(), ls.end(),
                 [&](const auto& l) { return same_actor(l.hdl, dm.source); }),
             ls.end());
  });
  return {
      // -- notices (from the decoder) --
      [self](notice_event& x) { on_notice(self, std::move(x)); },
      [self](overseas_notice_event& x) { on_notice(self, std::move(x)); },
      // -- subscribers --
      [self](caf::subscribe_atom, atom::notices, notice_listener_actor l,
             const notice_cursor& since) -> caf::result<notice_cursor> {
        return subscribe(self, std::move(l), since);
      },
      [self](caf::unsubscribe_atom, atom::notices,
             const notice_listener_actor& l) {
        auto& ls = self->state.listeners;
        ls.erase(std::remove_if(ls.begin(), ls.end(),
                                [&](const auto& x) { return x.hdl == l; }),
                 ls.end());
      },
      [self](caf::get_atom, atom::notices) {
        auto& db = *self->state.cfg.db;
        return notice_cursor{db.id(), db.last_seq()};
      },
      [self](caf::tick_atom) { pump(self); },
  };
}

} // namespace kisrt
