// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE messages.type_ids
#include <caf/test/dsl.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "messages/type_ids.hpp"

using namespace kisrt;

namespace {

struct config : caf::actor_system_config {
  config() { add_message_types<caf::id_block::kisrt>(); }
};

struct fixture {
  config cfg;
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
  CAF_CHECK_EQUAL(caf::type_id<scanner_actor>::value + 1,
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
