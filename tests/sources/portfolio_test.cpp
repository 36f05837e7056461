// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.portfolio
#include "sources_fixture.hpp"

#include "actors/portfolio_sync.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

kis::exec_notice notice(kis::side sd, std::string code, std::int64_t qty,
                        std::string order_no, std::uint8_t sec = 0,
                        kis::notice_kind kind = kis::notice_kind::fill) {
  kis::exec_notice n;
  n.order_no = std::move(order_no);
  n.order_side = sd;
  n.kind = kind;
  n.accepted = true;
  n.symbol = std::move(code);
  n.fill_qty = qty;
  n.fill_price = 71000;
  n.order_qty = qty;
  n.time = kis::hms{10, 0, sec};
  return n;
}

constexpr auto buy = kis::side::buy;
constexpr auto sell = kis::side::sell;

struct scripted_balance : balance_source {
  scripted<balance_snapshot> script;
  void fetch(std::function<void(balance_snapshot)> done) override {
    script.fetch(std::move(done));
  }
};

struct portfolio_fixture : sources_fixture {
  std::shared_ptr<scripted_balance> rest = std::make_shared<scripted_balance>();
  portfolio_sync_actor ps;

  void spawn(bool with_source = true) {
    portfolio_sync_config cfg;
    if (with_source)
      cfg.source = rest;
    cfg.poll_interval = 5min;
    cfg.settle = 30s;
    ps = sys.spawn(portfolio_sync, cfg, arb);
    drain();
  }

  ~portfolio_fixture() {
    anon_send_exit(ps, caf::exit_reason::user_shutdown);
    drain();
  }

  void fill(kis::side sd, std::string code, std::int64_t qty,
            std::string order_no, std::uint8_t sec = 0) {
    self->send(ps, notice_event{0, "H0STCNI0",
                                notice(sd, std::move(code), qty,
                                       std::move(order_no), sec)});
    drain();
  }

  std::vector<holding_qty> positions() {
    self->send(ps, caf::get_atom_v, atom::holdings_v);
    drain();
    std::vector<holding_qty> out;
    self->receive([&](balance_snapshot& x) { out = std::move(x.rows); });
    return out;
  }
};

using hs = holding_set;
using pu = position_update;
using rows = std::vector<holding_qty>;

} // namespace

CAF_TEST(core : buys add and sells lower the position) {
  portfolio_core c{30s};
  mono_time t{1h};
  CAF_CHECK_EQUAL(c.apply(notice(buy, "005930", 10, "1"), t),
                  pu({"005930", 10}));
  CAF_CHECK_EQUAL(c.apply(notice(sell, "005930", 4, "2"), t),
                  pu({"005930", 6}));
  CAF_CHECK_EQUAL(c.holdings(), hs{{"005930"}});
  CAF_CHECK_EQUAL(c.apply(notice(sell, "005930", 6, "3"), t),
                  pu({"005930", 0}));
  CAF_CHECK_EQUAL(c.holdings(), hs{});
  // Selling what is not known never goes below zero.
  CAF_CHECK_EQUAL(c.apply(notice(sell, "000660", 3, "4"), t),
                  pu({"000660", 0}));
  CAF_CHECK_EQUAL(c.quantity("000660"), 0);
}

CAF_TEST(core : partial fills add up and duplicates count once) {
  portfolio_core c{30s};
  mono_time t{1h};
  CAF_CHECK_EQUAL(c.apply(notice(buy, "005930", 4, "7", 1), t),
                  pu({"005930", 4}));
  CAF_CHECK_EQUAL(c.apply(notice(buy, "005930", 6, "7", 2), t),
                  pu({"005930", 10}));
  // The same fill again (same order number, time, quantity, price).
  CAF_CHECK(!c.apply(notice(buy, "005930", 6, "7", 2), t));
  CAF_CHECK_EQUAL(c.quantity("005930"), 10);
}

CAF_TEST(core : acknowledgements and rejections change nothing) {
  portfolio_core c{30s};
  mono_time t{1h};
  CAF_CHECK(
      !c.apply(notice(buy, "005930", 10, "1", 0, kis::notice_kind::ack), t));
  auto rej = notice(sell, "005930", 10, "2");
  rej.rejected = true;
  CAF_CHECK(!c.apply(rej, t));
  CAF_CHECK(c.holdings().symbols.empty());
}

