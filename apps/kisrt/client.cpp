// SPDX-License-Identifier: Apache-2.0
// The callback facade on the gateway's actors: one listener actor pushes
// events into a queue; run() pops them on the caller's thread and calls
// the callbacks registered for their (tr_id, key).
#include "apps/kisrt/client.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

#include "apps/kisrt/client_slots.hpp" // slot events
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"

namespace kisrt {

namespace {

/// Events between the listener actor and run(). Quotes beyond `max` are
/// dropped and counted; notices always get in.
struct event_queue {
  std::mutex mtx;
  std::condition_variable cv;
  std::deque<client_event> items;
  std::size_t max = 100000;
  std::uint64_t dropped = 0;
  std::atomic<bool> closed{false};

  void push(client_event ev, bool critical) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (!critical && items.size() >= max) {
        ++dropped;
        return;
      }
      items.push_back(std::move(ev));
    }
    cv.notify_one();
  }

  // -- slot events (on_slot): bounded like quotes ---------------------------
  std::deque<client_slot_event> slots;
  void push_slot(client_slot_event ev) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (slots.size() >= max) {
        ++dropped;
        return;
      }
      slots.push_back(std::move(ev));
    }
    cv.notify_one();
  }
};

struct listener_state {
  std::shared_ptr<event_queue> queue;
  static inline const char* name = "client_listener";
};

market_listener_actor::behavior_type
client_listener(market_listener_actor::stateful_pointer<listener_state> self,
                std::shared_ptr<event_queue> queue) {
  self->state.queue = std::move(queue);
  return market_behavior<market_listener_actor::behavior_type>(
      [self](auto& ev) {
        auto critical = is_critical(ev);
        client_event out;
        out.session = ev.session;
        out.tr_id = std::move(ev.tr_id);
        out.key = key_of(ev);
        out.data = std::move(ev.data);
        self->state.queue->push(std::move(out), critical);
      });
}

struct client_system_config : caf::actor_system_config {
  client_system_config() {
    add_message_types<caf::id_block::kisrt>();
    set("logger.verbosity", caf::atom("quiet"));
  }
};

app::gateway_options read_client_options(const client_options& co) {
  app::config_file cfg;
  std::vector<std::string> errors;
  if (!co.config_file.empty())
    for (auto& e : cfg.load(co.config_file))
      errors.push_back(e);
  // A library opens no port unless asked to.
  if (!cfg.has("admin.listen"))
    cfg.set("admin.listen=off");
  if (co.sim)
    cfg.set("kis.sim=true");
  for (auto& o : co.overrides)
    if (auto err = cfg.set(o))
      errors.push_back(*err);
  auto env = [](const char* name) -> std::optional<std::string> {
    if (auto* v = std::getenv(name))
      return std::string{v};
    return std::nullopt;
  };
  auto opts = app::read_options(cfg, env, errors);
  if (!errors.empty()) {
    std::string what = "kisrt::client: configuration:";
    for (auto& e : errors)
      what += "\n  " + e;
    throw std::runtime_error(what);
  }
  return opts;
}

} // namespace

struct client::impl {
  client_options opts;
  client_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<app::gateway> gw;
  std::shared_ptr<event_queue> queue = std::make_shared<event_queue>();
  std::optional<market_listener_actor> listener;
  std::optional<app::gateway_handles> handles;

  using callback_ptr = std::shared_ptr<callback>;
  struct entry {
    std::vector<slot_key> keys;
    callback_ptr cb;
  };
  std::mutex subs_mtx;
  subscription next_id = 1;
  std::map<subscription, entry> subs;
  std::map<slot_key, std::map<subscription, callback_ptr>> by_key;

  std::once_flag stop_once;

  // -- slot events (on_slot); the callback under subs_mtx -------------------
  std::optional<slot_outcome_listener_actor> slot_listener;
  std::shared_ptr<client::slot_callback> slot_cb;

  // Drops `id` from `key`; when nobody wants the key any more, the
  // listener leaves it and its slot is released. Caller holds subs_mtx.
  void remove_key(subscription id, const slot_key& key) {
    auto it = by_key.find(key);
    if (it == by_key.end())
      return;
    it->second.erase(id);
    if (!it->second.empty())
      return;
    by_key.erase(it);
    caf::anon_send(handles->hub, caf::unsubscribe_atom_v, *listener, key);
    caf::anon_send(handles->slot_feed, slot_release{"client", key});
    caf::anon_send(handles->arbiter, slot_release{"client", key});
  }

  void stop() {
    std::call_once(stop_once, [this] {
      queue->closed = true;
      queue->cv.notify_all();
      gw->stop();
      if (listener)
        caf::anon_send_exit(*listener, caf::exit_reason::user_shutdown);
      if (slot_listener)
        caf::anon_send_exit(*slot_listener, caf::exit_reason::user_shutdown);
    });
  }
};

