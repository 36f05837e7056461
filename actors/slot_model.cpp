// SPDX-License-Identifier: Apache-2.0
#include "actors/slot_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "net/kis/control.hpp"

namespace kisrt {

slot_model::slot_model(slot_config cfg)
    : cfg_(std::move(cfg)) {
  for (auto& sc : cfg_.sessions) {
    session_state s;
    s.cfg = sc;
    s.learned = sc.cap;
    sessions_.push_back(std::move(s));
  }
  std::sort(sessions_.begin(), sessions_.end(),
            [](const auto& a, const auto& b) { return a.cfg.id < b.cfg.id; });
  // The execution notice is demand like any other, at level 0 and pinned
  // to its session, so replay and acks need no special path.
  for (auto& s : sessions_) {
    if (s.cfg.reserve_notice && !s.cfg.notice.tr_key.empty()) {
      auto& e = entries_[s.cfg.notice];
      e.key = s.cfg.notice;
      // `order` names the session the notice is pinned to.
      e.owners.push_back(owner_entry{owner_kind::notice,
                                     {},
                                     notice_priority,
                                     static_cast<std::int64_t>(s.cfg.id),
                                     0,
                                     mono_time{0}});
      refresh_rank(e);
    }
  }
}

// -- declared demand ----------------------------------------------------------

slot_model::owner_change slot_model::add_owner(const slot_key& key,
                                               owner_entry x) {
  auto [i, added] = entries_.try_emplace(key);
  auto& e = i->second;
  if (added) {
    keys_changed_ = true;
    e.key = key;
  }
  owner_change result{e, added, e.owned, e.kind, e.level};
  auto& owners = e.owners;
  for (auto& o : owners) {
    if (o.kind == x.kind && o.name == x.name) {
      o = std::move(x);
      refresh_rank(e);
      return result;
    }
  }
  owners.push_back(std::move(x));
  refresh_rank(e);
  return result;
}

void slot_model::refresh_rank(entry& e) {
  bool was_parked = e.parked;
  auto old_b = e.rank_b;
  e.owned = !e.owners.empty();
  e.level = lowest_priority;
  e.kind = owner_kind::request;
  for (auto& o : e.owners) {
    if (o.level < e.level || (o.level == e.level && o.kind < e.kind)) {
      e.level = o.level;
      e.kind = o.kind;
    }
  }
  e.rank_a = 0;
  e.rank_b = 0;
  for (auto& o : e.owners) {
    if (o.kind != e.kind)
      continue;
    switch (o.kind) {
      case owner_kind::notice: // the session it is pinned to
      case owner_kind::pick:   // the rank
        e.rank_a = o.order;
        break;
      case owner_kind::scan: e.rank_b = -o.score; break;
      case owner_kind::request: // the latest arrival at the best level
        if (o.level == e.level)
          e.rank_a = std::max(e.rank_a, o.order);
        break;
      case owner_kind::holding: break;
    }
  }
  // The index orders by rank_b; erasing by position compares nothing, so
  // the entry may leave it after its rank changed.
  if (was_parked) {
    if (!park_eligible(e)) {
      parked_.erase(e.park_pos);
      e.parked = false;
      insert_live(e);
    } else if (e.rank_b != old_b) {
      parked_.erase(e.park_pos);
      e.park_pos = parked_.insert(&e).first;
    }
  }
}

void slot_model::remove_owner(const slot_key& key, owner_kind kind,
                              const std::string& name) {
  auto i = entries_.find(key);
  if (i == entries_.end())
    return;
  auto& owners = i->second.owners;
  owners.erase(std::remove_if(owners.begin(), owners.end(),
                              [&](const owner_entry& o) {
                                return o.kind == kind && o.name == name;
                              }),
               owners.end());
  refresh_rank(i->second);
  // An entry without owners lives on until reconcile() frees its wire.
}

void slot_model::add_holding(const std::string& symbol) {
  if (!holdings_.insert(symbol).second)
    return;
  for (auto& tr : holding_trs_for(symbol))
    add_owner(
        slot_key{tr, symbol},
        owner_entry{
            owner_kind::holding, {}, holding_priority, 0, 0, mono_time{0}});
}

void slot_model::remove_holding(const std::string& symbol) {
  if (holdings_.erase(symbol) == 0)
    return;
  for (auto& tr : holding_trs_for(symbol))
    remove_owner(slot_key{tr, symbol}, owner_kind::holding, {});
}

void slot_model::set_holdings(const std::vector<std::string>& symbols,
                              mono_time now, slot_outputs& out) {
  std::set<std::string> next(symbols.begin(), symbols.end());
  std::vector<std::string> gone;
  for (auto& s : holdings_)
    if (next.count(s) == 0)
      gone.push_back(s);
  for (auto& s : gone)
    remove_holding(s);
  for (auto& s : next)
    add_holding(s);
  reconcile(now, out);
}

void slot_model::update_position(const position_update& x, mono_time now,
                                 slot_outputs& out) {
  if (x.quantity > 0)
    add_holding(x.symbol);
  else
    remove_holding(x.symbol);
  reconcile(now, out);
}

void slot_model::set_picks(const std::vector<std::string>& ranked,
                           mono_time now, slot_outputs& out) {
  for (auto& s : picks_)
    if (std::find(ranked.begin(), ranked.end(), s) == ranked.end())
      for (auto& tr : pick_trs_for(s))
        remove_owner(slot_key{tr, s}, owner_kind::pick, {});
  picks_.clear();
  for (auto& s : ranked) {
    // A symbol listed twice keeps its better rank.
    if (std::find(picks_.begin(), picks_.end(), s) != picks_.end())
      continue;
    auto rank = static_cast<std::int64_t>(picks_.size());
    picks_.push_back(s);
    for (auto& tr : pick_trs_for(s))
      add_owner(
          slot_key{tr, s},
          owner_entry{
              owner_kind::pick, {}, pick_priority, rank, 0, mono_time{0}});
  }
  reconcile(now, out);
}

void slot_model::add_candidates(const std::vector<scan_candidate>& xs,
                                mono_time now, slot_outputs& out) {
  // A scanner poll mostly refreshes candidates that cannot change the
  // plan: every place is taken by keys a waiting candidate cannot
  // displace, and the last plan left nothing to do. Then the update is
  // bookkeeping only; the next plan (at the latest the next tick) sees it.
  bool skip =
      cfg_.skip_futile_plans && saturated_ && fixed_point_ && now < next_due_;
  for (auto& c : xs) {
    // NaN would break the ordering of candidates: it ranks last.
    auto score = std::isnan(c.score) ? -std::numeric_limits<double>::infinity()
                                     : c.score;
    for (auto& tr : cfg_.scan_trs) {
      auto x = add_owner(
          slot_key{tr, c.symbol},
          owner_entry{owner_kind::scan, {}, scan_priority, 0, score, c.seen});
      // A new key is one more waiting candidate. A scanner key keeps a
      // rank that ignores the score once placed, and has no place to take
      // while waiting; a better owner decides the rank of the rest.
      skip = skip
             && (x.was_new
                 || (x.owned_before
                     && (x.kind_before == owner_kind::scan
                         || x.level_before < scan_priority)));
    }
  }
  if (skip)
    ++plans_skipped_;
  else
    reconcile(now, out);
}

void slot_model::request(const slot_request& x, mono_time now,
                         slot_outputs& out) {
  // Level 0 belongs to the execution notice.
  auto level = std::max<priority>(x.level, holding_priority);
  auto i = entries_.find(x.key);
  std::int64_t seq = -1;
  if (i != entries_.end())
    for (auto& o : i->second.owners)
      if (o.kind == owner_kind::request && o.name == x.owner)
        seq = o.order; // a repeated request keeps its place in line
  if (seq < 0)
    seq = request_seq_++;
  add_owner(x.key, owner_entry{owner_kind::request, x.owner, level, seq, 0,
                               mono_time{0}});
  reconcile(now, out);
}

void slot_model::release(const slot_release& x, mono_time now,
                         slot_outputs& out) {
  if (x.key.tr_id.empty() && x.key.tr_key.empty()) {
    for (auto& kv : entries_) {
      auto& owners = kv.second.owners;
      owners.erase(std::remove_if(owners.begin(), owners.end(),
                                  [&](const owner_entry& o) {
                                    return o.kind == owner_kind::request
                                           && o.name == x.owner;
                                  }),
                   owners.end());
      refresh_rank(kv.second);
    }
  } else {
    remove_owner(x.key, owner_kind::request, x.owner);
  }
  reconcile(now, out);
}

// -- wire side ----------------------------------------------------------------

void slot_model::on_up(session_id sid, epoch_t epoch, mono_time now,
                       slot_outputs& out) {
  auto* s = find_session(sid);
  if (s == nullptr || epoch <= s->epoch)
    return; // unknown session or an old/duplicate up
  if (s->up)
    on_down(sid, s->epoch, now, out); // missed the down of the last epoch
  s->up = true;
  s->epoch = epoch;
  // A new connection starts from the configured cap: an OPSP0008 right
  // after a reconnect can stem from the server still holding the old
  // session, so a cap learned then must not stick forever.
  s->learned = s->cfg.cap;
  auto first = out.commands.size();
  reconcile(now, out);
  std::uint32_t count = 0;
  for (auto i = first; i < out.commands.size(); ++i)
    if (out.commands[i].session == sid
        && out.commands[i].op == wire_op::subscribe)
      ++count;
  out.events.emplace_back(session_replayed{sid, epoch, count});
}

void slot_model::on_down(session_id sid, epoch_t epoch, mono_time now,
                         slot_outputs& out) {
  auto* s = find_session(sid);
  if (s == nullptr || !s->up || epoch != s->epoch)
    return; // a late down of an older connection
  s->up = false;
  for (auto* ep : ordered()) {
    auto& e = *ep;
    if (e.wired == sid) {
      e.wired = no_session;
      e.wire = wire_state::none;
      e.resubscribe = false;
    }
  }
  reconcile(now, out);
}

void slot_model::on_ack(const sub_ack& x, mono_time now, slot_outputs& out) {
  auto* s = find_session(x.session);
  if (s == nullptr || !s->up || x.epoch != s->epoch)
    return; // answer from an older epoch: the socket it belongs to is gone
  auto i = entries_.find(x.key);
  if (i == entries_.end())
    return;
  auto& e = i->second;
  if (e.wired != x.session || e.epoch != x.epoch)
    return;
  using kis::ack_outcome;
  auto outcome = kis::classify_msg_cd(x.msg_cd);
  if (e.wire == wire_state::pending) {
    if (kis::is_active(outcome)) {
      e.wire = wire_state::active;
      e.active_since = now;
      e.retries = 0;
      e.cap_rejected = false;
      // The server took more than we thought it would.
      s->learned = std::max(s->learned, registered(x.session));
      out.events.emplace_back(slot_active{x.session, x.epoch, e.key});
    } else if (outcome == ack_outcome::cap_reached) {
      e.wire = wire_state::none;
      e.wired = no_session;
      e.cap_rejected = true;
      // The server's cap is what it holds for us right now (plus the
      // notice reservation while the notice is not registered).
      auto reg = registered(x.session);
      if (s->cfg.reserve_notice) {
        auto n = entries_.find(s->cfg.notice);
        bool notice_on = n != entries_.end() && n->second.wired == x.session
                         && n->second.wire == wire_state::active;
        if (!notice_on)
          ++reg;
      }
      s->learned = std::min(s->learned, std::max<std::uint32_t>(reg, 1));
      s->probe_at = now + cfg_.cap_probe;
      out.events.emplace_back(slot_rejected{x.session, e.key, x.msg_cd, false});
    } else if (kis::is_retryable(outcome)
               || outcome == ack_outcome::invalid_appkey
               || outcome == ack_outcome::invalid_approval
               || outcome == ack_outcome::app_key_in_use) {
      // Session-level refusals are retried too: the connection re-issues
      // its key or reconnects, and the slot should follow.
      e.wire = wire_state::none;
      e.wired = no_session;
      ++e.retries;
      e.retry_at = now + backoff(e.retries);
      out.events.emplace_back(slot_rejected{x.session, e.key, x.msg_cd, false});
    } else if (outcome == ack_outcome::unsubscribed
               || outcome == ack_outcome::not_subscribed) {
      e.wire = wire_state::none; // not an answer to a subscribe: resend
      e.wired = no_session;
    } else {
      e.wire = wire_state::none;
      e.wired = no_session;
      e.rejected_for_good = true;
      // Holdings and picks are what the trader must see: a refusal of one
      // may be the server's passing mistake, so it is tried again after a
      // long pause (assign() lifts the refusal when it is due).
      // The execution notice too: without it fills are lost.
      if (e.kind == owner_kind::notice || e.kind == owner_kind::holding
          || e.kind == owner_kind::pick)
        e.retry_at = now + cfg_.reject_retry;
      out.events.emplace_back(slot_rejected{x.session, e.key, x.msg_cd, true});
    }
  } else if (e.wire == wire_state::releasing) {
    if (kis::is_retryable(outcome)) {
      // Still registered: unsubscribe again after a pause.
      e.wire = wire_state::active;
      ++e.retries;
      e.retry_at = now + backoff(e.retries);
    } else {
      // OPSP0001, OPSP0003 (was not registered) or a refusal that leaves
      // nothing to free: the registration is gone.
      e.wire = wire_state::none;
      e.wired = no_session;
      e.resubscribe = false;
      e.retries = 0;
      e.retry_at = mono_time{0};
    }
  } else {
    return; // nothing outstanding: a duplicate answer
  }
  reconcile(now, out);
}

void slot_model::on_answer_timeout(const answer_timeout& x, mono_time,
                                   slot_outputs& out) {
  auto* s = find_session(x.session);
  if (s == nullptr || !s->up || x.epoch != s->epoch)
    return;
  auto i = entries_.find(x.key);
  if (i == entries_.end())
    return;
  auto& e = i->second;
  if (e.wired != x.session || e.epoch != x.epoch)
    return;
  // The state stays: an unanswered subscribe may be registered (it keeps
  // its place against the cap; OPSP0002 to the re-send makes it active),
  // an unanswered unsubscribe may not be (OPSP0003 to the re-send frees
  // it). Nothing else changes, so there is nothing to plan.
  if ((x.op == wire_op::subscribe && e.wire == wire_state::pending)
      || (x.op == wire_op::unsubscribe && e.wire == wire_state::releasing))
    out.commands.push_back(wire_command{x.session, x.epoch, x.op, e.key});
}

void slot_model::on_data(const data_seen_batch& x) {
  for (auto& d : x.items) {
    auto i = entries_.find(d.key);
    if (i == entries_.end() || i->second.wired != x.session)
      continue;
    auto& e = i->second;
    if (d.at > e.last_data) {
      e.last_data = d.at;
      e.stale_reported = false;
    }
  }
}

void slot_model::tick(mono_time now, const open_markets& open,
                      slot_outputs& out) {
  open_ = open;
  // Lapsed candidates are dropped here, not on every demand: the plan
  // stays cheap and a candidate lives at most one tick longer.
  expire_candidates(now);
  if (open.any()) {
    for (auto* ep : ordered()) {
      auto& e = *ep;
      if (e.wire != wire_state::active || e.stale_reported || !is_up(e.wired)
          || !open.covers(e.key))
        continue;
      bool watched = false;
      for (auto& o : e.owners)
        watched |= o.kind == owner_kind::holding || o.kind == owner_kind::pick;
      if (!watched)
        continue;
      auto silent = now - std::max(e.active_since, e.last_data);
      if (silent >= cfg_.stale_after) {
        e.stale_reported = true;
        e.resubscribe = true;
        out.events.emplace_back(slot_stale{e.wired, e.key, silent});
      }
    }
  }
  // The learned cap only falls by OPSP0008; probe upward while demand waits
  // (the server's cap may have risen again), one subscribe per cap_probe.
  if (cfg_.cap_probe.count() > 0 && demand_waits_) {
    for (auto& s : sessions_) {
      if (s.up && s.learned < s.cfg.cap && now >= s.probe_at) {
        ++s.learned;
        s.probe_at = now + cfg_.cap_probe;
        ++cap_probes_;
      }
    }
  }
  reconcile(now, out);
}

// -- planning -----------------------------------------------------------------

void slot_model::reconcile(mono_time now, slot_outputs& out) {
  auto commands = out.commands.size();
  auto events = out.events.size();
  assign(now, out);
  send_diff(now, out);
  finish(now, out);
  // A plan that moved nothing and sent nothing is its own fixed point:
  // planning again on the same inputs before `next_due_` gives nothing.
  fixed_point_ = out.commands.size() == commands && out.events.size() == events;
}

void slot_model::expire_candidates(mono_time now) {
  for (auto* ep : ordered()) {
    auto& e = *ep;
    auto& owners = e.owners;
    bool held = protected_scan(e, now);
    auto n = owners.size();
    owners.erase(std::remove_if(owners.begin(), owners.end(),
                                [&](const owner_entry& o) {
                                  return o.kind == owner_kind::scan && !held
                                         && now - o.seen >= cfg_.candidate_ttl;
                                }),
                 owners.end());
    if (owners.size() != n)
      refresh_rank(e);
  }
}

bool slot_model::rank_less(const rank_item& x, const rank_item& y) noexcept {
  if (x.level != y.level)
    return x.level < y.level;
  if (x.tier != y.tier)
    return x.tier < y.tier;
  if (x.a != y.a)
    return x.a < y.a;
  if (x.b != y.b)
    return x.b < y.b;
  return x.idx < y.idx; // key order
}

void slot_model::move_to(entry& e, session_id target, evict_reason why,
                         mono_time now, slot_outputs& out) {
  if (target == e.planned)
    return;
  if (e.planned != no_session)
    out.events.emplace_back(slot_evicted{
        e.planned, e.key, target == no_session ? why : evict_reason::moved});
  if (target != no_session) {
    if (e.planned == no_session) {
      e.home = target;
      if (!e.granted_valid) {
        e.granted_valid = true;
        e.granted = now;
      }
    }
    out.events.emplace_back(slot_granted{target, e.key, e.level});
  }
  e.planned = target;
}

void slot_model::assign(mono_time now, slot_outputs& out) {
  order_.clear();
  waiting_.clear();
  std::size_t pinned = 0;
  // The first time at which a timer (retry, hold, silence) may change
  // what this plan decides.
  auto due = mono_time::max();
  auto due_at = [&](mono_time t) {
    if (t > now && t < due)
      due = t;
  };
  for (auto* ep : live()) {
    auto& e = *ep;
    due_at(e.retry_at);
    if (e.rejected_for_good && now >= e.retry_at
        && (e.kind == owner_kind::notice || e.kind == owner_kind::holding
            || e.kind == owner_kind::pick))
      e.rejected_for_good = false; // reject_retry is over: try again
    if (!e.owned || e.rejected_for_good) {
      move_to(e, no_session, evict_reason::released, now, out);
      continue;
    }
    // Only fields cached by refresh_rank(): no walk over the owners of
    // thousands of candidates on every plan.
    rank_item r{e.level, 0, 0, 0, e.idx, &e};
    bool placed = e.planned != no_session;
    switch (e.kind) {
      case owner_kind::notice: ++pinned; break;
      case owner_kind::holding:
        // Holdings on an up session first, so a holding coming over from
        // a down session never displaces a resident one.
        r.tier = placed ? (is_up(e.planned) ? 0 : 1) : 2;
        r.a = placed ? e.granted.count() : 0;
        break;
      case owner_kind::pick: r.a = e.rank_a; break;
      case owner_kind::scan:
        if (!placed) {
          // Waiting candidates are many; they are ranked among themselves
          // first (below) and only the best few join the plan.
          waiting_.push_back(rank_item{e.level, 1, 0, e.rank_b, e.idx, &e});
          continue;
        } else {
          if (e.granted_valid)
            due_at(e.granted + cfg_.min_hold);
          if (open_.covers(e.key) && e.wire == wire_state::active)
            due_at(std::max(e.active_since, e.last_data) + cfg_.scan_silence);
          // Newest grant kept longest: the oldest grant goes first.
          r.tier = recyclable(e, now) ? 2 : 0;
          r.a = -e.granted.count();
        }
        break;
      case owner_kind::request:
        r.tier = placed ? 0 : 1;
        r.a = e.rank_a;
        break;
    }
    order_.push_back(r);
  }
  std::int64_t room = 0;
  for (auto& s : sessions_) {
    auto cap = std::min(s.cfg.cap, s.learned);
    s.budget = static_cast<std::int64_t>(cap) - (s.cfg.reserve_notice ? 1 : 0);
    room += std::max<std::int64_t>(s.budget, 0);
  }
  next_due_ = due;
  // Parked candidates (waiting, outside the walk above) join with their
  // best `room`: no other one can get a place.
  auto take = std::min(parked_.size(), static_cast<std::size_t>(room));
  auto pi = parked_.begin();
  for (std::size_t n = 0; n < take; ++n, ++pi)
    waiting_.push_back(
        rank_item{(*pi)->level, 1, 0, (*pi)->rank_b, (*pi)->idx, *pi});
  // A waiting candidate behind `room` better ones cannot get a place, and
  // having none it has nothing to give up: leave it out of the plan.
  auto keep = std::min(waiting_.size(), static_cast<std::size_t>(room));
  auto keep_end = waiting_.begin() + static_cast<std::ptrdiff_t>(keep);
  // Candidates that wait outside this plan (before placing unparks some).
  bool left_out = waiting_.size() > keep || parked_.size() > take;
  if (keep_end != waiting_.end())
    std::nth_element(waiting_.begin(), keep_end, waiting_.end(),
                     [](const rank_item& x, const rank_item& y) {
                       return x.b != y.b ? x.b < y.b : x.idx < y.idx;
                     });
  order_.insert(order_.end(), waiting_.begin(), keep_end);
  // Only the best `pinned + room` keys can get a place: every other key
  // finds every budget spent. Sorting just those keeps a plan over
  // thousands of scanner candidates cheap.
  auto head_size =
      std::min(order_.size(), pinned + static_cast<std::size_t>(room));
  auto head_end = order_.begin() + static_cast<std::ptrdiff_t>(head_size);
  if (head_end != order_.end())
    std::nth_element(order_.begin(), head_end, order_.end(), rank_less);
  std::sort(order_.begin(), head_end, rank_less);
  std::vector<slot_key> starved;
  auto why_of = [&](const rank_item& r) {
    return r.tier == 2 && r.e->kind == owner_kind::scan
               ? evict_reason::recycled
               : evict_reason::preempted;
  };
  for (auto i = order_.begin(); i != head_end; ++i) {
    auto& e = *i->e;
    session_id target = no_session;
    if (e.kind == owner_kind::notice) {
      target = static_cast<session_id>(e.rank_a);
    } else {
      target = choose_session(e, e.kind == owner_kind::holding);
      if (target != no_session)
        --find_session(target)->budget;
      else if (e.kind == owner_kind::holding)
        starved.push_back(e.key);
    }
    move_to(e, target, why_of(*i), now, out);
    if (target != no_session && e.parked)
      unpark(e);
  }
  // Could one more waiting candidate get a place? Only with room left or
  // a placed key that ranks below it in the next plan: a level below the
  // scanner's or a recyclable scanner slot (placed scanner keys and
  // requests rank before waiting candidates otherwise).
  bool open = false;
  for (auto& s : sessions_)
    open |= s.budget > 0;
  for (auto i = order_.begin(); i != head_end && !open; ++i) {
    auto& e = *i->e;
    if (e.planned == no_session)
      continue;
    open = e.level > scan_priority
           || (e.level == scan_priority && e.kind == owner_kind::scan
               && recyclable(e, now));
  }
  saturated_ = !open;
  // Demand without a place: a key the walk could not place, a key past the
  // head, or waiting candidates left out of the walk.
  bool waits = head_end != order_.end() || left_out;
  for (auto i = order_.begin(); i != head_end && !waits; ++i)
    waits = i->e->planned == no_session;
  demand_waits_ = waits;
  // The rest has no place; evict the placed ones in rank order.
  tail_.clear();
  for (auto i = head_end; i != order_.end(); ++i) {
    if (i->e->kind == owner_kind::holding)
      starved.push_back(i->e->key);
    if (i->e->planned != no_session)
      tail_.push_back(*i);
  }
  std::sort(tail_.begin(), tail_.end(), rank_less);
  for (auto& r : tail_)
    move_to(*r.e, no_session, why_of(r), now, out);
  std::sort(starved.begin(), starved.end());
  if (starved != starved_) {
    starved_ = std::move(starved);
    out.events.emplace_back(slots_starved{starved_});
  }
}

session_id slot_model::best_session(bool up_only) const {
  session_id best = no_session;
  std::int64_t room = 0;
  for (auto& s : sessions_) {
    if (up_only && !s.up)
      continue;
    if (s.budget > room) {
      room = s.budget;
      best = s.cfg.id;
    }
  }
  return best;
}

session_id slot_model::choose_session(const entry& e, bool holding) const {
  auto has_room = [&](session_id s) {
    auto* st = find_session(s);
    return st != nullptr && st->budget > 0;
  };
  if (e.planned != no_session) {
    if (is_up(e.planned)) {
      // A holding that moved away returns home once home is up again.
      if (holding && e.home != e.planned && is_up(e.home) && has_room(e.home))
        return e.home;
      if (has_room(e.planned))
        return e.planned;
    } else {
      // Holdings of a down session move to sessions that are up; the
      // rest waits there for the replay.
      if (holding) {
        auto t = best_session(true);
        if (t != no_session)
          return t;
      }
      if (has_room(e.planned))
        return e.planned;
    }
  }
  auto t = best_session(true);
  if (t != no_session)
    return t;
  return best_session(false);
}

void slot_model::send_diff(mono_time now, slot_outputs& out) {
  for (auto& s : sessions_)
    s.used = 0;
  // One pass: count what is on the wire, unsubscribe what the plan no
  // longer wants there (or a stale key to re-subscribe), collect keys
  // waiting for a subscribe, and settle what the snapshot shows. One
  // command in flight per key, so a pending subscribe is answered before
  // anything else happens to its key.
  std::vector<wire_command> unsubs;
  order_.clear();
  erase_pending_ = false;
  auto visit = [&](entry& e) {
    if (e.wire != wire_state::none) {
      auto* s = find_session(e.wired);
      ++s->used;
      if (e.wire == wire_state::active && s->up
          && (e.planned != e.wired || e.resubscribe) && now >= e.retry_at) {
        e.wire = wire_state::releasing;
        e.epoch = s->epoch;
        unsubs.push_back(
            wire_command{e.wired, s->epoch, wire_op::unsubscribe, e.key});
      }
      show(e, now);
      return;
    }
    if (!e.owned) {
      erase_pending_ = true; // nothing on the wire, nobody wants it
      return;
    }
    if (e.planned == no_session) {
      e.granted_valid = false; // a later grant is a new grant
    } else if (!e.rejected_for_good && is_up(e.planned) && now >= e.retry_at) {
      order_.push_back(rank_item{e.level, 0, e.granted.count(), 0, e.idx, &e});
    }
    show(e, now);
  };
  // Waiting candidates settled by this pass leave the walk for the index.
  auto& keys = live();
  std::size_t kept = 0;
  for (auto* ep : keys) {
    visit(*ep);
    if (park_eligible(*ep))
      park(*ep);
    else
      keys[kept++] = ep;
  }
  keys.resize(kept);
  // Subscribes in replay order: priority, then original grant time. They
  // go out only while the session has room on the wire.
  std::sort(
      order_.begin(), order_.end(), [](const rank_item& x, const rank_item& y) {
        return std::tie(x.level, x.a, x.idx) < std::tie(y.level, y.a, y.idx);
      });
  for (auto& r : order_) {
    auto& e = *r.e;
    auto* s = find_session(e.planned);
    if (s->used >= wire_limit(*s))
      continue;
    ++s->used;
    e.wired = e.planned;
    e.wire = wire_state::pending;
    e.epoch = s->epoch;
    e.cap_rejected = false;
    show(e, now);
    out.commands.push_back(
        wire_command{e.wired, s->epoch, wire_op::subscribe, e.key});
  }
  out.commands.insert(out.commands.end(), unsubs.begin(), unsubs.end());
}

void slot_model::show(entry& e, mono_time now) {
  auto st = public_state(e);
  auto where = e.wire != wire_state::none ? e.wired : e.planned;
  if (st != e.shown || where != e.shown_session) {
    e.shown = st;
    e.shown_session = where;
    e.since = now;
  }
}

void slot_model::finish(mono_time, slot_outputs&) {
  if (!erase_pending_)
    return;
  for (auto i = entries_.begin(); i != entries_.end();) {
    if (i->second.owners.empty() && i->second.wire == wire_state::none)
      i = entries_.erase(i);
    else
      ++i;
  }
  keys_changed_ = true;
  erase_pending_ = false;
}

const std::vector<slot_model::entry*>& slot_model::ordered() const {
  if (keys_changed_) {
    ++ordered_gen_;
    ordered_.clear();
    std::uint32_t idx = 0;
    for (auto& kv : entries_) {
      auto& e = const_cast<entry&>(kv.second);
      e.idx = idx++;
      ordered_.push_back(&e);
    }
    keys_changed_ = false;
  }
  return ordered_;
}

std::vector<slot_model::entry*>& slot_model::live() const {
  auto& all = ordered();
  if (live_gen_ != ordered_gen_) {
    live_.clear();
    for (auto* e : all)
      if (!e->parked)
        live_.push_back(e);
    live_gen_ = ordered_gen_;
  }
  return live_;
}

void slot_model::insert_live(entry& e) {
  if (keys_changed_ || live_gen_ != ordered_gen_)
    return; // the next live() rebuilds from all keys
  auto i = std::lower_bound(
      live_.begin(), live_.end(), e.idx,
      [](const entry* x, std::uint32_t idx) { return x->idx < idx; });
  live_.insert(i, &e);
}

bool slot_model::park_eligible(const entry& e) const {
  // Waiting, nothing on the wire, nothing for a plan pass to update.
  return e.owned && e.kind == owner_kind::scan && !e.rejected_for_good
         && e.planned == no_session && e.wire == wire_state::none
         && !e.granted_valid && e.shown == public_state(e)
         && e.shown_session == no_session;
}

bool slot_model::park_less::operator()(const entry* x, const entry* y) const {
  if (x->rank_b != y->rank_b)
    return x->rank_b < y->rank_b;
  return x->key < y->key;
}

void slot_model::park(entry& e) {
  e.parked = true;
  e.park_pos = parked_.insert(&e).first;
}

void slot_model::unpark(entry& e) {
  parked_.erase(e.park_pos);
  e.parked = false;
  insert_live(e);
}

// -- state helpers ------------------------------------------------------------

slot_model::session_state* slot_model::find_session(session_id s) {
  auto i = std::lower_bound(
      sessions_.begin(), sessions_.end(), s,
      [](const session_state& x, session_id id) { return x.cfg.id < id; });
  return i != sessions_.end() && i->cfg.id == s ? &*i : nullptr;
}

const slot_model::session_state* slot_model::find_session(session_id s) const {
  return const_cast<slot_model*>(this)->find_session(s);
}

bool slot_model::is_up(session_id s) const {
  auto* st = find_session(s);
  return st != nullptr && st->up;
}

bool slot_model::protected_scan(const entry& e, mono_time now) const {
  return e.granted_valid
         && (e.planned != no_session || e.wire != wire_state::none)
         && now - e.granted < cfg_.min_hold;
}

bool slot_model::recyclable(const entry& e, mono_time now) const {
  if (!open_.covers(e.key) || e.wire != wire_state::active
      || protected_scan(e, now))
    return false;
  return now - std::max(e.active_since, e.last_data) >= cfg_.scan_silence;
}

std::uint32_t slot_model::registered(session_id s) const {
  std::uint32_t n = 0;
  for (auto* e : live()) // parked keys have nothing on the wire
    if (e->wired == s
        && (e->wire == wire_state::active || e->wire == wire_state::releasing))
      ++n;
  return n;
}

std::uint32_t slot_model::wire_limit(const session_state& s) const {
  auto cap = std::min(s.cfg.cap, s.learned);
  // Without a notice to subscribe, its reservation stays free on the wire.
  bool hold_back = s.cfg.reserve_notice && s.cfg.notice.tr_key.empty();
  return hold_back && cap > 0 ? cap - 1 : cap;
}

mono_time slot_model::backoff(std::uint32_t retries) const {
  auto d = cfg_.retry_base;
  for (std::uint32_t i = 1; i < retries && d < cfg_.retry_max; ++i)
    d *= 2;
  return std::min(d, cfg_.retry_max);
}

slot_state slot_model::public_state(const entry& e) {
  switch (e.wire) {
    case wire_state::pending: return slot_state::pending;
    case wire_state::active: return slot_state::active;
    case wire_state::releasing: return slot_state::releasing;
    case wire_state::none: break;
  }
  if (e.rejected_for_good || e.cap_rejected || e.retries > 0)
    return slot_state::rejected;
  return slot_state::requested;
}

// -- queries ------------------------------------------------------------------

std::uint32_t slot_model::used(session_id s) const {
  std::uint32_t n = 0;
  for (auto* e : live()) // parked keys have nothing on the wire
    if (e->wired == s && e->wire != wire_state::none)
      ++n;
  return n;
}

bool slot_model::owned_by(const slot_key& key, owner_kind kind) const {
  auto i = entries_.find(key);
  if (i == entries_.end())
    return false;
  for (auto& o : i->second.owners)
    if (o.kind == kind)
      return true;
  return false;
}

bool slot_model::held(const slot_key& key) const {
  return owned_by(key, owner_kind::holding);
}

std::uint32_t slot_model::effective_cap(session_id s) const {
  auto* st = find_session(s);
  return st == nullptr ? 0 : std::min(st->cfg.cap, st->learned);
}

slot_snapshot slot_model::snapshot() const {
  slot_snapshot out;
  for (auto& s : sessions_)
    out.sessions.push_back(session_info{s.cfg.id, s.up, s.epoch, s.cfg.cap,
                                        s.learned, used(s.cfg.id)});
  for (auto* ep : ordered()) {
    auto& e = *ep;
    slot_info x;
    x.session = e.wire != wire_state::none ? e.wired : e.planned;
    x.key = e.key;
    x.state = public_state(e);
    x.level = lowest_priority;
    for (auto& o : e.owners) {
      x.level = std::min(x.level, o.level);
      x.owners.push_back(owner_ref{o.kind, o.name, o.level});
    }
    std::sort(x.owners.begin(), x.owners.end(),
              [](const owner_ref& a, const owner_ref& b) {
                return std::tie(a.level, a.kind, a.name)
                       < std::tie(b.level, b.kind, b.name);
              });
    x.since = e.since;
    out.slots.push_back(std::move(x));
  }
  std::sort(out.slots.begin(), out.slots.end(),
            [](const slot_info& a, const slot_info& b) {
              return std::tie(a.session, a.key) < std::tie(b.session, b.key);
            });
  return out;
}

} // namespace kisrt
