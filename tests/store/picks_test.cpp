// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sources.store
#include <caf/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "store/picks_db.hpp"
#include "store/picks_file.hpp"

using namespace kisrt;

namespace {

// A fresh directory under TMPDIR, removed afterwards.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::string tmpl = "/tmp/kisrt-store-XXXXXX";
    if (auto* t = std::getenv("TMPDIR"))
      tmpl = std::string{t} + "/kisrt-store-XXXXXX";
    path = ::mkdtemp(tmpl.data()) ? tmpl : std::string{};
  }
  ~temp_dir() {
    if (!path.empty())
      std::system(("rm -rf '" + path + "'").c_str());
  }
};

template <class F>
bool throws(F f) {
  try {
    f();
  } catch (const std::runtime_error&) {
    return true;
  }
  return false;
}

bool has(const std::vector<std::string>& errs, const std::string& needle) {
  for (auto& e : errs)
    if (e.find(needle) != std::string::npos)
      return true;
  return false;
}

} // namespace

CAF_TEST(csv picks parse with quotes and report bad rows by line) {
  std::vector<std::string> errs;
  auto days = store::parse_picks("p.csv",
                                 "# today\n"
                                 "rank,code,trade_date,name,score\n"
                                 "1,005930,2025-01-06,\"Samsung, Elec\",0.9\n"
                                 "2,000660,20250106,Hynix,0.8\n",
                                 errs);
  CAF_CHECK(errs.empty());
  CAF_REQUIRE_EQUAL(days.size(), 1u);
  auto& xs = days.at(20250106);
  CAF_REQUIRE_EQUAL(xs.size(), 2u);
  CAF_CHECK_EQUAL(xs[0].name, "Samsung, Elec");
  CAF_CHECK_EQUAL(xs[1].score, 0.8);
  store::parse_picks("p.csv",
                     "trade_date,rank,code\n"
                     "20250106,1,59305\n"
                     "2025-13-01,2,000660\n"
                     "20250106,0,035420\n"
                     "20250106,1,005930\n"
                     "20250106,5,005930\n",
                     errs);
  CAF_CHECK(has(errs, "p.csv:2: code '59305' is not a 6-character stock code"));
  CAF_CHECK(has(errs, "p.csv:3: trade_date"));
  CAF_CHECK(has(errs, "p.csv:4: rank '0' is not an integer from 1 to 1000000"));
  CAF_CHECK(has(errs, "code 005930 appears twice"));
  errs.clear();
  store::parse_picks("p.csv", "code,rank\n005930,1\n", errs);
  CAF_CHECK(has(errs, "p.csv:1: the header needs a column 'trade_date'"));
}

CAF_TEST(picks may name overseas keys) {
  std::vector<std::string> errs;
  auto days = store::parse_picks("p.csv",
                                 "trade_date,rank,code\n"
                                 "20250106,1,DNASAAPL\n"
                                 "20250106,2,RBAQAAPL\n"
                                 "20250106,3,DXXXAAPL\n",
                                 errs);
  CAF_CHECK(has(errs, "p.csv:4: code 'DXXXAAPL' is not a 6-character stock "
                      "code nor an overseas key (DNASAAPL)"));
  CAF_CHECK_EQUAL(errs.size(), 1u);
}

CAF_TEST(json picks parse in both shapes) {
  std::vector<std::string> errs;
  auto a = store::parse_picks(
      "p.json",
      R"({"trade_date":"2025-01-06","picks":[{"code":"005930"},)"
      R"({"code":"000660","name":"SK","score":1.5,"source":"m"}]})",
      errs);
  CAF_CHECK(errs.empty());
  CAF_REQUIRE_EQUAL(a.at(20250106).size(), 2u);
  CAF_CHECK_EQUAL(a.at(20250106)[1].rank, 2);
  CAF_CHECK_EQUAL(a.at(20250106)[1].score, 1.5);
  auto b = store::parse_picks(
      "p.json",
      R"([{"trade_date":20250106,"rank":1,"code":"005930"},)"
      R"({"trade_date":"20250107","rank":1,"code":"0008Z0"}])",
      errs);
  CAF_CHECK(errs.empty());
  CAF_CHECK_EQUAL(b.size(), 2u);
  store::parse_picks("p.json", R"([{"rank":1,"code":"5930"}])", errs);
  CAF_CHECK(has(errs, "p.json: picks[0]: trade_date is missing"));
  CAF_CHECK(has(errs, "p.json: picks[0]: code '5930'"));
  errs.clear();
  store::parse_picks("p.json", "{not json", errs);
  CAF_CHECK(has(errs, "p.json: not valid JSON"));
}

