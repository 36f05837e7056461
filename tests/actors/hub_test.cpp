// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.hub
#include <caf/test/dsl.hpp>

#include <memory>
#include <vector>

#include "actors/hub.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"
#include "tests/common/actor_fixture.hpp"

using namespace kisrt;

namespace {

struct seen {
  std::vector<std::string> log; // "tr_id symbol price"
};

struct listener_state {
  static inline const char* name = "listener";
};

market_listener_actor::behavior_type
listener(market_listener_actor::stateful_pointer<listener_state>,
         std::shared_ptr<seen> out) {
  auto rec = [out](const std::string& tr, const std::string& key,
                   std::int64_t v) {
    out->log.push_back(tr + " " + key + " " + std::to_string(v));
  };
  return market_behavior<market_listener_actor::behavior_type>(
      [rec](const auto& x) { rec(x.tr_id, key_of(x), -1); },
      [rec](const trade_event& x) {
        rec(x.tr_id, x.data.symbol, x.data.price);
      },
      [rec](const book_event& x) { rec(x.tr_id, x.data.symbol, 0); },
      [rec](const notice_event& x) {
        rec(x.tr_id, x.data.customer_id, x.data.fill_qty);
      },
      [rec](const fields_event& x) {
        rec(x.tr_id, x.data.key, static_cast<std::int64_t>(x.data.size()));
      });
}

trade_event trade(const char* sym, std::int64_t price) {
  trade_event ev;
  ev.session = 1;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = sym;
  ev.data.price = price;
  return ev;
}

notice_event fill(std::int64_t qty) {
  notice_event ev;
  ev.session = 1;
  ev.tr_id = "H0STCNI0";
  ev.data.customer_id = "user1";
  ev.data.kind = kis::notice_kind::fill;
  ev.data.fill_qty = qty;
  return ev;
}

fields_event index(const char* code, const char* level) {
  fields_event ev;
  ev.session = 1;
  ev.tr_id = "H0UPANC0";
  ev.data.key = code;
  ev.data.text = std::string{code} + "^090102^" + level;
  return ev;
}

struct fixture : test::actor_fixture<> {
  std::shared_ptr<seen> got = std::make_shared<seen>();
  market_listener_actor lis;

  hub_actor make_hub(hub_config cfg) {
    auto h = sys.spawn(hub, cfg, std::optional<slot_arbiter_actor>{});
    lis = sys.spawn(listener, got);
    run();
    return h;
  }

  hub_counters counters(const hub_actor& h) {
    hub_counters out;
    self->send(h, caf::get_atom_v, atom::stats_v);
    run();
    self->receive([&out](hub_counters& x) { out = x; },
                  [](caf::error& err) { CAF_FAIL(to_string(err)); });
    return out;
  }

