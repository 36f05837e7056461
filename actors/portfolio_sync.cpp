// SPDX-License-Identifier: Apache-2.0
#include "actors/portfolio_sync.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "actors/kst_clock.hpp"
#include "actors/poll_guard.hpp"
#include "messages/event_handlers.hpp"

namespace kisrt {

balance_source::~balance_source() = default;

mono_time poll_retry_delay(std::uint32_t failures, mono_time min,
                           mono_time max) {
  auto d = min;
  for (std::uint32_t i = 1; i < failures && d < max; ++i)
    d *= 2;
  return std::min(d, max);
}

bool is_overseas_key(std::string_view code) noexcept {
  if (code.size() < 5 || code.size() > 24 || (code[0] != 'D' && code[0] != 'R'))
    return false;
  for (std::size_t i = 1; i < 4; ++i)
    if (code[i] < 'A' || code[i] > 'Z')
      return false;
  return true;
}

namespace {

class merged_balances : public balance_source {
public:
  explicit merged_balances(std::vector<account_balance> parts)
      : parts_(std::move(parts)) {
    // nop
  }

  void fetch(std::function<void(balance_snapshot)> done) override {
    if (parts_.empty()) {
      done({});
      return;
    }
    // Answers come on any thread: the last one merges.
    struct pending {
      std::mutex mtx;
      std::size_t left;
      std::vector<balance_snapshot> got;
      std::function<void(balance_snapshot)> done;
    };
    auto p = std::make_shared<pending>();
    p->left = parts_.size();
    p->got.resize(parts_.size());
    p->done = std::move(done);
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      auto label = parts_[i].label;
      parts_[i].source->fetch([p, i, label](balance_snapshot x) {
        if (!x.error.empty() && !label.empty())
          x.error = label + ": " + x.error;
        {
          std::lock_guard<std::mutex> guard{p->mtx};
          p->got[i] = std::move(x);
          if (--p->left > 0)
            return;
        }
        balance_snapshot all;
        std::map<std::string, std::int64_t> qty;
        for (auto& g : p->got) {
          if (!g.error.empty() && all.error.empty())
            all.error = g.error;
          for (auto& r : g.rows)
            qty[r.code] += r.qty;
        }
        if (all.error.empty())
          for (auto& [code, n] : qty)
            all.rows.push_back({code, n});
        p->done(std::move(all));
      });
    }
  }

private:
  std::vector<account_balance> parts_;
};

using self_ptr = portfolio_sync_actor::stateful_pointer<portfolio_sync_state>;

template <class T>
void tell_all(self_ptr self, const T& x) {
  self->send(*self->state.arbiter, x);
  for (auto& l : self->state.cfg.listeners)
    self->send(l, x);
}

constexpr const char* owner_name = "portfolio";

void want_overseas(self_ptr self, const std::string& key, bool held) {
  auto& st = self->state;
  if (held == (st.overseas.count(key) > 0))
    return;
  slot_key k{st.cfg.overseas_tr, key};
  if (held) {
    st.overseas.insert(key);
    self->send(*st.arbiter, slot_request{owner_name, k, holding_priority});
  } else {
    st.overseas.erase(key);
    self->send(*st.arbiter, slot_release{owner_name, k});
  }
}

// Domestic holdings as the P1 set; overseas keys as P1 requests.
void tell(self_ptr self, const holding_set& x) {
  holding_set domestic;
  std::set<std::string> overseas;
  for (auto& code : x.symbols)
    if (is_overseas_key(code))
      overseas.insert(code);
    else
      domestic.symbols.push_back(code);
  auto gone = self->state.overseas;
  for (auto& key : gone)
    if (overseas.count(key) == 0)
      want_overseas(self, key, false);
  for (auto& key : overseas)
    want_overseas(self, key, true);
  tell_all(self, domestic);
}

void tell(self_ptr self, const position_update& x) {
  if (is_overseas_key(x.symbol))
    want_overseas(self, x.symbol, x.quantity > 0);
  else
    tell_all(self, x);
}

void poll(self_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  // A poll that never answered does not block the next one forever.
  auto patience =
      std::max(st.cfg.poll_interval, mono_time{std::chrono::minutes{1}});
  if (!st.cfg.source || !poll_may_start(st.polling, now, patience))
    return;
  st.polling = now;
  portfolio_sync_actor hdl{self};
  st.cfg.source->fetch(
      [hdl](balance_snapshot x) { caf::anon_send(hdl, std::move(x)); });
}

// Asks for a poll at `at` (the earlier of this and one already due).
void poll_at(self_ptr self, mono_time at) {
  auto& st = self->state;
  if (st.extra_poll && *st.extra_poll <= at)
    return;
  st.extra_poll = at;
  auto now = now_of(self);
  self->delayed_send(self, at > now ? at - now : mono_time{0}, atom::retry_v);
}

void on_snapshot(self_ptr self, const balance_snapshot& x) {
  auto& st = self->state;
  auto now = now_of(self);
  auto asked = st.polling.value_or(now);
  st.polling.reset();
  if (!x.error.empty()) {
    ++st.status.failures;
    st.status.last_poll_ok = false;
    st.status.last_error = x.error;
    if (!st.cfg.source) {
      spdlog::warn("portfolio_sync: balance inquiry failed: {}; holdings "
                   "stay as the notices left them",
                   x.error);
      return;
    }
    auto wait = poll_retry_delay(st.status.failures, st.cfg.retry_min,
                                 st.cfg.retry_max);
    spdlog::warn(
        "portfolio_sync: balance inquiry failed ({} in a row): {}; "
        "holdings stay as the notices left them, retry in {} ms",
        st.status.failures, x.error,
        std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
    poll_at(self, now + wait);
    return;
  }
  if (st.status.failures > 0)
    spdlog::info("portfolio_sync: balance inquiry succeeded after {} "
                 "failure(s)",
                 st.status.failures);
  st.status.failures = 0;
  st.status.last_poll_ok = true;
  st.status.last_error.clear();
  st.status.last_success = now;
  // This answer is the latest truth: what it still disagrees with decides
  // the next extra poll, not what an older answer or failure asked for.
  st.extra_poll.reset();
  for (auto& d : st.core->reconcile(x.rows, asked))
    spdlog::info("portfolio_sync: reconciled {}", d);
  if (auto at = st.core->follow_up(); at && st.cfg.source) {
    spdlog::info("portfolio_sync: a recent fill disagrees with the balance; "
                 "polling again when its settle window ends in {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     *at > now ? *at - now : mono_time{0})
                     .count());
    poll_at(self, *at);
  }
  tell(self, st.core->holdings());
}

} // namespace

std::shared_ptr<balance_source>
merged_balance_source(std::vector<account_balance> parts) {
  return std::make_shared<merged_balances>(std::move(parts));
}

portfolio_sync_actor::behavior_type portfolio_sync(
    portfolio_sync_actor::stateful_pointer<portfolio_sync_state> self,
    portfolio_sync_config cfg, slot_arbiter_actor arbiter) {
  auto& st = self->state;
  auto accounts = cfg.accounts;
  if (!cfg.account.empty()
      && std::find(accounts.begin(), accounts.end(), cfg.account)
             == accounts.end())
    accounts.insert(accounts.begin(), cfg.account);
  st.core.emplace(cfg.settle, std::move(accounts));
  st.cfg = std::move(cfg);
  st.arbiter = std::move(arbiter);
  for (auto& k : st.cfg.overseas_notices)
    self->send(*st.arbiter, slot_request{owner_name, k, holding_priority});
  poll(self);
  if (st.cfg.poll_interval.count() > 0)
    self->delayed_send(self, st.cfg.poll_interval, caf::tick_atom_v);
  return market_behavior<portfolio_sync_actor::behavior_type,
                         critical_event_types>(
      // Other critical events (notices of TRs without a typed record) are
      // ignored.
      ignore_event,
      // -- notices --
      [self](const notice_event& x) {
        auto& core = *self->state.core;
        auto upd = core.apply(x.data, now_of(self), x.session);
        if (!core.last_duplicate().empty())
          spdlog::info("portfolio_sync: fill ignored as a duplicate: {}",
                       core.last_duplicate());
        if (upd) {
          spdlog::info("portfolio_sync: fill {} {} {} -> position {}",
                       x.data.order_side == kis::side::buy ? "buy" : "sell",
                       x.data.symbol, x.data.fill_qty, upd->quantity);
          tell(self, *upd);
        }
      },
      // An overseas fill: the overseas balance tells the position (the
      // notice has no exchange to form the key from), asked once the fill
      // has settled into it.
      [self](const overseas_notice_event& x) {
        if (x.data.kind != kis::notice_kind::fill || x.data.rejected
            || !self->state.cfg.source)
          return;
        spdlog::info("portfolio_sync: overseas fill {} {}: polling the "
                     "balance",
                     x.data.symbol, x.data.fill_qty);
        poll_at(self, now_of(self) + self->state.cfg.retry_min);
      },
      // -- slot events: a replayed session means a reconnect --
      [](const slot_granted&) {}, [](const slot_active&) {},
      [](const slot_evicted&) {}, [](const slot_rejected&) {},
      [](const slots_starved&) {},
      [self](const session_replayed&) { poll(self); }, [](const slot_stale&) {},
      // -- balances --
      [self](const balance_snapshot& x) { on_snapshot(self, x); },
      [self](atom::poll) { poll(self); },
      [self](caf::get_atom, atom::holdings) {
        return balance_snapshot{self->state.core->positions(), {}};
      },
      [self](caf::get_atom, atom::poll) {
        auto st = self->state.status;
        st.has_source = self->state.cfg.source != nullptr;
        st.polling = self->state.polling.has_value();
        return st;
      },
      [self](atom::retry) {
        auto& st = self->state;
        if (!st.extra_poll || now_of(self) < *st.extra_poll)
          return; // a stale timer: what is due now comes later or is done
        st.extra_poll.reset();
        poll(self);
      },
      [self](caf::tick_atom) {
        poll(self);
        self->delayed_send(self, self->state.cfg.poll_interval,
                           caf::tick_atom_v);
      });
}

} // namespace kisrt