CAF_TEST(the database is created and days are replaced) {
  temp_dir dir;
  CAF_REQUIRE(!dir.path.empty());
  auto path = dir.path + "/picks.db";
  // A reader never creates the file.
  CAF_CHECK(throws([&] { store::picks_db db{path, false}; }));
  {
    store::picks_db db{path, true};
    CAF_CHECK_EQUAL(db.replace(20250106, {{2, "000660", "SK", 0.8, "m"},
                                          {1, "005930", "S", 0.9, "m"},
                                          {3, "035420", "N", 0.7, "m"}}),
                    0u);
    CAF_CHECK_EQUAL(db.replace(20250107, {{1, "068270", "", 0, ""}}), 0u);
  }
  store::picks_db ro{path, false};
  auto xs = ro.load(20250106, 2);
  CAF_REQUIRE_EQUAL(xs.size(), 2u);
  CAF_CHECK_EQUAL(xs[0].code, "005930");
  CAF_CHECK_EQUAL(xs[1].code, "000660");
  CAF_CHECK_EQUAL(ro.load(20250106, 0).size(), 3u);
  CAF_CHECK(ro.load(20250108, 0).empty());
  {
    store::picks_db db{path, true};
    CAF_CHECK_EQUAL(db.replace(20250106, {{1, "051910", "", 0, ""}}), 3u);
    // A repeated code breaks the day's constraint: nothing changes.
    CAF_CHECK(throws([&] {
      db.replace(20250107,
                 {{1, "005930", "", 0, ""}, {2, "005930", "", 0, ""}});
    }));
  }
  CAF_CHECK_EQUAL(ro.load(20250106, 0).size(), 1u);
  auto day2 = ro.load(20250107, 0); // the macro keeps references: no temps
  CAF_REQUIRE_EQUAL(day2.size(), 1u);
  CAF_CHECK_EQUAL(day2[0].code, "068270");
}

CAF_TEST(dates are real calendar dates) {
  CAF_CHECK_EQUAL(store::parse_trade_date("20250231"), 0);
  CAF_CHECK_EQUAL(store::parse_trade_date("2025-02-29"), 0);
  CAF_CHECK_EQUAL(store::parse_trade_date("20250431"), 0);
  CAF_CHECK_EQUAL(store::parse_trade_date("19000229"), 0);
  CAF_CHECK_EQUAL(store::parse_trade_date("20240229"), 20240229);
  CAF_CHECK_EQUAL(store::parse_trade_date("20000229"), 20000229);
  CAF_CHECK_EQUAL(store::parse_trade_date("2025-12-31"), 20251231);
  std::vector<std::string> errs;
  auto days = store::parse_picks(
      "p.csv", "trade_date,rank,code\n20250231,1,005930\n", errs);
  CAF_CHECK(days.empty());
  CAF_CHECK(has(errs, "p.csv:2: trade_date is missing or not a date"));
}

CAF_TEST(numbers are whole numbers in range or an error) {
  CAF_CHECK(!store::parse_rank("4294967297"));
  CAF_CHECK(!store::parse_rank("7abc"));
  CAF_CHECK(!store::parse_rank("0"));
  CAF_CHECK(!store::parse_rank("-1"));
  CAF_CHECK(!store::parse_rank("1000001"));
  CAF_CHECK(!store::parse_rank(""));
  CAF_CHECK_EQUAL(store::parse_rank("1000000").value_or(0), 1000000);
  CAF_CHECK(!store::parse_score("0.9x"));
  CAF_CHECK(!store::parse_score("inf"));
  CAF_CHECK(!store::parse_score("nan"));
  CAF_CHECK(!store::parse_score("0x10"));
  CAF_CHECK_EQUAL(store::parse_score("-1.5e-1").value_or(0), -0.15);
  std::vector<std::string> errs;
  auto days = store::parse_picks("p.csv",
                                 "trade_date,rank,code,score\n"
                                 "20250106,4294967297,005930,0.1\n"
                                 "20250106,7abc,000660,0.2\n"
                                 "20250106,3,035420,0.3x\n",
                                 errs);
  CAF_CHECK(days.empty());
  CAF_CHECK(has(errs, "p.csv:2: rank '4294967297' is not an integer from 1 "
                      "to 1000000"));
  CAF_CHECK(has(errs, "p.csv:3: rank '7abc' is not an integer"));
  CAF_CHECK(has(errs, "p.csv:4: score '0.3x' is not a finite decimal number"));
  errs.clear();
  days = store::parse_picks(
      "p.json",
      R"({"trade_date":"2025-01-06","picks":[{"code":"005930","rank":4294967297},)"
      R"({"code":"000660","rank":"7abc"},{"code":"035420","rank":1.5}]})",
      errs);
  CAF_CHECK(days.empty());
  CAF_CHECK(has(errs, "p.json: picks[0]: rank must be an integer from 1"));
  CAF_CHECK(has(errs, "p.json: picks[1]: rank must be an integer from 1"));
  CAF_CHECK(has(errs, "p.json: picks[2]: rank must be an integer from 1"));
}