CAF_TEST(core : REST wins once fills settled and differences are reported) {
  portfolio_core c{30s};
  mono_time t{1h};
  // The first snapshot is the start, not a difference.
  CAF_CHECK(c.reconcile(rows{{"005930", 10}, {"000660", 0}, {"035420", 3}}, t)
                .empty());
  CAF_CHECK_EQUAL(c.holdings(), hs({{"005930", "035420"}}));
  // A fill just now: a snapshot asked before it does not know it yet.
  c.apply(notice(buy, "000660", 5, "9"), t + 10s);
  auto d = c.reconcile(rows{{"005930", 10}, {"035420", 3}}, t + 5s);
  CAF_CHECK_EQUAL(d.size(), 1u);
  CAF_CHECK_EQUAL(c.quantity("000660"), 5);
  // Much later REST still disagrees: REST wins, and it is reported.
  d = c.reconcile(rows{{"005930", 10}, {"035420", 3}}, t + 2min);
  CAF_REQUIRE_EQUAL(d.size(), 1u);
  CAF_CHECK_EQUAL(d[0], "000660: notices 5, REST 0 (REST wins)");
  CAF_CHECK_EQUAL(c.holdings(), hs({{"005930", "035420"}}));
  // A holding the notices never saw appears.
  d = c.reconcile(rows{{"005930", 10}, {"035420", 3}, {"068270", 1}}, t + 3min);
  CAF_CHECK_EQUAL(d.size(), 1u);
  CAF_CHECK_EQUAL(c.holdings(), hs({{"005930", "035420", "068270"}}));
}

CAF_TEST_FIXTURE_SCOPE(portfolio_actor, portfolio_fixture)

CAF_TEST(the first balance becomes the holding set) {
  spawn();
  CAF_CHECK_EQUAL(rest->script.fetches, 1);
  CAF_CHECK(take<hs>().empty());
  rest->script.answer({rows{{"005930", 10}, {"000660", 0}, {"035420", 3}}, {}});
  drain();
  CAF_CHECK_EQUAL(take<hs>(), std::vector<hs>{hs({{"005930", "035420"}})});
  CAF_CHECK_EQUAL(positions(), (rows{{"005930", 10}, {"035420", 3}}));
}

CAF_TEST(fills reach the arbiter at once and selling out removes) {
  spawn();
  rest->script.answer({rows{{"005930", 10}}, {}});
  drain();
  take<hs>();
  fill(buy, "000660", 4, "11", 1);
  fill(buy, "000660", 6, "11", 2);
  fill(buy, "000660", 6, "11", 2); // duplicate
  CAF_CHECK_EQUAL(take<pu>(),
                  (std::vector<pu>{pu{"000660", 4}, pu{"000660", 10}}));
  fill(sell, "005930", 10, "12");
  CAF_CHECK_EQUAL(take<pu>(), (std::vector<pu>{pu{"005930", 0}}));
  CAF_CHECK_EQUAL(positions(), (rows{{"000660", 10}}));
  // No poll was needed for any of it.
  CAF_CHECK_EQUAL(rest->script.fetches, 1);
}

CAF_TEST(polls run periodically and after a session replay) {
  spawn();
  rest->script.answer({rows{{"005930", 10}}, {}});
  drain();
  advance(5min);
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  // A poll in flight is not doubled.
  self->send(ps, atom::poll_v);
  drain();
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  rest->script.answer({rows{{"005930", 10}}, {}});
  drain();
  self->send(ps, session_replayed{0, 2, 5});
  drain();
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
  // A failed poll keeps the holdings and sends nothing.
  take<hs>();
  rest->script.answer({{}, "EGW00201: too many requests"});
  drain();
  CAF_CHECK(take<hs>().empty());
  CAF_CHECK_EQUAL(positions(), (rows{{"005930", 10}}));
}

CAF_TEST(a fill during a poll survives the stale snapshot) {
  spawn();
  rest->script.answer({rows{{"005930", 10}}, {}});
  drain();
  advance(5min); // poll 2 asked now
  fill(buy, "000660", 5, "21");
  rest->script.answer({rows{{"005930", 10}}, {}}); // without the fill
  drain();
  CAF_CHECK_EQUAL(take<hs>().back(), hs({{"000660", "005930"}}));
  advance(5min); // poll 3, long after the fill: REST wins
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
  CAF_CHECK(rest->script.answer({rows{{"005930", 10}}, {}}));
  drain();
  auto last = take<hs>();
  CAF_REQUIRE_EQUAL(last.size(), 1u);
  CAF_CHECK_EQUAL(last.back(), hs{{"005930"}});
}

CAF_TEST(without a source snapshots arrive as messages) {
  spawn(false);
  self->send(ps, balance_snapshot{rows{{"005930", 10}, {"000660", 5}}, {}});
  drain();
  CAF_CHECK_EQUAL(take<hs>(), std::vector<hs>{hs({{"000660", "005930"}})});
  fill(sell, "000660", 5, "31");
  CAF_CHECK_EQUAL(take<pu>(), (std::vector<pu>{pu{"000660", 0}}));
}

CAF_TEST_FIXTURE_SCOPE_END()
