// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.hub_core
#include <caf/test/unit_test.hpp>

#include <caf/message.hpp>

#include "actors/hub_core.hpp"

using namespace kisrt;

namespace {

using out_t = std::vector<hub_delivery>;

hub_item quote(const char* sym, int price) {
  return {"H0STCNT0", sym, false, caf::make_message(std::string{sym}, price)};
}

hub_item notice(int n) {
  return {"H0STCNI0", "TESTID", true,
          caf::make_message(std::string{"fill"}, n)};
}

int price_of(const caf::message& m) {
  return m.get_as<int>(1);
}

hub_filter keys(std::initializer_list<slot_key> ks) {
  hub_filter f;
  f.keys.insert(ks.begin(), ks.end());
  return f;
}

} // namespace

CAF_TEST(events reach the subscribers whose filter matches) {
  hub_core hub;
  hub_filter all;
  all.all = true;
  auto a = hub.add(all, overflow_policy::conflate);
  auto b = hub.add(keys({{"H0STCNT0", "005930"}}), overflow_policy::conflate);
  auto c = hub.add(keys({{"H0STCNT0", ""}}), overflow_policy::conflate);
  auto d = hub.add(keys({{"H0STASP0", "005930"}}), overflow_policy::conflate);
  out_t now;
  hub.publish(quote("005930", 1), now);
  hub.publish(quote("000660", 2), now);
  auto count = [&](hub_core::sub_id id) {
    return std::count_if(now.begin(), now.end(),
                         [id](auto& x) { return x.sub == id; });
  };
  CAF_CHECK_EQUAL(count(a), 2);
  CAF_CHECK_EQUAL(count(b), 1);
  CAF_CHECK_EQUAL(count(c), 2); // empty symbol: every symbol of the TR
  CAF_CHECK_EQUAL(count(d), 0);
  hub.unsubscribe(b, {"H0STCNT0", "005930"});
  hub.subscribe(d, {"H0STCNT0", "000660"});
  now.clear();
  hub.publish(quote("005930", 3), now);
  hub.publish(quote("000660", 4), now);
  CAF_CHECK_EQUAL(count(b), 0);
  CAF_CHECK_EQUAL(count(d), 1);
  hub.remove(a);
  now.clear();
  hub.publish(quote("005930", 5), now);
  CAF_CHECK_EQUAL(count(a), 0);
}

CAF_TEST(a slow subscriber gets conflated quotes in order) {
  hub_core hub{2, 100};
  auto s = hub.add(keys({{"H0STCNT0", ""}}), overflow_policy::conflate);
  out_t now;
  hub.publish(quote("A", 1), now);
  hub.publish(quote("B", 1), now);
  CAF_CHECK_EQUAL(now.size(), 2u); // the window
  hub.publish(quote("A", 2), now);
  hub.publish(quote("C", 1), now);
  hub.publish(quote("A", 3), now); // replaces A=2 in its place
  hub.publish(quote("B", 2), now);
  CAF_CHECK_EQUAL(now.size(), 2u);
  auto st = hub.stats(s);
  CAF_CHECK_EQUAL(st.queued, 3u);
  CAF_CHECK_EQUAL(st.conflated, 1u);
  CAF_CHECK_EQUAL(st.in_flight, 2u);
  now.clear();
  hub.confirmed(s, 2, now); // both in flight processed
  CAF_REQUIRE_EQUAL(now.size(), 2u);
  CAF_CHECK_EQUAL(now[0].msg.get_as<std::string>(0), "A");
  CAF_CHECK_EQUAL(price_of(now[0].msg), 3);
  CAF_CHECK_EQUAL(now[1].msg.get_as<std::string>(0), "C");
  now.clear();
  hub.confirmed(s, 4, now);
  CAF_REQUIRE_EQUAL(now.size(), 1u);
  CAF_CHECK_EQUAL(now[0].msg.get_as<std::string>(0), "B");
  CAF_CHECK_EQUAL(price_of(now[0].msg), 2);
  CAF_CHECK_EQUAL(now[0].seq, 5u);
  CAF_CHECK_EQUAL(hub.sent(s), 5u);
  // Stale or future confirmations change nothing.
  now.clear();
  hub.confirmed(s, 1, now);
  hub.confirmed(s, 99, now);
  CAF_CHECK_EQUAL(hub.stats(s).in_flight, 1u);
}

CAF_TEST(each subscriber has its own window) {
  hub_core hub{1, 100};
  auto wide = hub.add(keys({{"H0STCNT0", ""}}), overflow_policy::conflate, 3);
  auto narrow = hub.add(keys({{"H0STCNT0", ""}}), overflow_policy::conflate);
  out_t now;
  for (int price = 1; price <= 4; ++price)
    hub.publish(quote("A", price), now);
  CAF_CHECK_EQUAL(hub.stats(wide).in_flight, 3u);
  CAF_CHECK_EQUAL(hub.stats(wide).queued, 1u);
  CAF_CHECK_EQUAL(hub.stats(wide).conflated, 0u);
  CAF_CHECK_EQUAL(hub.stats(narrow).in_flight, 1u); // the core's default
  CAF_CHECK_EQUAL(hub.stats(narrow).queued, 1u);
  CAF_CHECK_EQUAL(hub.stats(narrow).conflated, 2u);
}

CAF_TEST(drop oldest keeps arrival order and counts drops) {
  hub_core hub{1, 2};
  auto s = hub.add(keys({{"H0STCNT0", ""}}), overflow_policy::drop_oldest);
  out_t now;
  for (int i = 1; i <= 5; ++i)
    hub.publish(quote("A", i), now); // 1 sent, 2..5 compete for 2 places
  CAF_CHECK_EQUAL(now.size(), 1u);
  CAF_CHECK_EQUAL(hub.stats(s).dropped, 2u);
  now.clear();
  hub.confirmed(s, 1, now);
  hub.confirmed(s, 2, now);
  CAF_REQUIRE_EQUAL(now.size(), 2u);
  CAF_CHECK_EQUAL(price_of(now[0].msg), 4);
  CAF_CHECK_EQUAL(price_of(now[1].msg), 5);
}

CAF_TEST(notices are never dropped or conflated) {
  hub_core hub{1, 2};
  hub_filter all;
  all.all = true;
  auto s = hub.add(all, overflow_policy::conflate);
  out_t now;
  hub.publish(quote("A", 1), now);
  for (int i = 1; i <= 5; ++i)
    hub.publish(notice(i), now);
  for (int i = 2; i <= 4; ++i)
    hub.publish(quote(("S" + std::to_string(i)).c_str(), i), now);
  CAF_CHECK_EQUAL(hub.stats(s).queued, 7u);  // 5 notices + 2 quotes
  CAF_CHECK_EQUAL(hub.stats(s).dropped, 1u); // a quote, not a notice
  std::vector<int> notices;
  for (std::uint64_t seq = 1; seq <= 8; ++seq) {
    now.clear();
    hub.confirmed(s, seq, now);
    for (auto& d : now)
      if (d.msg.get_as<std::string>(0) == "fill")
        notices.push_back(price_of(d.msg));
  }
  CAF_CHECK_EQUAL(notices, (std::vector<int>{1, 2, 3, 4, 5}));
}
