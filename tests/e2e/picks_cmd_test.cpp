// SPDX-License-Identifier: Apache-2.0
// `kisrt picks import` and `kisrt picks show` as a user runs them.
#define CAF_SUITE e2e.picks_cmd
#include <caf/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "store/picks_db.hpp"

namespace {

struct fixture {
  std::string dir;
  fixture() {
    char tmpl[] = "/tmp/kisrt-picks-cmd-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~fixture() {
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream{dir + "/" + name} << text;
  }

  /// Runs kisrt with `args`; returns the exit status, output in `out`.
  int kisrt(const std::string& args, std::string& out) {
    auto cmd = std::string{KISRT_BIN_DIR} + "/kisrt " + args + " >'" + dir
               + "/out' 2>&1";
    auto rc = std::system(cmd.c_str());
    std::ifstream in{dir + "/out"};
    std::stringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(picks_cmd_tests, fixture)

CAF_TEST(import validates then writes and show lists a day) {
  auto db = dir + "/picks.db";
  write("bad.csv", "trade_date,rank,code\n20250106,1,005930\n"
                   "20250106,2,59305\n");
  std::string out;
  CAF_CHECK_EQUAL(
      kisrt("picks import --db '" + db + "' '" + dir + "/bad.csv'", out), 1);
  CAF_CHECK(out.find("bad.csv:3: code '59305' is not a 6-character stock code")
            != std::string::npos);
  CAF_CHECK(out.find("nothing imported") != std::string::npos);
  CAF_CHECK(::access(db.c_str(), F_OK) != 0);
  write("good.json", R"({"trade_date":"2025-01-06","picks":[)"
                     R"({"code":"005930","score":0.9},{"code":"000660"}]})");
  CAF_CHECK_EQUAL(
      kisrt("picks import --db '" + db + "' '" + dir + "/good.json'", out), 0);
  CAF_CHECK(out.find("imported 2 picks for 20250106") != std::string::npos);
  CAF_CHECK_EQUAL(kisrt("picks show --db '" + db + "' 2025-01-06", out), 0);
  CAF_CHECK_EQUAL(out, "20250106,1,005930,,0.9,\n20250106,2,000660,,0,\n");
  kisrt::store::picks_db ro{db, false};
  CAF_CHECK_EQUAL(ro.load(20250106, 0).size(), 2u);
  CAF_CHECK_EQUAL(kisrt("picks import", out), 2);
}

CAF_TEST(show writes valid csv for any name) {
  auto db = dir + "/picks.db";
  write("odd.json",
        R"({"trade_date":"20250106","picks":[)"
        R"({"code":"005930","name":"A, \"B\"\nC","source":"x,y"}]})");
  std::string out;
  CAF_REQUIRE_EQUAL(
      kisrt("picks import --db '" + db + "' '" + dir + "/odd.json'", out), 0);
  CAF_CHECK_EQUAL(kisrt("picks show --db '" + db + "' 20250106", out), 0);
  CAF_CHECK_EQUAL(out, "20250106,1,005930,\"A, \"\"B\"\"\nC\",0,\"x,y\"\n");
}

CAF_TEST(bad numbers dates and quotes are refused with their place) {
  auto db = dir + "/picks.db";
  write("bad.csv", "trade_date,rank,code,name\n"
                   "20250231,1,005930,x\n"
                   "20250106,4294967297,000660,y\n"
                   "20250106,2,035420,\"open\n");
  std::string out;
  CAF_CHECK_EQUAL(
      kisrt("picks import --db '" + db + "' '" + dir + "/bad.csv'", out), 1);
  CAF_CHECK(out.find("bad.csv:2: trade_date is missing or not a date")
            != std::string::npos);
  CAF_CHECK(out.find("bad.csv:3: rank '4294967297' is not an integer")
            != std::string::npos);
  CAF_CHECK(out.find("bad.csv:4:19: unterminated quote") != std::string::npos);
  CAF_CHECK(out.find("nothing imported") != std::string::npos);
  CAF_CHECK(::access(db.c_str(), F_OK) != 0);
  CAF_CHECK_EQUAL(kisrt("picks import --db '" + db + "' /dev/zero", out), 1);
  CAF_CHECK(out.find("/dev/zero is larger than 16 MiB") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
