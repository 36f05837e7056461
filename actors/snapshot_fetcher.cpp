// SPDX-License-Identifier: Apache-2.0
#include "actors/snapshot_fetcher.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

namespace kisrt {

price_source::~price_source() = default;

namespace {

using self_ptr =
    snapshot_fetcher_actor::stateful_pointer<snapshot_fetcher_state>;

// Starts every job that has a free place.
void start_jobs(self_ptr self) {
  auto& st = self->state;
  while (auto job = st.core.next()) {
    price_answer timeout{job->key, job->session, job->id, {}, "no answer"};
    timeout.error += " within the patience";
    self->delayed_send(self, st.cfg.patience, std::move(timeout));
    if (!st.cfg.source) {
      caf::anon_send(
          self,
          price_answer{job->key, job->session, job->id, {}, "no price source"});
      continue;
    }
    auto hdl = snapshot_fetcher_actor{self};
    auto key = job->key;
    auto session = job->session;
    auto id = job->id;
    st.cfg.source->fetch(
        key, [hdl, key, session, id](kis::price_snapshot x, std::string error) {
          caf::anon_send(hdl, price_answer{key, session, id, std::move(x),
                                           std::move(error)});
        });
  }
}

} // namespace

snapshot_fetcher_actor::behavior_type
snapshot_fetcher(self_ptr self, snapshot_fetcher_config cfg, hub_actor hub) {
  auto& st = self->state;
  st.core = snapshot_core{cfg.max_in_flight};
  st.cfg = std::move(cfg);
  st.hub = std::move(hub);
  if (!st.cfg.kst)
    st.cfg.kst = kst_clock::unanchored(now_of(self));
  return {
      [self](const slot_granted& x) { self->state.core.on(x); },
      [self](const slot_active& x) {
        if (self->state.core.on(x))
          start_jobs(self);
      },
      [self](const slot_evicted& x) { self->state.core.on(x); },
      [](const slot_rejected&) {
        // nop
      },
      [](const slots_starved&) {
        // nop
      },
      [](const session_replayed&) {
        // nop: the replayed keys become active one by one
      },
      [](const slot_stale&) {
        // nop: a re-subscribed key becomes active again
      },
      [self](price_answer& x) {
        auto& st = self->state;
        if (!st.core.done(x.key, x.id))
          return; // answered already, or given up
        if (!x.error.empty()) {
          ++st.failed;
          spdlog::warn("snapshot: no price for {} {}: {}", x.key.tr_id,
                       x.key.tr_key, x.error);
        } else {
          ++st.delivered;
          x.data.symbol = x.key.tr_key;
          x.data.snapshot = true;
          auto t = st.cfg.kst->to_kst(now_of(self));
          x.data.time = kis::hms{static_cast<std::uint8_t>(t.second / 3600),
                                 static_cast<std::uint8_t>(t.second / 60 % 60),
                                 static_cast<std::uint8_t>(t.second % 60)};
          self->send(*st.hub, snapshot_event{x.session, std::move(x.key.tr_id),
                                             std::move(x.data)});
        }
        start_jobs(self);
      },
  };
}

} // namespace kisrt