client::client(client_options opts)
    : impl_(std::make_shared<impl>()) {
  auto& d = *impl_;
  d.opts = std::move(opts);
  d.queue->max = d.opts.max_pending;
  auto gopts = read_client_options(d.opts);
  configure_scheduler(d.cfg, gopts.scheduler);
  d.sys = std::make_unique<caf::actor_system>(d.cfg);
  d.gw = std::make_unique<app::gateway>(std::move(gopts),
                                        app::embedded_simulator());
  d.gw->start(*d.sys); // throws with the reason
  d.handles = d.gw->handles();
  d.listener = d.sys->spawn(client_listener, d.queue);
  { // slot events: the outcomes of the keys "client" requested (on_slot)
    d.slot_listener =
        spawn_client_slot_listener(*d.sys, [q = d.queue](client_slot_event ev) {
          q->push_slot(std::move(ev));
        });
    caf::anon_send(d.handles->slot_feed, caf::subscribe_atom_v,
                   *d.slot_listener, std::string{"client"});
  }
}

client::~client() {
  if (impl_->gw)
    impl_->stop();
}

client::subscription client::subscribe(const std::string& tr_id,
                                       const std::vector<std::string>& symbols,
                                       callback cb) {
  auto& d = *impl_;
  auto ptr = std::make_shared<callback>(std::move(cb));
  std::lock_guard<std::mutex> guard{d.subs_mtx};
  auto id = d.next_id++;
  auto& e = d.subs[id];
  e.cb = ptr;
  for (auto& sym : symbols) {
    slot_key key{tr_id, sym};
    e.keys.push_back(key);
    auto& cbs = d.by_key[key];
    if (cbs.empty()) {
      // The listener first, then the demand: no event of the new slot can
      // pass the hub before the listener is in.
      caf::anon_send(d.handles->hub, caf::subscribe_atom_v, *d.listener, key);
      slot_request rq{"client", key, d.opts.priority};
      caf::anon_send(d.handles->slot_feed, rq); // slot events: whose keys
      caf::anon_send(d.handles->arbiter, std::move(rq));
    }
    cbs.emplace(id, ptr);
  }
  return id;
}

void client::unsubscribe(subscription id) {
  auto& d = *impl_;
  std::lock_guard<std::mutex> guard{d.subs_mtx};
  auto it = d.subs.find(id);
  if (it == d.subs.end())
    return;
  for (auto& key : it->second.keys)
    d.remove_key(id, key);
  d.subs.erase(it);
}

void client::unsubscribe(const std::string& tr_id,
                         const std::vector<std::string>& symbols) {
  auto& d = *impl_;
  std::lock_guard<std::mutex> guard{d.subs_mtx};
  for (auto& sym : symbols) {
    slot_key key{tr_id, sym};
    auto it = d.by_key.find(key);
    if (it == d.by_key.end())
      continue;
    auto ids = it->second; // remove_key edits the map
    for (auto& [id, cb] : ids) {
      d.remove_key(id, key);
      auto& keys = d.subs[id].keys;
      keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
      if (keys.empty())
        d.subs.erase(id);
    }
  }
}

void client::run() {
  auto& d = *impl_;
  auto& q = *d.queue;
  std::vector<impl::callback_ptr> cbs;
  for (;;) {
    client_event ev;
    std::optional<client_slot_event> slot; // slot events first
    {
      std::unique_lock<std::mutex> guard{q.mtx};
      q.cv.wait(guard, [&] {
        return q.closed || !q.items.empty() || !q.slots.empty();
      });
      if (q.closed)
        return;
      if (!q.slots.empty()) {
        slot = std::move(q.slots.front());
        q.slots.pop_front();
      } else {
        ev = std::move(q.items.front());
        q.items.pop_front();
      }
    }
    if (slot) {
      std::shared_ptr<slot_callback> cb;
      {
        std::lock_guard<std::mutex> guard{d.subs_mtx};
        cb = d.slot_cb;
      }
      if (cb && *cb)
        (*cb)(*slot);
      continue;
    }
    cbs.clear();
    {
      std::lock_guard<std::mutex> guard{d.subs_mtx};
      if (auto it = d.by_key.find(slot_key{ev.tr_id, ev.key});
          it != d.by_key.end())
        for (auto& [id, cb] : it->second)
          cbs.push_back(cb);
    }
    // Callbacks run without any lock held: they may subscribe, unsubscribe
    // or close.
    for (auto& cb : cbs) {
      if (q.closed)
        return;
      (*cb)(ev);
    }
  }
}

void client::on_slot(slot_callback cb) {
  auto& d = *impl_;
  std::lock_guard<std::mutex> guard{d.subs_mtx};
  d.slot_cb = std::make_shared<slot_callback>(std::move(cb));
}

void client::close() {
  impl_->stop();
}

std::uint64_t client::dropped() const {
  std::lock_guard<std::mutex> guard{impl_->queue->mtx};
  return impl_->queue->dropped;
}

std::uint16_t client::admin_port() const {
  return impl_->gw->admin_port();
}

} // namespace kisrt
