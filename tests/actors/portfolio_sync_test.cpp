// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.portfolio
#include "tests/actors/sources_fixture.hpp"

#include "actors/portfolio_sync.hpp"

using namespace kisrt;
using namespace kisrt::test;
using namespace std::chrono_literals;

namespace {

// A fill of `qty` of an order of `order_qty` (ODER_QTY).
kis::exec_notice notice(kis::side sd, std::string code, std::int64_t qty,
                        std::string order_no, std::uint8_t sec = 0,
                        kis::notice_kind kind = kis::notice_kind::fill,
                        std::int64_t order_qty = 100) {
  kis::exec_notice n;
  n.order_no = std::move(order_no);
  n.order_side = sd;
  n.kind = kind;
  n.accepted = true;
  n.symbol = std::move(code);
  n.fill_qty = qty;
  n.fill_price = 71000;
  n.order_qty = order_qty;
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
            std::string order_no, std::uint8_t sec = 0,
            session_id session = 0) {
    self->send(ps, notice_event{session, "H0STCNI0",
                                notice(sd, std::move(code), qty,
                                       std::move(order_no), sec)});
    drain();
  }

  portfolio_status status() {
    self->send(ps, caf::get_atom_v, atom::poll_v);
    drain();
    portfolio_status out;
    self->receive([&](portfolio_status& x) { out = std::move(x); });
    return out;
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

CAF_TEST(core : partial fills add up) {
  portfolio_core c{30s};
  mono_time t{1h};
  CAF_CHECK_EQUAL(c.apply(notice(buy, "005930", 4, "7", 1), t),
                  pu({"005930", 4}));
  CAF_CHECK_EQUAL(c.apply(notice(buy, "005930", 6, "7", 2), t),
                  pu({"005930", 10}));
  CAF_CHECK_EQUAL(c.quantity("005930"), 10);
}

CAF_TEST(core : equal partial fills of one order in one second all count) {
  // KIS notices carry no fill number, cumulative or remaining quantity:
  // two fills of 5 at one price in one second are identical in every field.
  portfolio_core c{30s};
  mono_time t{1h};
  auto five = notice(buy, "005930", 5, "8", 3, kis::notice_kind::fill, 15);
  CAF_CHECK_EQUAL(c.apply(five, t), pu({"005930", 5}));
  CAF_CHECK_EQUAL(c.apply(five, t), pu({"005930", 10}));
  CAF_CHECK_EQUAL(c.apply(five, t), pu({"005930", 15}));
  CAF_CHECK(c.last_duplicate().empty());
  // A fourth would pass the order's 15 shares: that is a replay.
  CAF_CHECK(!c.apply(five, t));
  CAF_CHECK(!c.last_duplicate().empty());
  CAF_CHECK_EQUAL(c.quantity("005930"), 15);
}

CAF_TEST(core : the same notice from another session counts once) {
  // Two app keys registered with one HTS ID both get every notice.
  portfolio_core c{30s};
  mono_time t{1h};
  auto four = notice(sell, "005930", 4, "9", 5);
  c.reconcile(rows{{"005930", 20}}, t);
  CAF_CHECK_EQUAL(c.apply(four, t, 0), pu({"005930", 16}));
  CAF_CHECK(!c.apply(four, t, 1)); // the same fill, the other session
  CAF_CHECK(!c.last_duplicate().empty());
  // A second equal fill: counted once more, whichever session is first.
  CAF_CHECK_EQUAL(c.apply(four, t, 1), pu({"005930", 12}));
  CAF_CHECK_EQUAL(c.quantity("005930"), 12);
  CAF_CHECK(!c.apply(four, t, 0));
  CAF_CHECK_EQUAL(c.quantity("005930"), 12);
  // Another order's equal fill is another fill.
  CAF_CHECK_EQUAL(c.apply(notice(sell, "005930", 4, "10", 5), t, 1),
                  pu({"005930", 8}));
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

CAF_TEST(core : notices of other accounts do not count) {
  portfolio_core c{30s, "50000001"};
  mono_time t{1h};
  auto mine = notice(buy, "005930", 10, "1");
  mine.account = "5000000101";
  auto other = notice(buy, "000660", 10, "2");
  other.account = "5000000201";
  CAF_CHECK_EQUAL(c.apply(mine, t), pu({"005930", 10}));
  CAF_CHECK(!c.apply(other, t));
  CAF_CHECK_EQUAL(c.holdings(), hs{{"005930"}});
}

CAF_TEST(core : notices of every followed account count) {
  portfolio_core c{30s, std::vector<std::string>{"50000001", "50000002"}};
  mono_time t{1h};
  auto a = notice(buy, "005930", 10, "1");
  a.account = "5000000101";
  auto b = notice(buy, "000660", 5, "2");
  b.account = "5000000201";
  auto other = notice(buy, "035420", 1, "3");
  other.account = "5000000301";
  CAF_CHECK_EQUAL(c.apply(a, t), pu({"005930", 10}));
  CAF_CHECK_EQUAL(c.apply(b, t), pu({"000660", 5}));
  CAF_CHECK(!c.apply(other, t));
  CAF_CHECK_EQUAL(c.holdings(), hs({{"000660", "005930"}}));
}

CAF_TEST(overseas keys are told apart from stock codes) {
  CAF_CHECK(is_overseas_key("DNASAAPL"));
  CAF_CHECK(is_overseas_key("RBAQAAPL"));
  CAF_CHECK(is_overseas_key("DHKS00700"));
  CAF_CHECK(!is_overseas_key("005930"));
  CAF_CHECK(!is_overseas_key("Q500001"));
  CAF_CHECK(!is_overseas_key("DNAS"));
  CAF_CHECK(!is_overseas_key("Dnasaapl"));
}

CAF_TEST(core : a disagreement inside the settle window names its end) {
  portfolio_core c{30s};
  mono_time t{1h};
  c.reconcile(rows{{"005930", 10}}, t);
  CAF_CHECK(!c.follow_up());
  c.apply(notice(buy, "000660", 5, "9"), t + 10s);
  c.apply(notice(buy, "035420", 1, "10"), t + 20s);
  c.reconcile(rows{{"005930", 10}}, t + 15s);
  CAF_CHECK_EQUAL(c.follow_up(), mono_time{t + 40s}); // the earlier window
  // REST agrees with the notices: nothing to follow up.
  c.reconcile(rows{{"005930", 10}, {"000660", 5}, {"035420", 1}}, t + 21s);
  CAF_CHECK(!c.follow_up());
  // At the window's end REST wins.
  c.apply(notice(buy, "000660", 1, "11"), t + 30s);
  c.reconcile(rows{{"005930", 10}, {"000660", 5}, {"035420", 1}}, t + 60s);
  CAF_CHECK(!c.follow_up());
  CAF_CHECK_EQUAL(c.quantity("000660"), 5);
}

CAF_TEST(retry delays double up to the maximum) {
  CAF_CHECK_EQUAL(poll_retry_delay(1, 2s, 60s), mono_time{2s});
  CAF_CHECK_EQUAL(poll_retry_delay(2, 2s, 60s), mono_time{4s});
  CAF_CHECK_EQUAL(poll_retry_delay(5, 2s, 60s), mono_time{32s});
  CAF_CHECK_EQUAL(poll_retry_delay(6, 2s, 60s), mono_time{60s});
  CAF_CHECK_EQUAL(poll_retry_delay(1000, 2s, 60s), mono_time{60s});
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

CAF_TEST(two accounts on two app keys give one holding set) {
  // Each account's balance comes through its own app key's source.
  auto key_a = std::make_shared<scripted_balance>();
  auto key_b = std::make_shared<scripted_balance>();
  portfolio_sync_config cfg;
  cfg.source = merged_balance_source(
      {{"account 50000001", key_a}, {"account 50000002", key_b}});
  cfg.accounts = {"50000001", "50000002"};
  cfg.poll_interval = 5min;
  ps = sys.spawn(portfolio_sync, cfg, arb);
  drain();
  CAF_CHECK_EQUAL(key_a->script.fetches, 1);
  CAF_CHECK_EQUAL(key_b->script.fetches, 1);
  key_b->script.answer({rows{{"000660", 5}, {"005930", 2}}, {}});
  drain();
  CAF_CHECK(take<hs>().empty()); // the merge waits for every account
  key_a->script.answer({rows{{"005930", 10}}, {}});
  drain();
  CAF_CHECK_EQUAL(take<hs>(), std::vector<hs>{hs({{"000660", "005930"}})});
  CAF_CHECK_EQUAL(positions(), (rows{{"000660", 5}, {"005930", 12}}));
  // A fill of the second account counts at once.
  auto n = notice(buy, "035420", 3, "21");
  n.account = "5000000201";
  self->send(ps, notice_event{1, "H0STCNI0", n});
  drain();
  CAF_CHECK_EQUAL(take<pu>(), (std::vector<pu>{pu{"035420", 3}}));
  // One account failing fails the poll, named; holdings stay.
  self->send(ps, atom::poll_v);
  drain();
  key_a->script.answer({rows{{"005930", 10}}, {}});
  key_b->script.answer({{}, "inquire-balance: HTTP 500"});
  drain();
  CAF_CHECK(take<hs>().empty());
  auto st = status();
  CAF_CHECK(!st.last_poll_ok);
  CAF_CHECK_EQUAL(st.last_error, "account 50000002: inquire-balance: HTTP 500");
}

CAF_TEST(overseas holdings are priority - 1 requests on HDFSCNT0) {
  portfolio_sync_config cfg;
  cfg.source = rest;
  cfg.poll_interval = 5min;
  cfg.overseas_notices = {{"H0GSCNI0", "user1"}};
  ps = sys.spawn(portfolio_sync, cfg, arb);
  drain();
  // The overseas notice is registered at start.
  CAF_CHECK_EQUAL(take<slot_request>(),
                  (std::vector<slot_request>{
                      {"portfolio", {"H0GSCNI0", "user1"}, holding_priority}}));
  rest->script.answer(
      {rows{{"005930", 10}, {"DNASAAPL", 5}, {"DHKS00700", 100}}, {}});
  drain();
  CAF_CHECK_EQUAL(take<hs>(), std::vector<hs>{hs({{"005930"}})});
  CAF_CHECK_EQUAL(
      take<slot_request>(),
      (std::vector<slot_request>{
          {"portfolio", {"HDFSCNT0", "DHKS00700"}, holding_priority},
          {"portfolio", {"HDFSCNT0", "DNASAAPL"}, holding_priority}}));
  // The same balance again asks for nothing new.
  self->send(ps, atom::poll_v);
  drain();
  rest->script.answer(
      {rows{{"005930", 10}, {"DNASAAPL", 5}, {"DHKS00700", 100}}, {}});
  drain();
  CAF_CHECK(take<slot_request>().empty());
  take<hs>();
  // Sold: released.
  self->send(ps, atom::poll_v);
  drain();
  rest->script.answer({rows{{"005930", 10}, {"DHKS00700", 100}}, {}});
  drain();
  CAF_CHECK_EQUAL(
      take<slot_release>(),
      (std::vector<slot_release>{{"portfolio", {"HDFSCNT0", "DNASAAPL"}}}));
  CAF_CHECK(take<slot_request>().empty());
}

CAF_TEST(an overseas fill polls the balance after the settle) {
  spawn();
  rest->script.answer({rows{{"DNASAAPL", 5}}, {}});
  drain();
  take<slot_request>();
  kis::overseas_notice n;
  n.kind = kis::notice_kind::fill;
  n.symbol = "AAPL";
  n.fill_qty = 2;
  self->send(ps, overseas_notice_event{0, "H0GSCNI0", n});
  drain();
  CAF_CHECK_EQUAL(rest->script.fetches, 1);
  advance(2s); // retry_min
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
}

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
  fill(buy, "000660", 6, "11", 2, 1); // the same notice on session 1
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
  auto sets = take<hs>(); // the macro keeps references: no temporaries
  CAF_REQUIRE(!sets.empty());
  CAF_CHECK_EQUAL(sets.back(), hs({{"000660", "005930"}}));
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

CAF_TEST(equal partial fills in one second all reach the arbiter) {
  spawn();
  rest->script.answer({rows{}, {}});
  drain();
  fill(buy, "005930", 5, "41", 7);
  fill(buy, "005930", 5, "41", 7);
  CAF_CHECK_EQUAL(take<pu>(),
                  (std::vector<pu>{pu{"005930", 5}, pu{"005930", 10}}));
  CAF_CHECK_EQUAL(positions(), (rows{{"005930", 10}}));
}

CAF_TEST(a failed first poll is retried with backoff until it succeeds) {
  spawn();
  CAF_CHECK_EQUAL(rest->script.fetches, 1);
  CAF_CHECK(rest->script.answer({{}, "inquire-balance: EGW00121 token"}));
  drain();
  auto st = status();
  CAF_CHECK(!st.last_poll_ok);
  CAF_CHECK_EQUAL(st.failures, 1u);
  CAF_CHECK_EQUAL(st.last_error, "inquire-balance: EGW00121 token");
  advance(1s);
  CAF_CHECK_EQUAL(rest->script.fetches, 1);
  advance(1s); // retry_min
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  CAF_CHECK(rest->script.answer({{}, "timeout"}));
  drain();
  advance(3s);
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  advance(1s); // doubled
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
  CAF_CHECK_EQUAL(status().failures, 2u);
  CAF_CHECK(take<hs>().empty());
  CAF_CHECK(rest->script.answer({rows{{"005930", 10}}, {}}));
  drain();
  CAF_CHECK_EQUAL(take<hs>(), std::vector<hs>{hs{{"005930"}}});
  st = status();
  CAF_CHECK(st.last_poll_ok);
  CAF_CHECK_EQUAL(st.failures, 0u);
  CAF_CHECK_EQUAL(st.last_error, "");
  CAF_CHECK_EQUAL(st.last_success, now());
  // No more retries once it worked: the next poll is the periodic one.
  advance(2min);
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
}

CAF_TEST(a disagreement inside the settle window polls again at its end) {
  spawn();
  rest->script.answer({rows{{"005930", 10}}, {}});
  drain();
  advance(5min); // poll 2 asked now
  fill(buy, "000660", 5, "21");
  rest->script.answer({rows{{"005930", 10}}, {}}); // without the fill
  drain();
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  advance(29s);
  CAF_CHECK_EQUAL(rest->script.fetches, 2);
  advance(1s); // the fill's window ends: poll 3
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
  take<hs>();
  CAF_CHECK(rest->script.answer({rows{{"005930", 10}, {"000660", 5}}, {}}));
  drain();
  auto sets = take<hs>();
  CAF_REQUIRE_EQUAL(sets.size(), 1u);
  CAF_CHECK_EQUAL(sets.back(), hs({{"000660", "005930"}}));
  // REST agrees now: no further follow-up.
  advance(1min);
  CAF_CHECK_EQUAL(rest->script.fetches, 3);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(portfolio sync takes notices and slot events and no market data) {
  using sigs = portfolio_sync_actor::signatures;
  using caf::detail::tl_subset_of;
  using caf::detail::type_list;
  CAF_CHECK((tl_subset_of<notice_sink_actor::signatures, sigs>::value));
  CAF_CHECK((tl_subset_of<slot_observer_actor::signatures, sigs>::value));
  CAF_CHECK(
      (!tl_subset_of<type_list<caf::reacts_to<trade_event>>, sigs>::value));
  CAF_CHECK(
      (!tl_subset_of<type_list<caf::reacts_to<book_event>>, sigs>::value));
}
