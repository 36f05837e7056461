// SPDX-License-Identifier: Apache-2.0
// snapshot_core: which keys get a price snapshot, once each, holdings
// first, a bounded number in flight.
#define CAF_SUITE actors.snapshot_core
#include <caf/test/unit_test.hpp>

#include "actors/snapshot_core.hpp"

using namespace kisrt;

namespace {

slot_key trade(std::string code) {
  return slot_key{"H0STCNT0", std::move(code)};
}

void grant(snapshot_core& c, const slot_key& k, priority level) {
  c.on(slot_granted{0, k, level});
}

} // namespace

CAF_TEST(only trade keys are fetched) {
  CAF_CHECK(wants_snapshot("H0STCNT0"));
  CAF_CHECK(wants_snapshot("H0UNCNT0"));
  CAF_CHECK(wants_snapshot("H0NXCNT0"));
  CAF_CHECK(wants_snapshot("HDFSCNT0"));
  CAF_CHECK(!wants_snapshot("H0STASP0"));
  CAF_CHECK(!wants_snapshot("H0STCNI0"));
  snapshot_core c;
  CAF_CHECK(!c.on(slot_active{0, 1, slot_key{"H0STASP0", "005930"}}));
  CAF_CHECK(!c.on(slot_active{0, 1, slot_key{"H0STCNI0", "hts"}}));
  CAF_CHECK(c.on(slot_active{0, 1, trade("005930")}));
  CAF_CHECK_EQUAL(c.queued(), 1u);
}

CAF_TEST(holdings go first then priority then arrival) {
  snapshot_core c{1};
  grant(c, trade("000001"), scan_priority);
  grant(c, trade("000002"), pick_priority);
  grant(c, trade("000003"), holding_priority);
  grant(c, trade("000004"), pick_priority);
  for (auto code : {"000001", "000002", "000003", "000004", "000005"})
    CAF_CHECK(c.on(slot_active{0, 1, trade(code)}));
  std::vector<std::string> order;
  while (auto job = c.next()) {
    order.push_back(job->key.tr_key);
    CAF_CHECK(!c.next()); // one in flight
    CAF_CHECK(c.done(job->key, job->id));
  }
  CAF_CHECK_EQUAL(order, (std::vector<std::string>{"000003", "000002", "000004",
                                                   "000001", "000005"}));
}

CAF_TEST(a key is queued once and again after its answer) {
  snapshot_core c{2};
  CAF_CHECK(c.on(slot_active{0, 1, trade("005930")}));
  CAF_CHECK(!c.on(slot_active{0, 1, trade("005930")})); // queued
  auto job = c.next();
  CAF_REQUIRE(job);
  CAF_CHECK(!c.on(slot_active{0, 2, trade("005930")})); // in flight
  CAF_CHECK(c.done(job->key, job->id));
  CAF_CHECK(!c.done(job->key, job->id)); // a late second answer
  // After a replay (a new epoch) the key is active again: a new snapshot.
  CAF_CHECK(c.on(slot_active{0, 3, trade("005930")}));
  auto again = c.next();
  CAF_REQUIRE(again);
  CAF_CHECK_NOT_EQUAL(again->id, job->id);
  // An old fetch's answer does not free the new one.
  CAF_CHECK(!c.done(again->key, job->id));
  CAF_CHECK_EQUAL(c.in_flight(), 1u);
}

CAF_TEST(an evicted key leaves the queue) {
  snapshot_core c{1};
  CAF_CHECK(c.on(slot_active{0, 1, trade("000001")}));
  CAF_CHECK(c.on(slot_active{0, 1, trade("000002")}));
  auto first = c.next();
  CAF_REQUIRE(first);
  c.on(slot_evicted{0, trade("000002"), evict_reason::preempted});
  CAF_CHECK_EQUAL(c.queued(), 0u);
  c.done(first->key, first->id);
  CAF_CHECK(!c.next());
}

CAF_TEST(the queue is bounded and keeps the more important keys) {
  snapshot_core c{1, 2};
  grant(c, trade("000001"), scan_priority);
  grant(c, trade("000002"), scan_priority);
  grant(c, trade("000003"), holding_priority);
  grant(c, trade("000004"), scan_priority);
  CAF_CHECK(c.on(slot_active{0, 1, trade("000001")}));
  CAF_CHECK(c.on(slot_active{0, 1, trade("000002")}));
  CAF_CHECK(c.on(slot_active{0, 1, trade("000003")})); // drops 000002
  CAF_CHECK(!c.on(slot_active{0, 1, trade("000004")}));
  CAF_CHECK_EQUAL(c.queued(), 2u);
  std::vector<std::string> order;
  while (auto job = c.next()) {
    order.push_back(job->key.tr_key);
    c.done(job->key, job->id);
  }
  CAF_CHECK_EQUAL(order, (std::vector<std::string>{"000003", "000001"}));
}