  // Runs only the hub: the listener stays busy elsewhere.
  void run_hub(const hub_actor& h) {
    auto ptr = caf::actor_cast<caf::abstract_actor*>(h);
    sched.run_jobs_filtered([ptr](caf::resumable* job) {
      return dynamic_cast<caf::abstract_actor*>(job) == ptr;
    });
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(hub_tests, fixture)

CAF_TEST(events reach subscribers of their key only) {
  auto h = make_hub(hub_config{});
  self->send(h, caf::subscribe_atom_v, lis, slot_key{"H0STCNT0", "005930"});
  self->send(h, trade("005930", 71000));
  self->send(h, trade("000660", 120000));
  run();
  CAF_CHECK_EQUAL(got->log,
                  (std::vector<std::string>{"H0STCNT0 005930 71000"}));
  self->send(h, caf::subscribe_atom_v, lis);
  self->send(h, trade("000660", 120100));
  run();
  CAF_CHECK_EQUAL(got->log.back(), "H0STCNT0 000660 120100");
  self->send(h, caf::unsubscribe_atom_v, lis);
  self->send(h, trade("005930", 1));
  run();
  CAF_CHECK_EQUAL(got->log.size(), 2u);
  // What a subscriber that left had counted stays in the totals (metrics
  // counters never go down).
  CAF_CHECK_EQUAL(counters(h), (hub_counters{2, 0, 0, 0}));
}

CAF_TEST(generic events are routed by tr_id and key) {
  auto h = make_hub(hub_config{});
  self->send(h, caf::subscribe_atom_v, lis, slot_key{"H0UPANC0", "0001"});
  self->send(h, index("0001", "265012"));
  self->send(h, index("1001", "84210"));
  run();
  CAF_CHECK_EQUAL(got->log, (std::vector<std::string>{"H0UPANC0 0001 3"}));
  // An empty key subscribes every key of the TR.
  self->send(h, caf::subscribe_atom_v, lis, slot_key{"H0UPANC0", ""});
  self->send(h, index("2001", "35001"));
  run();
  CAF_CHECK_EQUAL(got->log.back(), "H0UPANC0 2001 3");
  CAF_CHECK_EQUAL(got->log.size(), 2u);
}

CAF_TEST(a slow subscriber gets conflated quotes and every notice) {
  hub_config cfg;
  cfg.window = 2;
  cfg.local_window = 0; // the same as window
  cfg.confirm_every = 1;
  auto h = make_hub(cfg);
  self->send(h, caf::subscribe_atom_v, lis);
  run();
  // The listener does not run while the hub routes all of this.
  self->send(h, trade("005930", 1)); // in flight
  self->send(h, trade("000660", 1)); // in flight: the window is full
  self->send(h, trade("005930", 2)); // waits
  self->send(h, fill(10));           // waits, never dropped
  self->send(h, trade("005930", 3)); // replaces 005930@2 in line
  self->send(h, fill(5));            // waits
  run_hub(h);
  CAF_CHECK(got->log.empty());
  run(); // the listener catches up; confirmations release the rest
  CAF_CHECK_EQUAL(got->log, (std::vector<std::string>{
                                "H0STCNT0 005930 1", "H0STCNT0 000660 1",
                                "H0STCNT0 005930 3", "H0STCNI0 user1 10",
                                "H0STCNI0 user1 5"}));
  // One quote was conflated away: the hub counts it.
  CAF_CHECK_EQUAL(counters(h), (hub_counters{5, 0, 1, 1}));
}

CAF_TEST(a subscriber in this actor system gets the local window) {
  hub_config cfg;
  cfg.window = 1; // for subscribers behind the middleman
  cfg.local_window = 3;
  cfg.confirm_every = 1;
  auto h = make_hub(cfg);
  self->send(h, caf::subscribe_atom_v, lis);
  run();
  for (int price = 1; price <= 4; ++price)
    self->send(h, trade("005930", price));
  run_hub(h);
  run();
  // Three in flight, the fourth waited alone: nothing conflated (with a
  // window of 1, prices 2 and 3 would have been replaced in line).
  CAF_CHECK_EQUAL(got->log, (std::vector<std::string>{
                                "H0STCNT0 005930 1", "H0STCNT0 005930 2",
                                "H0STCNT0 005930 3", "H0STCNT0 005930 4"}));
  CAF_CHECK_EQUAL(counters(h), (hub_counters{4, 0, 0, 1}));
}

CAF_TEST(a subscriber that dies is removed) {
  auto h = make_hub(hub_config{});
  self->send(h, caf::subscribe_atom_v, lis);
  run();
  caf::anon_send_exit(lis, caf::exit_reason::user_shutdown);
  run();
  self->send(h, trade("005930", 1));
  run();
  CAF_CHECK(got->log.empty());
}

CAF_TEST(a subscriber that fails a confirmation is removed and may return ) {
  // Every delivery is a request; this listener answers each with an error.
  hub_config cfg;
  cfg.confirm_every = 1;
  auto h = make_hub(cfg);
  auto calls = std::make_shared<int>(0);
  market_listener_actor failing =
      // With an argument: CAF 0.17.6 binds a null reference when a
      // function actor has none (UBSan reports it).
      sys.spawn(
          [](market_listener_actor::pointer, std::shared_ptr<int> calls)
              -> market_listener_actor::behavior_type {
            return market_behavior<market_listener_actor::behavior_type>(
                ignore_event, [calls](const trade_event&) -> caf::result<void> {
                  ++*calls;
                  return caf::make_error(caf::sec::runtime_error);
                });
          },
          calls);
  self->send(h, caf::subscribe_atom_v, failing);
  run();
  self->send(h, trade("005930", 1));
  run();
  CAF_CHECK_EQUAL(*calls, 1);
  // Removed: nothing more reaches it.
  self->send(h, trade("005930", 2));
  run();
  CAF_CHECK_EQUAL(*calls, 1);
  // Its address was forgotten too: subscribing again makes a new
  // subscription that gets events.
  self->send(h, caf::subscribe_atom_v, failing);
  run();
  self->send(h, trade("005930", 3));
  run();
  CAF_CHECK_EQUAL(*calls, 2);
  caf::anon_send_exit(failing, caf::exit_reason::user_shutdown);
  run();
}

CAF_TEST_FIXTURE_SCOPE_END()
