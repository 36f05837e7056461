// SPDX-License-Identifier: Apache-2.0
// actors/notice_journal on CAF's test coordinator: a listener that asks for
// notices since N gets N+1.. in order, then live ones, with no gap and no
// duplicate, whatever order the live notices and the replay steps take.
#define CAF_SUITE journal.actor
#include <caf/test/dsl.hpp>

#include <memory>
#include <vector>

#include "actors/notice_journal.hpp"
#include "messages/type_ids.hpp"
#include "store/notice_journal.hpp"
#include "tests/common/actor_fixture.hpp"

using namespace kisrt;

namespace {

using seen = std::shared_ptr<std::vector<std::uint64_t>>;

struct recorder_state {
  static inline const char* name = "recorder";
};

notice_listener_actor::behavior_type
recorder(notice_listener_actor::stateful_pointer<recorder_state>, seen log) {
  return {
      [log](const journaled_notice& x) { log->push_back(x.at.seq); },
      [log](const journaled_overseas_notice& x) { log->push_back(x.at.seq); },
  };
}

notice_event fill(int i) {
  kis::exec_notice n;
  n.customer_id = "hts01";
  n.order_no = std::to_string(i);
  n.kind = kis::notice_kind::fill;
  n.symbol = "005930";
  n.fill_qty = i;
  return {0, "H0STCNI0", n};
}

std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (auto i = from; i <= to; ++i)
    out.push_back(i);
  return out;
}

struct fixture : test::actor_fixture<> {
  std::shared_ptr<store::notice_journal> db =
      std::make_shared<store::notice_journal>("", 1000);
  notice_journal_actor journal;

  fixture() {
    notice_journal_config cfg;
    cfg.db = db;
    cfg.kst = kst_clock::at_kst(mono_time{0}, 2026, 12, 2, 9, 0, 0);
    cfg.chunk = 2; // several replay steps for a few notices
    journal = sys.spawn(notice_journal, cfg);
    run();
  }

  void notice(int i) { self->send(journal, fill(i)); }

  std::pair<notice_listener_actor, seen> listener() {
    auto log = std::make_shared<std::vector<std::uint64_t>>();
    return {sys.spawn(recorder, log), log};
  }

  notice_cursor ask(const notice_listener_actor& l, notice_cursor since) {
    notice_cursor got;
    self->send(journal, caf::subscribe_atom_v, atom::notices_v, l, since);
    run();
    self->receive([&](const notice_cursor& c) { got = c; });
    return got;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(notice_journal_tests, fixture)

CAF_TEST(a listener gets the notices after its place then live ones) {
  for (int i = 1; i <= 5; ++i)
    notice(i);
  run();
  CAF_CHECK_EQUAL(db->last_seq(), 5u);
  auto [l, log] = listener();
  auto start = ask(l, {db->id(), 2});
  CAF_CHECK_EQUAL(start, (notice_cursor{db->id(), 2}));
  CAF_CHECK_EQUAL(*log, range(3, 5));
  notice(6);
  notice(7);
  run();
  CAF_CHECK_EQUAL(*log, range(3, 7));
}

CAF_TEST(
    notices that arrive between the request and the replay come once in order) {
  for (int i = 1; i <= 5; ++i)
    notice(i);
  run();
  auto [l, log] = listener();
  // The request, then two live notices, before the journal runs at all.
  self->send(journal, caf::subscribe_atom_v, atom::notices_v, l,
             notice_cursor{db->id(), 1});
  notice(6);
  notice(7);
  // Step until the replay is under way, then another live notice.
  while (log->size() < 2)
    sched.run_once();
  notice(8);
  run();
  CAF_CHECK_EQUAL(*log, range(2, 8));
  notice(9);
  run();
  CAF_CHECK_EQUAL(*log, range(2, 9));
  self->receive([&](const notice_cursor& c) {
    CAF_CHECK_EQUAL(c, (notice_cursor{db->id(), 1}));
  });
}

CAF_TEST(live only a foreign journal and a new place) {
  for (int i = 1; i <= 3; ++i)
    notice(i);
  run();
  auto [live, live_log] = listener();
  auto [other, other_log] = listener();
  // No place: live notices only; the answer says where that starts.
  CAF_CHECK_EQUAL(ask(live, {}), (notice_cursor{db->id(), 3}));
  // Another journal's place (an earlier in-memory journal): all kept.
  CAF_CHECK_EQUAL(ask(other, {"0123456789abcdef", 99}),
                  (notice_cursor{db->id(), 0}));
  notice(4);
  run();
  CAF_CHECK_EQUAL(*live_log, range(4, 4));
  CAF_CHECK_EQUAL(*other_log, range(1, 4));
  // Subscribing again moves the place (a node that reconnects).
  ask(live, {db->id(), 1});
  CAF_CHECK_EQUAL(*live_log, (std::vector<std::uint64_t>{4, 2, 3, 4}));
  notice(5);
  run();
  CAF_CHECK_EQUAL(live_log->back(), 5u);
  CAF_CHECK_EQUAL(*other_log, range(1, 5));
}

CAF_TEST(a listener that goes away is forgotten) {
  auto [l, log] = listener();
  ask(l, {});
  CAF_CHECK_EQUAL(
      deref<notice_journal_actor::stateful_base<notice_journal_state>>(journal)
          .state.listeners.size(),
      1u);
  caf::anon_send_exit(l, caf::exit_reason::kill);
  run();
  CAF_CHECK_EQUAL(
      deref<notice_journal_actor::stateful_base<notice_journal_state>>(journal)
          .state.listeners.size(),
      0u);
  notice(1);
  run();
  CAF_CHECK(log->empty());
  notice_cursor got;
  self->send(journal, caf::get_atom_v, atom::notices_v);
  run();
  self->receive([&](const notice_cursor& c) { got = c; });
  CAF_CHECK_EQUAL(got, (notice_cursor{db->id(), 1}));
}

CAF_TEST_FIXTURE_SCOPE_END()
