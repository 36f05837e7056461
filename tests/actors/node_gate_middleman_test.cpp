// SPDX-License-Identifier: Apache-2.0
// The node gate over CAF's middleman on the simulated network of the io
// test DSL: earth runs the gateway's arbiter, hub and gate; mars and
// jupiter are nodes. Every message and network step is explicit.
#define CAF_SUITE nodes.middleman
#include <caf/test/io_dsl.hpp>

#include <chrono>
#include <memory>
#include <type_traits>
#include <vector>

#include "actors/hub.hpp"
#include "actors/node_gate.hpp"
#include "actors/notice_journal.hpp"
#include "actors/slot_arbiter.hpp"
#include "actors/slot_feed.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"
#include "store/notice_journal.hpp"
#include "tests/common/actor_config.hpp"

using namespace kisrt;

namespace {

struct node_test_config : test::actor_test_config {
  node_test_config() { load<caf::io::middleman>(); }
};

using base_fixture = test_coordinator_fixture<node_test_config>;

using trade_log = std::shared_ptr<std::vector<trade_event>>;

struct log_state {
  static inline const char* name = "trade_log";
};

// Remote listeners: the gate's proxies send batches, which
// remote_market_behavior unpacks for the same handlers.
remote_listener_actor::behavior_type
logger(remote_listener_actor::stateful_pointer<log_state>, trade_log log) {
  return remote_market_behavior<remote_listener_actor::behavior_type>(
      ignore_event, [log](const trade_event& ev) { log->push_back(ev); });
}

using fields_log = std::shared_ptr<std::vector<fields_event>>;

remote_listener_actor::behavior_type
fields_logger(remote_listener_actor::stateful_pointer<log_state>,
              fields_log log) {
  return remote_market_behavior<remote_listener_actor::behavior_type>(
      ignore_event, [log](const fields_event& ev) { log->push_back(ev); });
}

// A listener that also notes the sender of everything it receives: what a
// hostile node learns (docs/security.md, P1 and P2).
using sender_log = std::shared_ptr<std::vector<caf::strong_actor_ptr>>;

remote_listener_actor::behavior_type
spy(remote_listener_actor::stateful_pointer<log_state> self, trade_log log,
    sender_log senders) {
  auto note = [self, senders] {
    if (auto& s = self->current_sender(); s != nullptr)
      senders->push_back(s);
  };
  return remote_market_behavior<remote_listener_actor::behavior_type>(
      [note](const auto&) { note(); },
      [log, note](const trade_event& ev) {
        note();
        log->push_back(ev);
      });
}

using notice_log = std::shared_ptr<std::vector<journaled_notice>>;

notice_listener_actor::behavior_type
notice_logger(notice_listener_actor::stateful_pointer<log_state> self,
              notice_log log) {
  return {
      [self, log](const journaled_notice& ev) {
        // Anonymous: a node never learns the journal's address (its
        // interface accepts notices, which it would pass on to others).
        CAF_CHECK(self->current_sender() == nullptr);
        log->push_back(ev);
      },
      [](const journaled_overseas_notice&) {},
  };
}

// Slot outcomes a node gets; checks that they come without a sender (the
// feed's address would accept requests and releases).
using outcome_log = std::shared_ptr<std::vector<slot_outcome>>;

slot_outcome_listener_actor::behavior_type
outcome_logger(slot_outcome_listener_actor::stateful_pointer<log_state> self,
               outcome_log log) {
  return {
      [self, log](const slot_outcome& ev) {
        CAF_CHECK(self->current_sender() == nullptr);
        log->push_back(ev);
      },
  };
}

notice_event fill_of(const std::string& order_no) {
  notice_event ev;
  ev.tr_id = "H0STCNI0";
  ev.data.customer_id = "hts01";
  ev.data.order_no = order_no;
  ev.data.kind = kis::notice_kind::fill;
  return ev;
}

trade_event trade_of(const std::string& symbol, std::int64_t price) {
  trade_event ev;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = symbol;
  ev.data.price = price;
  return ev;
}

const slot_key samsung{"H0STCNT0", "005930"};
const slot_key hynix{"H0STCNT0", "000660"};
const slot_key hynix_book{"H0STASP0", "000660"};

struct fixture : belt_fixture<base_fixture> {
  slot_arbiter_actor arbiter;
  hub_actor hub_hdl;
  std::shared_ptr<store::notice_journal> db =
      std::make_shared<store::notice_journal>("", 100);
  notice_journal_actor journal;
  slot_feed_actor feed;
  node_gate_actor gate;
  node_gate_actor gate_on_mars;
  node_gate_actor gate_on_jupiter;
  caf::io::connection_handle mars_conn; // earth's end of mars' connection
  std::vector<caf::actor> listeners;    // killed at the end

