// SPDX-License-Identifier: Apache-2.0
// The live table's formatting: a snapshot in, lines out.
#define CAF_SUITE app.live_table
#include <caf/test/unit_test.hpp>

#include "apps/kisrt/live_screen.hpp"
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

CAF_TEST(the frame keeps the stdout lines the table and the latest log lines) {
  screen_parts p;
  p.head = {R"({"admin_port":40123})"};
  for (int i = 0; i < 60; ++i)
    p.table.push_back("row " + std::to_string(i));
  p.events = {"e1", "e2", "e3", "e4", "e5", "e6"};
  for (int i = 0; i < 100; ++i)
    p.logs.push_back("log " + std::to_string(i));
  auto lines = compose_screen(p, 50, 160);
  // One row stays free so the terminal never scrolls.
  CAF_REQUIRE_EQUAL(lines.size(), 49u);
  CAF_CHECK_EQUAL(lines[0], R"({"admin_port":40123})");
  CAF_CHECK_EQUAL(lines[1], "row 0");
  // The table gives way: head 1, events 6, log at least 1 + 3.
  CAF_CHECK_EQUAL(lines[38],
                  "... 23 more lines (a taller terminal shows them)");
  CAF_CHECK_EQUAL(lines[39], "slot events:");
  CAF_CHECK_EQUAL(lines[40], "  e2"); // the latest five
  CAF_CHECK_EQUAL(lines[44], "  e6");
  CAF_CHECK_EQUAL(lines[45], "log:");
  CAF_CHECK_EQUAL(lines[46], "log 97"); // the latest ones
  CAF_CHECK_EQUAL(lines[48], "log 99");
}

CAF_TEST(a short table leaves the rest of the frame to the log) {
  screen_parts p;
  p.table = {"t1", "t2"};
  for (int i = 0; i < 100; ++i)
    p.logs.push_back("log " + std::to_string(i));
  auto lines = compose_screen(p, 10, 160);
  CAF_REQUIRE_EQUAL(lines.size(), 9u);
  CAF_CHECK_EQUAL(lines[2], "log:");
  CAF_CHECK_EQUAL(lines[3], "log 94");
  CAF_CHECK_EQUAL(lines[8], "log 99");
}

CAF_TEST(lines are cut to the terminal and escapes never pass) {
  CAF_CHECK_EQUAL(cut_to_width("abcdef", 4), "abcd");
  CAF_CHECK_EQUAL(cut_to_width("삼성전자", 5), "삼성");
  CAF_CHECK_EQUAL(cut_to_width("a\x1b[2Jb", 10), "a?[2Jb");
  screen_parts p;
  p.logs = {std::string(300, 'x')};
  auto lines = compose_screen(p, 10, 80);
  CAF_REQUIRE_EQUAL(lines.size(), 2u);
  CAF_CHECK_EQUAL(lines[1].size(), 80u);
}
