// SPDX-License-Identifier: Apache-2.0
// The snapshot fetcher on the test coordinator: it follows the arbiter's
// events, asks its price source holdings first, and the hub hands the
// snapshot to the key's subscribers.
#define CAF_SUITE actors.snapshot_fetcher
#include "tests/common/actor_fixture.hpp"

#include <deque>
#include <memory>
#include <vector>

#include "actors/hub.hpp"
#include "actors/snapshot_fetcher.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

/// Answers fetches when the test says so.
struct scripted_prices : price_source {
  struct call {
    slot_key key;
    std::function<void(kis::price_snapshot, std::string)> done;
  };
  std::deque<call> pending;
  std::vector<std::string> asked; ///< tr_keys, in order
  void
  fetch(const slot_key& key,
        std::function<void(kis::price_snapshot, std::string)> done) override {
    asked.push_back(key.tr_key);
    pending.push_back({key, std::move(done)});
  }
  void answer(std::int64_t price, std::string error = {}) {
    auto c = std::move(pending.front());
    pending.pop_front();
    kis::price_snapshot x;
    x.price.raw = price * kis::fixed4::scale;
    x.cum_volume = 42;
    c.done(std::move(x), std::move(error));
  }
};

struct seen_log {
  std::vector<std::string> lines; ///< "event tr_id key price"
};

struct listener_state {
  static inline const char* name = "listener";
};

market_listener_actor::behavior_type
listener(market_listener_actor::stateful_pointer<listener_state>,
         std::shared_ptr<seen_log> log) {
  return market_behavior<market_listener_actor::behavior_type>(
      ignore_event,
      [log](const snapshot_event& x) {
        log->lines.push_back("snapshot " + x.tr_id + " " + x.data.symbol + " "
                             + std::to_string(x.data.price.raw / 10000)
                             + (x.data.snapshot ? "" : " NOT-FLAGGED"));
      },
      [log](const trade_event& x) {
        log->lines.push_back("trade " + x.tr_id + " " + x.data.symbol + " "
                             + std::to_string(x.data.price));
      });
}

struct fixture : actor_fixture<> {
  std::shared_ptr<scripted_prices> prices = std::make_shared<scripted_prices>();
  std::shared_ptr<seen_log> log = std::make_shared<seen_log>();
  hub_actor hb;
  snapshot_fetcher_actor sf;
  market_listener_actor lis;

  fixture() {
    hb = sys.spawn(hub, hub_config{}, std::optional<slot_arbiter_actor>{});
    snapshot_fetcher_config cfg;
    cfg.source = prices;
    cfg.max_in_flight = 1;
    cfg.patience = 30s;
    cfg.kst = kst_clock::at_kst(now(), 2025, 1, 6, 7, 20, 0);
    sf = sys.spawn(snapshot_fetcher, cfg, hb);
    lis = sys.spawn(listener, log);
    drain();
  }

  ~fixture() {
    for (auto a :
         {caf::actor_cast<caf::actor>(hb), caf::actor_cast<caf::actor>(sf),
          caf::actor_cast<caf::actor>(lis)})
      anon_send_exit(a, caf::exit_reason::user_shutdown);
    drain();
  }

  void listen(const slot_key& k) {
    self->send(hb, caf::subscribe_atom_v, lis, k);
    drain();
  }

  void active(const slot_key& k, priority level) {
    self->send(sf, slot_granted{0, k, level});
    self->send(sf, slot_active{0, 1, k});
    drain();
  }
};