CAF_TEST(csv quoting errors name line and column) {
  std::vector<std::string> errs;
  auto days = store::parse_picks("p.csv",
                                 "trade_date,rank,code,name\n"
                                 "20250106,1,005930,\"Samsung\n"
                                 "20250106,2,000660,\"SK\"x\n"
                                 "20250106,3,035420,Na\"ver\n"
                                 "20250106,4,051910,\"L\"\"G\"\r\n",
                                 errs);
  CAF_CHECK(has(errs, "p.csv:2:19: unterminated quote"));
  CAF_CHECK(has(errs, "p.csv:3:23: text after the closing quote"));
  CAF_CHECK(has(errs, "p.csv:4:21: quote inside an unquoted field"));
  CAF_CHECK_EQUAL(errs.size(), 3u);
  // The unterminated quote did not swallow the rows after it.
  CAF_REQUIRE_EQUAL(days.size(), 1u);
  CAF_REQUIRE_EQUAL(days.at(20250106).size(), 1u);
  CAF_CHECK_EQUAL(days.at(20250106)[0].name, "L\"G");
}

CAF_TEST(csv output is escaped) {
  CAF_CHECK_EQUAL(store::csv_escape("plain"), "plain");
  CAF_CHECK_EQUAL(store::csv_escape("a,b"), "\"a,b\"");
  CAF_CHECK_EQUAL(store::csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  CAF_CHECK_EQUAL(store::csv_escape("two\nlines"), "\"two\nlines\"");
  CAF_CHECK_EQUAL(store::csv_escape(" pad"), "\" pad\"");
  // What is written parses back to the same field.
  std::vector<std::string> errs;
  auto days = store::parse_picks("p.csv",
                                 "trade_date,rank,code,name\n20250106,1,005930,"
                                     + store::csv_escape("A, \"B\" ") + "\n",
                                 errs);
  CAF_REQUIRE(errs.empty());
  CAF_CHECK_EQUAL(days.at(20250106)[0].name, "A, \"B\" ");
}

namespace {

// 28 days of one pick each, all with `code`.
store::picks_by_date month(const std::string& code) {
  store::picks_by_date days;
  for (int d = 1; d <= 28; ++d)
    days[20250200 + d] = {{1, code, code, 0.5, "test"}};
  return days;
}

// True when every day of February holds `code` only.
bool all_days_hold(const std::string& path, const std::string& code) {
  store::picks_db ro{path, false};
  for (int d = 1; d <= 28; ++d) {
    auto xs = ro.load(20250200 + d, 0);
    if (xs.size() != 1 || xs[0].code != code)
      return false;
  }
  return true;
}

} // namespace

CAF_TEST(an import that fails part way changes nothing) {
  temp_dir dir;
  auto path = dir.path + "/picks.db";
  store::picks_db db{path, true};
  db.replace_days(month("005930"));
  CAF_CHECK(throws([&] {
    db.replace_days(month("000660"), [](std::size_t n) {
      if (n == 10)
        throw std::runtime_error("stop");
    });
  }));
  CAF_CHECK(all_days_hold(path, "005930"));
}

CAF_TEST(an import killed part way leaves every day old) {
  temp_dir dir;
  auto path = dir.path + "/picks.db";
  {
    store::picks_db db{path, true};
    db.replace_days(month("005930"));
  }
  int fds[2];
  CAF_REQUIRE_EQUAL(::pipe(fds), 0);
  auto pid = ::fork();
  CAF_REQUIRE(pid >= 0);
  if (pid == 0) {
    // The child imports 28 new days and stops for good inside the
    // transaction after the 10th, telling the parent where it is.
    ::close(fds[0]);
    try {
      store::picks_db db{path, true};
      db.replace_days(month("000660"), [&](std::size_t n) {
        if (n == 10) {
          [[maybe_unused]] auto w = ::write(fds[1], "10", 2);
          for (;;)
            ::pause();
        }
      });
    } catch (...) {
      // nop
    }
    ::_exit(1);
  }
  ::close(fds[1]);
  char buf[2] = {0, 0};
  auto n = ::read(fds[0], buf, 2); // blocks until the child is at day 10
  ::close(fds[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CAF_REQUIRE_EQUAL(n, 2);
  CAF_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // The gateway's reader (read-only) and the next import both see the
  // old month: SQLite rolls the hot journal back.
  CAF_CHECK(all_days_hold(path, "005930"));
  store::picks_db db{path, true};
  db.replace_days(month("000660"));
  CAF_CHECK(all_days_hold(path, "000660"));
}