  template <class Planet>
  remote_listener_actor listen(Planet& planet, trade_log log) {
    auto l = planet.sys.spawn(logger, std::move(log));
    listeners.push_back(caf::actor_cast<caf::actor>(l));
    exec_all();
    return l;
  }

  fixture() {
    // Listeners stay referenced from the other planets' proxies: do not
    // wait for them when a planet shuts down.
    for (auto* p : {&earth, &mars, &jupiter})
      p->sys.await_actors_before_shutdown(false);
    exec_all();
    slot_arbiter_config ac;
    ac.slots = slot_config::with_sessions(1);
    ac.tick_interval = mono_time{0};
    arbiter = earth.sys.spawn(slot_arbiter, ac);
    // Small windows: confirmation requests every other event, so that a
    // node sees requests (and their sender) after a few events.
    hub_config hc;
    hc.window = 8;
    hc.local_window = 8;
    hc.confirm_every = 2;
    hub_hdl = earth.sys.spawn(hub, hc, std::optional<slot_arbiter_actor>{});
    notice_journal_config jc;
    jc.db = db;
    journal = earth.sys.spawn(notice_journal, jc);
    node_gate_config gc;
    gc.defaults = {2, 2};
    gc.window = 8;
    gc.confirm_every = 2;
    // Batches of up to 4 events, or what came within 1 ms: deliver()
    // fires the deadlines.
    gc.batch_max = 4;
    gc.batch_delay = std::chrono::milliseconds{1};
    // jupiter may follow every slot outcome; mars only its own.
    node_limits all{2, 2};
    all.allow_unauthenticated = true;
    all.all_slot_events = true;
    gc.by_name["jupiter"] = all;
    feed = earth.sys.spawn(slot_feed, slot_feed_state::default_max_listeners);
    earth.self->send(arbiter, caf::subscribe_atom_v, slot_observer_actor{feed});
    gate = earth.sys.spawn(node_gate, gc, hub_hdl, arbiter,
                           std::optional<notice_journal_actor>{journal},
                           std::optional<slot_feed_actor>{feed});
    exec_all();
    // Both nodes connect to the one acceptor of port 4242.
    auto acceptor = next_accept_handle();
    mars_conn =
        prepare_connection(earth, mars, "gateway", 4242, acceptor).first;
    prepare_connection(earth, jupiter, "gateway", 4242, acceptor);
    earth.publish(gate, 4242);
    gate_on_mars = mars.remote_actor<node_gate_actor>("gateway", 4242);
    gate_on_jupiter = jupiter.remote_actor<node_gate_actor>("gateway", 4242);
    exec_all();
  }

  ~fixture() {
    for (auto& l : listeners)
      caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
    for (auto& x :
         {caf::actor_cast<caf::actor>(gate), caf::actor_cast<caf::actor>(feed),
          caf::actor_cast<caf::actor>(journal),
          caf::actor_cast<caf::actor>(hub_hdl),
          caf::actor_cast<caf::actor>(arbiter)})
      caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
    exec_all();
  }

  // Runs everything, including the proxies' batch deadlines.
  void deliver() {
    exec_all();
    while (earth.sched.trigger_timeouts() > 0)
      exec_all();
  }

  // Sends `x` from `planet`'s scoped actor, runs the network, and returns
  // the error text (empty: accepted).
  template <class Planet, class... Ts>
  std::string ask(Planet& planet, const node_gate_actor& g, Ts&&... xs) {
    auto rp = planet.self->request(g, caf::infinite, std::forward<Ts>(xs)...);
    exec_all();
    std::string out = "<no answer>";
    rp.receive([&] { out.clear(); },
               [&](caf::error& err) {
                 out = err.context().template match_elements<std::string>()
                           ? err.context().template get_as<std::string>(0)
                           : planet.sys.render(err);
               });
    return out;
  }

  std::string hello(planet_type& planet, const node_gate_actor& g,
                    const std::string& name) {
    std::string out = "<no answer>";
    auto rp = planet.self->request(g, caf::infinite, node_hello{name});
    exec_all();
    rp.receive(
        [&](const node_policy& p) {
          out.clear();
          CAF_CHECK_EQUAL(p, (node_policy{"node:" + name, 2, 2}));
        },
        [&](caf::error& err) {
          out = err.context().match_elements<std::string>()
                    ? err.context().get_as<std::string>(0)
                    : planet.sys.render(err);
        });
    return out;
  }