slot_key trade(std::string code) {
  return slot_key{"H0STCNT0", std::move(code)};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(snapshot_fetcher_tests, fixture)

CAF_TEST(an active key gets its snapshot before its first trade) {
  listen(trade("035420"));
  active(trade("035420"), pick_priority);
  CAF_REQUIRE_EQUAL(prices->asked, std::vector<std::string>{"035420"});
  prices->answer(210000);
  drain();
  // The first trade comes after the snapshot.
  trade_event t;
  t.tr_id = "H0STCNT0";
  t.data.symbol = "035420";
  t.data.price = 210500;
  self->send(hb, t);
  drain();
  CAF_CHECK_EQUAL(log->lines,
                  (std::vector<std::string>{"snapshot H0STCNT0 035420 210000",
                                            "trade H0STCNT0 035420 210500"}));
}

CAF_TEST(the snapshot carries the key and the KST time of its answer) {
  std::vector<snapshot_event> got;
  auto probe = sys.spawn(
      [&got](caf::event_based_actor*, int) -> caf::behavior {
        return {[&got](const snapshot_event& x) { got.push_back(x); }};
      },
      0);
  self->send(hb, caf::subscribe_atom_v,
             caf::actor_cast<market_listener_actor>(probe), trade("005930"));
  drain();
  active(trade("005930"), holding_priority);
  advance(3s);
  prices->answer(71000);
  drain();
  CAF_REQUIRE_EQUAL(got.size(), 1u);
  CAF_CHECK_EQUAL(got[0].session, 0u);
  CAF_CHECK_EQUAL(got[0].tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(got[0].data.symbol, "005930");
  CAF_CHECK_EQUAL(got[0].data.time, (kis::hms{7, 20, 3}));
  CAF_CHECK_EQUAL(got[0].data.cum_volume, 42);
  CAF_CHECK(got[0].data.snapshot);
  anon_send_exit(probe, caf::exit_reason::user_shutdown);
}

CAF_TEST(holdings are asked first and one at a time) {
  active(trade("000001"), scan_priority);
  active(trade("000002"), pick_priority);
  active(trade("000003"), holding_priority);
  // 000001 was asked at once (a free place); the rest wait, holdings first.
  CAF_CHECK_EQUAL(prices->asked, std::vector<std::string>{"000001"});
  prices->answer(1);
  drain();
  prices->answer(3);
  drain();
  prices->answer(2);
  drain();
  CAF_CHECK_EQUAL(prices->asked,
                  (std::vector<std::string>{"000001", "000003", "000002"}));
}

CAF_TEST(a replay makes the key active again and brings a new snapshot) {
  listen(trade("035420"));
  active(trade("035420"), pick_priority);
  prices->answer(210000);
  drain();
  self->send(sf, session_replayed{0, 2, 1});
  self->send(sf, slot_active{0, 2, trade("035420")});
  drain();
  CAF_REQUIRE_EQUAL(prices->pending.size(), 1u);
  prices->answer(211000);
  drain();
  CAF_CHECK_EQUAL(log->lines, (std::vector<std::string>{
                                  "snapshot H0STCNT0 035420 210000",
                                  "snapshot H0STCNT0 035420 211000"}));
}

CAF_TEST(a failed or unanswered fetch frees its place) {
  active(trade("000001"), pick_priority);
  active(trade("000002"), pick_priority);
  prices->answer(0, "inquire-price: HTTP 500 EGW00201");
  drain();
  CAF_CHECK_EQUAL(prices->asked,
                  (std::vector<std::string>{"000001", "000002"}));
  // 000002 never answers: after the patience the next key goes.
  active(trade("000003"), pick_priority);
  CAF_CHECK_EQUAL(prices->asked.size(), 2u);
  advance(30s);
  CAF_CHECK_EQUAL(prices->asked,
                  (std::vector<std::string>{"000001", "000002", "000003"}));
  // The late answer of 000002 is dropped.
  listen(trade("000002"));
  prices->answer(5);
  drain();
  CAF_CHECK(log->lines.empty());
}

CAF_TEST(other TRs get no snapshot) {
  active(slot_key{"H0STASP0", "005930"}, holding_priority);
  active(slot_key{"H0STCNI0", "hts01"}, notice_priority);
  CAF_CHECK(prices->asked.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
