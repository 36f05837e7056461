// SPDX-License-Identifier: Apache-2.0
// The live table's formatting: a snapshot in, lines out.
#define CAF_SUITE app.live_table
#include <caf/test/unit_test.hpp>

#include "apps/kisrt/live_table.hpp"

using namespace kisrt::app;
using namespace std::chrono_literals;

namespace {

live_snapshot sample() {
  live_snapshot s;
  s.sessions = {{"s1", true, 3, 41}, {"s2", false, 0, 40}};
  s.rows.push_back({"s1", "H0STCNT0", "000660", "", 2, "pending", std::nullopt,
                    0, std::nullopt});
  s.rows.push_back(
      {"s1", "H0STCNT0", "005930", "삼성전자", 1, "active", 71000, 25, 1500ms});
  s.rows.push_back(
      {"s1", "H0STCNI0", "user1", "", 0, "active", std::nullopt, 2, 125s});
  s.rows.push_back(
      {"s1", "H0STASP0", "005930", "", 1, "active", std::nullopt, 5, 3h});
  s.reconnects = 2;
  s.drops = 7;
  s.decode_errors = 1;
  return s;
}

} // namespace

CAF_TEST(wide characters take two columns) {
  CAF_CHECK_EQUAL(display_width("005930"), 6u);
  CAF_CHECK_EQUAL(display_width("삼성전자"), 8u);
  CAF_CHECK_EQUAL(display_width("SK하이닉스"), 10u);
}

CAF_TEST(rows come by priority with prices ticks and ages) {
  auto lines = format_live_table(sample());
  CAF_REQUIRE_EQUAL(lines.size(), 2u + 4u + 2u);
  CAF_CHECK_EQUAL(lines[0], "kisrt  s1 up 3/41  s2 DOWN 0/40");
  CAF_CHECK_EQUAL(lines[1].rfind("SESSION TR_ID    SYMBOL   NAME", 0), 0u);
  // Priority 0 (the notice) first, then 1 by tr_id, then 2.
  CAF_CHECK(lines[2].find("H0STCNI0") != std::string::npos);
  CAF_CHECK(lines[2].find("2m") != std::string::npos);
  CAF_CHECK(lines[3].find("H0STASP0") != std::string::npos);
  CAF_CHECK(lines[3].find("3h") != std::string::npos);
  CAF_CHECK(lines[4].find("삼성전자") != std::string::npos);
  CAF_CHECK(lines[4].find("71,000") != std::string::npos);
  CAF_CHECK(lines[4].find(" 25 ") != std::string::npos);
  CAF_CHECK(lines[4].find("1.5s") != std::string::npos);
  CAF_CHECK(lines[5].find("pending") != std::string::npos);
  // No data yet: a dash for the price and the age.
  CAF_CHECK_EQUAL(lines[5].substr(lines[5].size() - 1), "-");
  // Columns line up although the name has wide characters.
  for (std::size_t i = 2; i < 6; ++i)
    CAF_CHECK_EQUAL(display_width(lines[i]), display_width(lines[1]));
  CAF_CHECK_EQUAL(lines[6], "totals  P0 1/1 active, 2 ticks  P1 2/2 active, "
                            "30 ticks  P2 0/1 active, 0 ticks");
  CAF_CHECK_EQUAL(lines[7], "reconnects 2  drops 7  decode errors 1");
}

CAF_TEST(a long table is cut with a count of the rest) {
  auto lines = format_live_table(sample(), 3);
  CAF_REQUIRE_EQUAL(lines.size(), 2u + 3u + 1u + 2u);
  CAF_CHECK_EQUAL(lines[5], "... 1 more");
  // Totals still count every slot.
  CAF_CHECK(lines[6].find("P2 0/1 active") != std::string::npos);
}

CAF_TEST(the plain summary is one line) {
  CAF_CHECK_EQUAL(format_live_summary(sample()),
                  "sessions 1/2 up; slots P0 1/1 (2 ticks) P1 2/2 (30 ticks) "
                  "P2 0/1 (0 ticks); reconnects 2  drops 7  decode errors 1");
}

CAF_TEST(an empty snapshot still has its header and counters) {
  auto lines = format_live_table(live_snapshot{});
  CAF_REQUIRE_EQUAL(lines.size(), 4u);
  CAF_CHECK_EQUAL(lines[0], "kisrt");
  CAF_CHECK_EQUAL(lines[2], "totals");
}