  std::vector<std::string> owners_of(const slot_key& key) {
    auto rp = earth.self->request(arbiter, caf::infinite, caf::get_atom_v,
                                  atom::slots_v);
    exec_all();
    std::vector<std::string> out;
    rp.receive(
        [&](const slot_snapshot& snap) {
          for (auto& s : snap.slots)
            if (s.key == key)
              for (auto& o : s.owners)
                out.push_back(o.name);
        },
        [&](caf::error& err) { CAF_FAIL(earth.sys.render(err)); });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(middleman_tests, fixture)

CAF_TEST(a remote node subscribes and receives typed events) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  auto log = std::make_shared<std::vector<trade_event>>();
  auto listener = listen(mars, log);
  CAF_CHECK_EQUAL(
      ask(mars, gate_on_mars, caf::subscribe_atom_v, listener, samsung), "");
  earth.self->send(hub_hdl, trade_of("005930", 71000));
  earth.self->send(hub_hdl, trade_of("000660", 180000));
  earth.self->send(hub_hdl, trade_of("005930", 71100));
  deliver();
  CAF_REQUIRE_EQUAL(log->size(), 2u);
  CAF_CHECK_EQUAL((*log)[0], trade_of("005930", 71000));
  CAF_CHECK_EQUAL((*log)[1].data.price, 71100);
}

CAF_TEST(a remote node receives generic fields events) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  auto log = std::make_shared<std::vector<fields_event>>();
  remote_listener_actor listener = mars.sys.spawn(fields_logger, log);
  listeners.push_back(caf::actor_cast<caf::actor>(listener));
  exec_all();
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, listener,
                      slot_key{"H0UPANC0", "0001"}),
                  "");
  fields_event kospi{0, "H0UPANC0", {"0001", "0001^090102^265012^x"}};
  fields_event kosdaq{0, "H0UPANC0", {"1001", "1001^090102^84210"}};
  earth.self->send(hub_hdl, kospi);
  earth.self->send(hub_hdl, kosdaq);
  deliver();
  CAF_REQUIRE_EQUAL(log->size(), 1u);
  CAF_CHECK_EQUAL((*log)[0], kospi);
  CAF_CHECK_EQUAL((*log)[0].data.value(3), "x");
}

CAF_TEST(subscribing before hello is refused) {
  auto listener = listen(mars, std::make_shared<std::vector<trade_event>>());
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, listener),
                  "subscribe before node_hello");
}

CAF_TEST(remote requests reach the arbiter within the node policy) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix, 2}), "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix, 1}),
                  "node 'mars' may ask for priority 2 to 255, not 1 "
                  "(H0STCNT0:000660)");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix_book, 3}),
                  "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{samsung, 3}),
                  "node 'mars' holds 2 of its 2 slot requests; release one "
                  "before asking for H0STCNT0:005930");
  CAF_CHECK_EQUAL(owners_of(hynix), std::vector<std::string>{"node:mars"});
  CAF_CHECK_EQUAL(owners_of(samsung), std::vector<std::string>{});
  // A second node cannot take the name while mars is alive.
  CAF_CHECK_EQUAL(hello(jupiter, gate_on_jupiter, "mars"),
                  "node name 'mars' is held by another live node");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_release{hynix}), "");
  CAF_CHECK_EQUAL(owners_of(hynix), std::vector<std::string>{});
}

