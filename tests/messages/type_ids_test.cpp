// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE messages.type_ids
#include <caf/test/dsl.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/event_based_actor.hpp>

#include <functional>
#include <map>

#include "messages/type_ids.hpp"
#include "tests/common/actor_config.hpp"

using namespace kisrt;

namespace {

struct fixture {
  test::actor_test_config cfg;
  caf::actor_system sys{cfg};

  // Serializes `x` as part of a message, the way the middleman does, and
  // reads it back.
  template <class T>
  T roundtrip(const T& x) {
    auto msg = caf::make_message(x);
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    if (auto err = msg.save(sink))
      CAF_FAIL("save failed: " << sys.render(err));
    caf::message out;
    caf::binary_deserializer source{sys, buf};
    if (auto err = out.load(source))
      CAF_FAIL("load failed: " << sys.render(err));
    if (!out.match_elements<T>())
      CAF_FAIL("wrong type after load: " << to_string(out));
    return out.get_as<T>(0);
  }
};

// The names of the block's types, by ID, read from the block itself.
template <std::size_t... Is>
const char* block_type_name(caf::type_id_t id, std::index_sequence<Is...>) {
  constexpr auto first = caf::id_block::kisrt::begin;
  const char* names[] = {
      caf::type_name_by_id<static_cast<caf::type_id_t>(first + Is)>::value...};
  return names[id - first];
}

const char* block_type_name(caf::type_id_t id) {
  return block_type_name(
      id, std::make_index_sequence<caf::id_block::kisrt::end
                                   - caf::id_block::kisrt::begin>{});
}

bool in_block(caf::type_id_t id) {
  return id >= caf::id_block::kisrt::begin && id < caf::id_block::kisrt::end;
}

// How many events of the list have a type ID in the block, with their record.
template <class... Es>
std::size_t listed_with_ids(caf::detail::type_list<Es...>) {
  return ((in_block(caf::type_id<Es>::value)
           && in_block(
               caf::type_id<typename market_event_traits<Es>::record>::value))
          + ...);
}

// The list's records have consecutive IDs in list order, its events the
// IDs right after them.
template <class... Es>
bool ids_in_list_order(caf::detail::type_list<Es...>) {
  caf::type_id_t records[] = {
      caf::type_id<typename market_event_traits<Es>::record>::value...};
  caf::type_id_t events[] = {caf::type_id<Es>::value...};
  constexpr auto n = static_cast<caf::type_id_t>(sizeof...(Es));
  for (caf::type_id_t i = 0; i < n; ++i)
    if (records[i] != records[0] + i || events[i] != records[0] + n + i)
      return false;
  return true;
}

kis::trade sample_trade() {
  kis::trade t;
  t.symbol = "005930";
  t.time = kis::hms{9, 1, 2};
  t.date = 20250102;
  t.price = 71000;
  t.change_rate.raw = -1234;
  t.cls = kis::trade_class::sell;
  t.halted = true;
  return t;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(type_id_tests, fixture)

CAF_TEST(the block assigns consecutive ids from first_custom_type_id) {
  CAF_CHECK_EQUAL(caf::id_block::kisrt::begin, caf::first_custom_type_id);
  CAF_CHECK_EQUAL(caf::type_id<slot_key>::value, caf::first_custom_type_id);
  CAF_CHECK_EQUAL(caf::type_id<remote_listener_actor>::value + 1,
                  caf::id_block::kisrt::end);
  CAF_CHECK_EQUAL(std::string{caf::type_name<wire_command>::value},
                  "kisrt::wire_command");
}

CAF_TEST(slot messages survive serialization) {
  slot_key k{"H0STCNT0", "005930"};
  CAF_CHECK_EQUAL(roundtrip(k), k);
  wire_command cmd{2, 7, wire_op::unsubscribe, k};
  CAF_CHECK_EQUAL(roundtrip(cmd), cmd);
  sub_ack ack{2, 7, k, "OPSP0008"};
  CAF_CHECK_EQUAL(roundtrip(ack), ack);
  scan_candidates sc{{{"000660", 3.5, mono_time{42}}, {"035720", 1, {}}}};
  CAF_CHECK_EQUAL(roundtrip(sc), sc);
  holding_set hs{{"005930", "000660"}};
  CAF_CHECK_EQUAL(roundtrip(hs), hs);
  pick_list pl{{"035420"}};
  CAF_CHECK_EQUAL(roundtrip(pl), pl);
  slot_request rq{"node-a", k, 5};
  CAF_CHECK_EQUAL(roundtrip(rq), rq);
  data_seen_batch ds{1, {{k, mono_time{99}}}};
  CAF_CHECK_EQUAL(roundtrip(ds), ds);
  slot_evicted ev{1, k, evict_reason::recycled};
  CAF_CHECK_EQUAL(roundtrip(ev), ev);
  slot_rejected rj{1, k, "OPSP8992", true};
  CAF_CHECK_EQUAL(roundtrip(rj), rj);
  slots_starved st{{k, {"H0STASP0", "005930"}}};
  CAF_CHECK_EQUAL(roundtrip(st), st);
  slot_snapshot snap;
  snap.sessions.push_back({0, true, 3, 41, 40, 12});
  snap.slots.push_back(
      {0,
       k,
       slot_state::active,
       1,
       {{owner_kind::holding, "", 1}, {owner_kind::pick, "", 2}},
       mono_time{5}});
  CAF_CHECK_EQUAL(roundtrip(snap), snap);
}

CAF_TEST(market events survive serialization) {
  trade_event te{1, "H0STCNT0", sample_trade()};
  CAF_CHECK_EQUAL(roundtrip(te), te);
  kis::order_book ob;
  ob.symbol = "005930";
  ob.asks[3] = kis::book_level{71100, 12};
  ob.bids[9] = kis::book_level{70000, 3};
  book_event be{0, "H0STASP0", ob};
  CAF_CHECK_EQUAL(roundtrip(be), be);
  ob.krx_mid = kis::book_mid{71050, 300, "1"};
  ob.nxt_mid.cls = "2";
  book_event nxt{0, "H0NXASP0", ob};
  CAF_CHECK_EQUAL(roundtrip(nxt), nxt);
  kis::exec_notice en;
  en.order_side = kis::side::buy;
  en.kind = kis::notice_kind::fill;
  en.name = "삼성전자";
  notice_event ne{0, "H0STCNI0", en};
  CAF_CHECK_EQUAL(roundtrip(ne), ne);
  kis::overseas_book ovb;
  ovb.level_count = 2;
  ovb.levels[1].ask.raw = 1825200;
  overseas_book_event obe{1, "HDFSASP0", ovb};
  CAF_CHECK_EQUAL(roundtrip(obe), obe);
  kis::overseas_notice on;
  on.fill_price.raw = 5;
  overseas_notice_event one{1, "H0GSCNI0", on};
  CAF_CHECK_EQUAL(roundtrip(one), one);
  CAF_CHECK_EQUAL(roundtrip(program_event{0, "H0STPGM0", {}}),
                  (program_event{0, "H0STPGM0", {}}));
  CAF_CHECK_EQUAL(roundtrip(expected_event{0, "H0STANC0", {}}),
                  (expected_event{0, "H0STANC0", {}}));
  CAF_CHECK_EQUAL(roundtrip(status_event{0, "H0STMKO0", {}}),
                  (status_event{0, "H0STMKO0", {}}));
  CAF_CHECK_EQUAL(roundtrip(overseas_trade_event{0, "HDFSCNT0", {}}),
                  (overseas_trade_event{0, "HDFSCNT0", {}}));
}

CAF_TEST(every type of the block round - trips with a non - default value) {
  // One sample per type ID; the loop over the block below fails for a type
  // added to messages/type_ids.hpp without a sample here.
  std::map<caf::type_id_t, std::function<void()>> samples;
  auto add = [&](auto x) {
    using T = decltype(x);
    samples[caf::type_id<T>::value] = [this, x] {
      CAF_MESSAGE("round trip of " << caf::type_name<T>::value);
      CAF_CHECK(roundtrip(x) == x);
    };
  };
  slot_key k{"H0STCNT0", "005930"};
  add(k);
  add(slot_state::releasing);
  add(owner_kind::scan);
  add(owner_ref{owner_kind::request, "node:a", 4});
  add(wire_op::unsubscribe);
  add(evict_reason::stale);
  add(holding_set{{"005930"}});
  add(position_update{"000660", 12});
  add(pick_list{{"035420", "005930"}});
  add(scan_candidate{"000660", 2.5, mono_time{7}});
  add(scan_candidates{{{"000660", 2.5, mono_time{7}}}});
  add(slot_request{"node:a", k, 3});
  add(slot_release{"node:a", k});
  add(wire_command{1, 2, wire_op::subscribe, k});
  add(session_up{1, 9});
  add(session_down{1, 9});
  add(sub_ack{1, 9, k, "OPSP0000"});
  add(answer_timeout{1, 9, wire_op::unsubscribe, k});
  add(data_seen{k, mono_time{5}});
  add(data_seen_batch{1, {{k, mono_time{5}}}});
  add(slot_granted{1, k, 2});
  add(slot_active{1, 3, k});
  add(slot_evicted{1, k, evict_reason::moved});
  add(slot_rejected{1, k, "OPSP0008", false});
  add(slots_starved{{k}});
  add(session_replayed{1, 3, 40});
  add(slot_stale{1, k, mono_time{90}});
  add(session_info{1, true, 3, 41, 40, 7});
  add(slot_info{
      1, k, slot_state::pending, 2, {{owner_kind::pick, "", 2}}, mono_time{4}});
  slot_snapshot snap;
  snap.sessions.push_back({0, true, 3, 41, 40, 12});
  add(snap);
  add(kis::fixed4{-12345});
  add(kis::hms{15, 30, 1});
  add(kis::book_level{71000, 5});
  kis::overseas_level ol;
  ol.bid.raw = 5;
  add(ol);
  add(kis::side::sell);
  add(kis::trade_class::pre_open);
  add(kis::notice_kind::fill);
  add(sample_trade());
  kis::order_book ob;
  ob.bids[2].qty = 9;
  add(ob);
  kis::exec_notice en;
  en.order_no = "0000117";
  add(en);
  kis::program_trade pt;
  pt.net_value = -3;
  add(pt);
  kis::expected_trade et;
  et.price = 5;
  add(et);
  kis::market_status ms;
  ms.vi_code = "1";
  add(ms);
  kis::overseas_trade ot;
  ot.rsym = "DNASAAPL";
  add(ot);
  kis::overseas_book ovb;
  ovb.level_count = 1;
  add(ovb);
  kis::overseas_notice on;
  on.name = "APPLE";
  add(on);
  add(trade_event{1, "H0STCNT0", sample_trade()});
  add(book_event{1, "H0STASP0", ob});
  add(notice_event{1, "H0STCNI0", en});
  add(program_event{1, "H0STPGM0", pt});
  add(expected_event{1, "H0STANC0", et});
  add(status_event{1, "H0STMKO0", ms});
  add(overseas_trade_event{1, "HDFSCNT0", ot});
  add(overseas_book_event{1, "HDFSASP0", ovb});
  add(overseas_notice_event{1, "H0GSCNI0", on});
  kis::generic_record gr{"0001", "0001^090102^2650.12"};
  add(gr);
  add(fields_event{1, "H0UPCNT0", gr});
  // Handles: any actor stands in (the cast is unchecked); the round trip
  // must give the same actor back.
  auto dummy = sys.spawn([](caf::event_based_actor*,
                            int) -> caf::behavior { return {[](int) {}}; },
                         0);
  add(caf::actor_cast<connection_actor>(dummy));
  add(caf::actor_cast<slot_observer_actor>(dummy));
  add(caf::actor_cast<slot_arbiter_actor>(dummy));
  add(caf::actor_cast<market_listener_actor>(dummy));
  add(caf::actor_cast<decoder_actor>(dummy));
  add(caf::actor_cast<hub_actor>(dummy));
  add(caf::actor_cast<connection_full_actor>(dummy));
  // -- demand sources
  add(holding_qty{"005930", 10});
  add(balance_snapshot{{{"005930", 10}}, "EGW00201"});
  add(pick_entry{1, "035420", "NAVER", 0.9, "ai"});
  add(pick_set{20261120, {{1, "035420", "NAVER", 0.9, "ai"}}});
  add(ranking_entry{"000660", 7.5, 1200000});
  add(ranking_snapshot{{{"000660", 7.5, 1200000}}, ""});
  add(caf::actor_cast<portfolio_sync_actor>(dummy));
  add(caf::actor_cast<picks_loader_actor>(dummy));
  add(caf::actor_cast<scanner_actor>(dummy));
  // -- remote nodes
  add(node_hello{"alpha"});
  add(node_policy{"node:alpha", 2, 10});
  add(node_slot_request{k, 3});
  add(node_slot_release{k});
  add(caf::actor_cast<node_gate_actor>(dummy));
  // -- portfolio_sync status
  add(portfolio_status{true, false, true, "EGW00121", mono_time{42}, 3});
  // -- the notice journal
  add(notice_cursor{"0123456789abcdef", 42});
  add(journaled_notice{{"0123456789abcdef", 7}, {1, "H0STCNI0", en}});
  add(journaled_overseas_notice{{"0123456789abcdef", 8}, {1, "H0GSCNI0", on}});
  add(caf::actor_cast<notice_listener_actor>(dummy));
  add(caf::actor_cast<notice_journal_actor>(dummy));
  // -- slot events for people
  add(slot_outcome_state::starved);
  add(slot_outcome{1, k, 3, slot_outcome_state::rejected, "OPSP8992",
                   "permanent"});
  add(caf::actor_cast<slot_outcome_listener_actor>(dummy));
  add(caf::actor_cast<slot_feed_actor>(dummy));
  // -- the decoder's notice listeners
  add(caf::actor_cast<notice_sink_actor>(dummy));
  // -- statistics answers
  add(labelled_count{"H0STCNT0", 12});
  add(decoder_counters{9,
                       8,
                       7,
                       6,
                       5,
                       4,
                       3,
                       2,
                       {{"H0STCNT0", 8}},
                       {{"short_record", 5}},
                       {4, 5}});
  add(hub_counters{100, 3, 2, 4});
  add(connection_counters{1, 3, 2, 9, 41, 1, 1, 2, 3, 1});
  add(gate_counters{2, 17});
  slot_event_note note{mono_time{5}, "rejected", 1, k, "OPSP8992", ""};
  add(note);
  key_activity ka{k, 12, true, 71000, mono_time{9}, "Samsung"};
  add(ka);
  add(watch_report{4, {{"OPSP8992", 1}}, {{"preempted", 2}}, {note}, {ka}});
  add(approval_result{true, "scripted-key"});
  // -- price snapshots
  kis::price_snapshot ps;
  ps.symbol = "005930";
  ps.time = kis::hms{7, 20, 1};
  ps.price.raw = 71000 * 10000;
  ps.sign = 2;
  ps.change.raw = 500 * 10000;
  ps.change_rate.raw = 7100;
  ps.cum_volume = 1234;
  add(ps);
  add(price_answer{k, 1, 7, ps, ""});
  add(snapshot_event{1, "H0STCNT0", ps});
  add(caf::actor_cast<snapshot_fetcher_actor>(dummy));
  // -- typed records of NXT/combined books, index, futures, options, ETF NAV
  add(kis::book_mid{71050, 300, "1"});
  kis::futures_trade ft;
  ft.symbol = "101W09";
  ft.price.raw = 3673500;
  ft.open_interest = 268223;
  add(ft);
  kis::option_trade opt;
  opt.symbol = "201W09340";
  opt.delta = 0.5123;
  opt.implied_vol = 18.25;
  add(opt);
  add(kis::derivative_level{kis::fixed4{3673500}, 24, 3});
  kis::derivative_book db;
  db.bids[4].count = 2;
  add(db);
  kis::index_trade it;
  it.code = "0001";
  it.level.raw = 26503500;
  add(it);
  kis::etf_nav nav;
  nav.symbol = "069500";
  nav.nav.raw = 351234500;
  add(nav);
  add(index_event{1, "H0UPCNT0", it});
  add(futures_trade_event{1, "H0IFCNT0", ft});
  add(option_trade_event{1, "H0IOCNT0", opt});
  add(derivative_book_event{1, "H0IOASP0", db});
  add(nav_event{1, "H0STNAV0", nav});
  // -- the trading calendar
  add(calendar_day{20251113, true});
  add(calendar_update{{{20251225, false}, {20251226, true}}, true, "EGW00201"});
  add(calendar_status{20251225, false, true, "weekdays", "timeout", 3});
  add(caf::actor_cast<calendar_listener_actor>(dummy));
  add(caf::actor_cast<calendar_actor>(dummy));
  // -- batched delivery to remote nodes
  event_batch batch;
  batch.events.push_back(
      caf::make_message(trade_event{1, "H0STCNT0", sample_trade()}));
  batch.events.push_back(caf::make_message(notice_event{1, "H0STCNI0", en}));
  add(batch);
  add(caf::actor_cast<remote_listener_actor>(dummy));
  for (auto id = caf::id_block::kisrt::begin; id < caf::id_block::kisrt::end;
       ++id) {
    auto i = samples.find(id);
    if (i == samples.end()) {
      CAF_FAIL("no round-trip sample for type ID "
               << id << " (" << block_type_name(id) << ")");
    } else {
      i->second();
    }
  }
  CAF_CHECK_EQUAL(samples.size(),
                  caf::id_block::kisrt::end - caf::id_block::kisrt::begin);
  caf::anon_send_exit(dummy, caf::exit_reason::user_shutdown);
}

CAF_TEST(the list of market events gets type IDs in list order) {
  // Records first, then events, each in the order of messages/
  // event_list.hpp, in one run of consecutive IDs.
  CAF_CHECK(ids_in_list_order(market_event_types{}));
  CAF_CHECK_EQUAL(caf::type_id<kis::notice_kind>::value + 1,
                  caf::type_id<kis::trade>::value);
  CAF_CHECK_EQUAL(std::string{caf::type_name<kis::generic_record>::value},
                  "kisrt::kis::generic_record");
  CAF_CHECK_EQUAL(std::string{caf::type_name<fields_event>::value},
                  "kisrt::fields_event");
  // Every event of the list has an ID of the block, and so has its record.
  CAF_CHECK_EQUAL(listed_with_ids(market_event_types{}),
                  caf::detail::tl_size<market_event_types>::value);
}

CAF_TEST(a changed field changes the serialized message) {
  // Guards against an inspect() that forgets a member.
  auto t = sample_trade();
  auto u = t;
  u.cum_value = 1;
  CAF_CHECK(!(roundtrip(trade_event{0, "H0STCNT0", u})
              == trade_event{0, "H0STCNT0", t}));
}

CAF_TEST(messages print readably) {
  wire_command cmd{2, 7, wire_op::subscribe, {"H0STCNT0", "005930"}};
  CAF_CHECK_EQUAL(caf::deep_to_string(cmd),
                  "wire_command(2, 7, subscribe, "
                  "slot_key(\"H0STCNT0\", \"005930\"))");
}

CAF_TEST_FIXTURE_SCOPE_END()
