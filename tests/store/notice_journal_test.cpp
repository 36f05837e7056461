// SPDX-License-Identifier: Apache-2.0
// store/notice_journal: notices round-trip through SQLite in order, the
// bound drops the oldest, and numbers continue after a reopen.
#define CAF_SUITE journal.store
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "store/notice_journal.hpp"

using namespace kisrt;
using store::notice_journal;

namespace {

notice_event fill(int i) {
  kis::exec_notice n;
  n.customer_id = "hts01";
  n.account = "5000000101";
  n.order_no = "00000" + std::to_string(100 + i);
  n.orig_order_no = "";
  n.order_side = kis::side::buy;
  n.kind = kis::notice_kind::fill;
  n.accepted = true;
  n.symbol = "005930";
  n.fill_qty = i;
  n.fill_price = 71000 + i;
  n.order_qty = 10;
  n.order_price = 71000;
  n.time = kis::hms{9, 1, static_cast<std::uint8_t>(i % 60)};
  n.name = "삼성전자 \"우\"\n";
  n.exchange = 1;
  n.correction = "0";
  return {0, "H0STCNI0", n};
}

overseas_notice_event overseas(int i) {
  kis::overseas_notice n;
  n.customer_id = "hts01";
  n.order_no = std::to_string(i);
  n.order_side = kis::side::sell;
  n.kind = kis::notice_kind::ack;
  n.rejected = true;
  n.symbol = "AAPL";
  n.fill_price.raw = -1825200;
  n.time = kis::hms{23, 59, 59};
  n.name = "APPLE";
  return {1, "H0GSCNI0", n};
}

template <class F>
bool throws(F f) {
  try {
    f();
  } catch (const std::runtime_error&) {
    return true;
  }
  return false;
}

struct temp_db {
  std::string path;
  temp_db() {
    char tmpl[] = "/tmp/kisrt-journal-XXXXXX";
    auto fd = ::mkstemp(tmpl);
    ::close(fd);
    path = tmpl;
    std::remove(path.c_str()); // the journal creates it
  }
  ~temp_db() {
    for (auto s : {"", "-wal", "-shm"})
      std::remove((path + s).c_str());
  }
};

} // namespace

CAF_TEST(notices round trip in sequence order) {
  notice_journal j{"", 100};
  CAF_CHECK_EQUAL(j.last_seq(), 0u);
  CAF_CHECK_EQUAL(j.id().size(), 16u);
  CAF_CHECK_EQUAL(j.append(20261202, 1000, fill(1)), 1u);
  CAF_CHECK_EQUAL(j.append(20261202, 2000, overseas(2)), 2u);
  CAF_CHECK_EQUAL(j.append(20261202, 3000, fill(3)), 3u);
  auto all = j.since(0, 0);
  CAF_REQUIRE_EQUAL(all.size(), 3u);
  CAF_CHECK_EQUAL(all[0].seq, 1u);
  CAF_CHECK_EQUAL(all[0].trading_date, 20261202);
  CAF_CHECK_EQUAL(all[0].received_ms, 1000);
  CAF_CHECK(all[0].notice
            == (std::variant<notice_event, overseas_notice_event>{fill(1)}));
  CAF_CHECK(
      all[1].notice
      == (std::variant<notice_event, overseas_notice_event>{overseas(2)}));
  CAF_CHECK(all[2].notice
            == (std::variant<notice_event, overseas_notice_event>{fill(3)}));
  auto tail = j.since(1, 1);
  CAF_REQUIRE_EQUAL(tail.size(), 1u);
  CAF_CHECK_EQUAL(tail[0].seq, 2u);
  CAF_CHECK(j.since(3, 0).empty());
}

CAF_TEST(the bound drops the oldest notices and keeps numbering) {
  notice_journal j{"", 3};
  for (int i = 1; i <= 5; ++i)
    j.append(20261201 + (i > 3 ? 1 : 0), i, fill(i));
  CAF_CHECK_EQUAL(j.size(), 3u);
  CAF_CHECK_EQUAL(j.first_seq(), 3u);
  CAF_CHECK_EQUAL(j.last_seq(), 5u);
  auto rows = j.since(0, 0);
  CAF_REQUIRE_EQUAL(rows.size(), 3u);
  CAF_CHECK_EQUAL(rows[0].seq, 3u);
  CAF_CHECK_EQUAL(rows[2].seq, 5u);
  CAF_CHECK_EQUAL(rows[2].trading_date, 20261202);
}

CAF_TEST(a journal file keeps its id notices and numbers across a reopen) {
  temp_db tmp;
  std::string id;
  {
    notice_journal j{tmp.path, 10};
    id = j.id();
    j.append(20261202, 1, fill(1));
    j.append(20261202, 2, fill(2));
  }
  struct stat st {};
  CAF_REQUIRE_EQUAL(::stat(tmp.path.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  notice_journal j{tmp.path, 10};
  CAF_CHECK_EQUAL(j.id(), id);
  CAF_CHECK_EQUAL(j.last_seq(), 2u);
  CAF_CHECK_EQUAL(j.append(20261202, 3, fill(3)), 3u);
  auto rows = j.since(1, 0);
  CAF_REQUIRE_EQUAL(rows.size(), 2u);
  CAF_CHECK(rows[0].notice
            == (std::variant<notice_event, overseas_notice_event>{fill(2)}));
  // A new in-memory journal is another journal.
  CAF_CHECK_NOT_EQUAL(notice_journal("", 10).id(), id);
}

CAF_TEST(a bad body or path is an error naming it) {
  kis::exec_notice n;
  try {
    store::from_json(R"({"customer_id":"x"})", n);
    CAF_FAIL("no error");
  } catch (const std::runtime_error& ex) {
    CAF_CHECK_EQUAL(std::string{ex.what()},
                    "notice journal: exec_notice field 'account' is missing");
  }
  auto good = store::to_json(fill(1).data);
  auto bad_time = good;
  bad_time.replace(bad_time.find("09:01:01"), 8, "9:1:1xxx");
  CAF_CHECK(throws([&] { store::from_json(bad_time, n); }));
  store::from_json(good, n);
  CAF_CHECK(n == fill(1).data);
  CAF_CHECK(throws([] { notice_journal("/nonexistent/dir/notices.db", 10); }));
}