CAF_TEST(a disconnected node loses its requests and subscriptions only) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  CAF_CHECK_EQUAL(hello(jupiter, gate_on_jupiter, "jupiter"), "");
  auto mars_log = std::make_shared<std::vector<trade_event>>();
  auto jupiter_log = std::make_shared<std::vector<trade_event>>();
  auto mars_listener = listen(mars, mars_log);
  auto jupiter_listener = listen(jupiter, jupiter_log);
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, mars_listener),
                  "");
  CAF_CHECK_EQUAL(
      ask(jupiter, gate_on_jupiter, caf::subscribe_atom_v, jupiter_listener),
      "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix, 2}), "");
  CAF_CHECK_EQUAL(ask(jupiter, gate_on_jupiter, node_slot_request{hynix, 4}),
                  "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix_book, 3}),
                  "");
  CAF_CHECK_EQUAL(owners_of(hynix_book), std::vector<std::string>{"node:mars"});
  CAF_CHECK_EQUAL(owners_of(hynix),
                  (std::vector<std::string>{"node:mars", "node:jupiter"}));
  auto& gate_state =
      earth.deref<node_gate_actor::stateful_base<node_gate_state>>(gate).state;
  CAF_CHECK_EQUAL(gate_state.core->size(), 2u);
  // The connection to mars fails: earth's middleman kills mars' proxies,
  // the gate and the hub get their down messages.
  earth.mpx.impl_ptr(mars_conn)->io_failure(&earth.mpx,
                                            caf::io::network::operation::read);
  exec_all();
  CAF_CHECK_EQUAL(gate_state.core->size(), 1u);
  CAF_CHECK_EQUAL(owners_of(hynix), std::vector<std::string>{"node:jupiter"});
  CAF_CHECK_EQUAL(owners_of(hynix_book), std::vector<std::string>{});
  earth.self->send(hub_hdl, trade_of("005930", 70000));
  deliver();
  CAF_CHECK_EQUAL(mars_log->size(), 0u);
  CAF_CHECK_EQUAL(jupiter_log->size(), 1u);
  auto& hub_st =
      earth.deref<hub_actor::stateful_base<hub_state>>(hub_hdl).state;
  CAF_CHECK_EQUAL(hub_st.core.size(), 1u);
}

CAF_TEST(a hostile node cannot inject events or stop delivery) {
  // mars is hostile, jupiter an honest node; both subscribe samsung.
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  CAF_CHECK_EQUAL(hello(jupiter, gate_on_jupiter, "jupiter"), "");
  auto mars_log = std::make_shared<std::vector<trade_event>>();
  auto senders = std::make_shared<std::vector<caf::strong_actor_ptr>>();
  auto jupiter_log = std::make_shared<std::vector<trade_event>>();
  auto hostile = mars.sys.spawn(spy, mars_log, senders);
  listeners.push_back(caf::actor_cast<caf::actor>(hostile));
  exec_all();
  auto honest = listen(jupiter, jupiter_log);
  CAF_CHECK_EQUAL(
      ask(mars, gate_on_mars, caf::subscribe_atom_v, hostile, samsung), "");
  CAF_CHECK_EQUAL(
      ask(jupiter, gate_on_jupiter, caf::subscribe_atom_v, honest, samsung),
      "");
  for (int i = 1; i <= 6; ++i)
    earth.self->send(hub_hdl, trade_of("005930", 70000 + i));
  deliver();
  CAF_REQUIRE_EQUAL(mars_log->size(), 6u);
  CAF_REQUIRE_EQUAL(jupiter_log->size(), 6u);
  // Confirmation requests came with a sender; it is never the hub.
  CAF_REQUIRE(!senders->empty());
  for (auto& s : *senders)
    CAF_CHECK(!(s->node() == hub_hdl.node() && s->id() == hub_hdl.id()));
  // P1: fake trades (price 1) and a fake fill to every address mars was
  // given, with and without a sender.
  for (auto& s : *senders) {
    auto addr = caf::actor_cast<caf::actor>(s);
    for (int i = 0; i < 5; ++i)
      mars.self->send(addr, trade_of("005930", 1));
    caf::anon_send(addr, trade_of("005930", 1));
    notice_event fill;
    fill.tr_id = "H0STCNI0";
    fill.data.customer_id = "simuser1";
    mars.self->send(addr, fill);
    // ... as a batch, and an early batch deadline.
    event_batch fake;
    fake.events.push_back(caf::make_message(trade_of("005930", 1)));
    fake.events.push_back(caf::make_message(fill));
    mars.self->send(addr, fake);
    mars.self->send(addr, caf::tick_atom_v, std::uint64_t{0});
    // P2: subscribe the address to itself (blackout of every node),
    // directly and through the gate.
    mars.self->send(addr, caf::subscribe_atom_v,
                    caf::actor_cast<market_listener_actor>(s));
    mars.self->send(addr, caf::subscribe_atom_v,
                    caf::actor_cast<market_listener_actor>(s), samsung);
    CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v,
                        caf::actor_cast<remote_listener_actor>(s), samsung),
                    "node 'mars': a listener must live on the node that "
                    "subscribes it");
  }
  // The gate itself, as a listener, is refused too.
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v,
                      caf::actor_cast<remote_listener_actor>(gate_on_mars)),
                  "node 'mars': a listener must live on the node that "
                  "subscribes it");
  exec_all();
  // No fake reached jupiter (nor mars itself), and delivery continues.
  for (int i = 7; i <= 10; ++i)
    earth.self->send(hub_hdl, trade_of("005930", 70000 + i));
  deliver();
  CAF_REQUIRE_EQUAL(jupiter_log->size(), 10u);
  CAF_REQUIRE_EQUAL(mars_log->size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    CAF_CHECK_EQUAL((*jupiter_log)[i].data.price,
                    70000 + static_cast<std::int64_t>(i) + 1);
    CAF_CHECK_EQUAL((*mars_log)[i].data.price,
                    70000 + static_cast<std::int64_t>(i) + 1);
  }
  auto& hub_st =
      earth.deref<hub_actor::stateful_base<hub_state>>(hub_hdl).state;
  CAF_CHECK_EQUAL(hub_st.core.size(), 2u);
}

CAF_TEST(one connection holds one name) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  // Another actor of the same node (the same connection) under a second
  // name: refused, so one process cannot multiply its quota.
  caf::scoped_actor other{mars.sys};
  auto rp = other->request(gate_on_mars, caf::infinite, node_hello{"mars2"});
  exec_all();
  std::string out = "<no answer>";
  rp.receive([&](const node_policy&) { out.clear(); },
             [&](caf::error& err) {
               out = err.context().match_elements<std::string>()
                         ? err.context().get_as<std::string>(0)
                         : mars.sys.render(err);
             });
  CAF_CHECK_EQUAL(out, "this connection is already node 'mars': one name "
                       "per connection, so that its quota holds, not "
                       "'mars2'");
}

CAF_TEST(a remote node follows the notice journal from its place) {
  auto log = std::make_shared<std::vector<journaled_notice>>();
  auto listener = mars.sys.spawn(notice_logger, log);
  listeners.push_back(caf::actor_cast<caf::actor>(listener));
  exec_all();
  auto subscribe = [&](notice_cursor since) {
    notice_cursor out;
    auto rp =
        mars.self->request(gate_on_mars, caf::infinite, caf::subscribe_atom_v,
                           atom::notices_v, listener, since);
    exec_all();
    rp.receive([&](const notice_cursor& c) { out = c; },
               [&](caf::error& err) {
                 out.journal = err.context().match_elements<std::string>()
                                   ? err.context().get_as<std::string>(0)
                                   : mars.sys.render(err);
               });
    return out;
  };
  CAF_CHECK_EQUAL(subscribe({}).journal, "subscribe before node_hello");
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  for (auto no : {"1", "2", "3"})
    earth.self->send(journal, fill_of(no));
  exec_all();
  CAF_CHECK_EQUAL(subscribe({db->id(), 1}), (notice_cursor{db->id(), 1}));
  earth.self->send(journal, fill_of("4"));
  exec_all();
  CAF_REQUIRE_EQUAL(log->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    CAF_CHECK_EQUAL((*log)[i].at, (notice_cursor{db->id(), i + 2}));
    CAF_CHECK_EQUAL((*log)[i].notice, fill_of(std::to_string(i + 2)));
  }
  // The connection fails: the journal forgets mars' listener.
  auto& journal_state =
      earth
          .deref<notice_journal_actor::stateful_base<notice_journal_state>>(
              journal)
          .state;
  CAF_CHECK_EQUAL(journal_state.listeners.size(), 1u);
  earth.mpx.impl_ptr(mars_conn)->io_failure(&earth.mpx,
                                            caf::io::network::operation::read);
  exec_all();
  CAF_CHECK_EQUAL(journal_state.listeners.size(), 0u);
}

CAF_TEST(a node follows the slot outcomes of its own requests) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  CAF_CHECK_EQUAL(hello(jupiter, gate_on_jupiter, "jupiter"), "");
  auto mars_log = std::make_shared<std::vector<slot_outcome>>();
  auto jupiter_log = std::make_shared<std::vector<slot_outcome>>();
  auto mars_l = mars.sys.spawn(outcome_logger, mars_log);
  auto jupiter_l = jupiter.sys.spawn(outcome_logger, jupiter_log);
  listeners.push_back(caf::actor_cast<caf::actor>(mars_l));
  listeners.push_back(caf::actor_cast<caf::actor>(jupiter_l));
  exec_all();
  // mars' policy has no all_slot_events; a listener of another node or of
  // the gateway is refused as for market events.
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, atom::slots_v,
                      mars_l, true),
                  "node 'mars' may follow the slot events of its own "
                  "requests only (all_slot_events is off in its policy)");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, atom::slots_v,
                      jupiter_l, false),
                  "a slot event listener must live on the node that "
                  "subscribes it");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, atom::slots_v,
                      mars_l, false),
                  "");
  CAF_CHECK_EQUAL(ask(jupiter, gate_on_jupiter, caf::subscribe_atom_v,
                      atom::slots_v, jupiter_l, true),
                  "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix, 3}), "");
  CAF_CHECK_EQUAL(ask(jupiter, gate_on_jupiter, node_slot_request{samsung, 4}),
                  "");
  earth.self->send(arbiter, session_up{0, 1});
  exec_all();
  earth.self->send(arbiter, sub_ack{0, 1, hynix, "OPSP8992"});
  earth.self->send(arbiter, sub_ack{0, 1, samsung, "OPSP0000"});
  exec_all();
  auto states = [](const outcome_log& log) {
    std::vector<std::string> out;
    for (auto& x : *log)
      out.push_back(to_string(x.state) + " " + x.key.tr_key + " " + x.msg_cd);
    return out;
  };
  // mars: its key only, refused with the msg_cd (a request refused for
  // good gives up its place).
  CAF_CHECK_EQUAL(
      states(mars_log),
      (std::vector<std::string>{"granted 000660 ", "rejected 000660 OPSP8992",
                                "evicted 000660 "}));
  CAF_REQUIRE_EQUAL(mars_log->size(), 3u);
  CAF_CHECK_EQUAL((*mars_log)[1],
                  (slot_outcome{0, hynix, 3, slot_outcome_state::rejected,
                                "OPSP8992", "permanent"}));
  // jupiter: everything, the replay and mars' refusal included.
  CAF_CHECK_EQUAL(
      states(jupiter_log),
      (std::vector<std::string>{"granted 000660 ", "granted 005930 ",
                                "replayed  ", "rejected 000660 OPSP8992",
                                "evicted 000660 ", "active 005930 "}));
  // jupiter releases samsung: it hears the eviction, mars does not.
  CAF_CHECK_EQUAL(ask(jupiter, gate_on_jupiter, node_slot_release{samsung}),
                  "");
  CAF_REQUIRE(!jupiter_log->empty());
  CAF_CHECK_EQUAL(jupiter_log->back(),
                  (slot_outcome{0, samsung, 4, slot_outcome_state::evicted, "",
                                "released"}));
  CAF_CHECK_EQUAL(mars_log->size(), 3u);
}

CAF_TEST(a preempted request and starved holdings reach the nodes) {
  CAF_CHECK_EQUAL(hello(mars, gate_on_mars, "mars"), "");
  CAF_CHECK_EQUAL(hello(jupiter, gate_on_jupiter, "jupiter"), "");
  auto mars_log = std::make_shared<std::vector<slot_outcome>>();
  auto jupiter_log = std::make_shared<std::vector<slot_outcome>>();
  auto mars_l = mars.sys.spawn(outcome_logger, mars_log);
  auto jupiter_l = jupiter.sys.spawn(outcome_logger, jupiter_log);
  listeners.push_back(caf::actor_cast<caf::actor>(mars_l));
  listeners.push_back(caf::actor_cast<caf::actor>(jupiter_l));
  exec_all();
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, caf::subscribe_atom_v, atom::slots_v,
                      mars_l, false),
                  "");
  CAF_CHECK_EQUAL(ask(jupiter, gate_on_jupiter, caf::subscribe_atom_v,
                      atom::slots_v, jupiter_l, true),
                  "");
  CAF_CHECK_EQUAL(ask(mars, gate_on_mars, node_slot_request{hynix, 3}), "");
  // 21 holdings, two keys each, for the 40 places of the session.
  std::vector<std::string> codes;
  for (int i = 0; i < 21; ++i)
    codes.push_back(std::to_string(100001 + i));
  earth.self->send(arbiter, holding_set{codes});
  exec_all();
  auto count = [](const outcome_log& log, slot_outcome_state st) {
    std::size_t n = 0;
    for (auto& x : *log)
      n += x.state == st ? 1 : 0;
    return n;
  };
  CAF_REQUIRE(!mars_log->empty());
  CAF_CHECK_EQUAL(mars_log->back(),
                  (slot_outcome{0, hynix, 3, slot_outcome_state::evicted, "",
                                "preempted"}));
  CAF_CHECK_EQUAL(count(mars_log, slot_outcome_state::starved), 0u);
  CAF_CHECK_EQUAL(count(jupiter_log, slot_outcome_state::starved), 2u);
  CAF_CHECK_EQUAL(count(jupiter_log, slot_outcome_state::evicted), 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
