// SPDX-License-Identifier: Apache-2.0
// The gateway's REST sources against the simulator on loopback: an access
// token, every balance page, paper TR ids and the paper rate limit (2/s:
// the simulator answers EGW00201 to a third request within a second).
#define CAF_SUITE e2e.kis_rest
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

#include "apps/kisrt/kis_calendar.hpp"
#include "apps/kisrt/kis_sources.hpp"
#include "net/io_runner.hpp"
#include "net/token_cache.hpp"
#include "sim/simulator.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

// Synthetic simulator codes (sim/market.cpp): 45 holdings span three
// 20-row pages on paper.
std::vector<std::string> codes(std::size_t n) {
  std::vector<std::string> out;
  for (unsigned j = 1; out.size() < n; ++j) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%05u0", (j * 7919u) % 99000u + 1000u);
    out.push_back(buf);
  }
  return out;
}

struct fixture {
  std::unique_ptr<sim::simulator> simu;
  std::shared_ptr<net::io_runner> io = std::make_shared<net::io_runner>();
  std::shared_ptr<app::kis_rest> rest;
  net::http_options http;
  std::string dir;

  explicit fixture(bool paper = true) {
    char tmpl[] = "/tmp/kisrt-rest-XXXXXX";
    dir = ::mkdtemp(tmpl);
    sim::options o;
    o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
    for (auto& c : codes(45))
      o.holdings.push_back({"12345678", c, 3});
    o.paper = paper;
    o.rest_plain = true;
    o.kst_start = 10 * 3600;
    o.log_level = "off";
    simu = std::make_unique<sim::simulator>(o);
    auto ports = simu->start();
    io->start();
    net::parse_url("http://127.0.0.1:" + std::to_string(ports.rest), http.base);
    rest = make(paper, "");
  }

  /// One limiter per app key, shared by every client of it.
  std::shared_ptr<rest_limiter> limiter = std::make_shared<rest_limiter>(2.0);

  std::shared_ptr<app::kis_rest> make(bool paper, std::string token_dir) {
    app::rest_account acct;
    acct.app_key = "APPKEY1";
    acct.app_secret = "SECRET1";
    acct.cano = "12345678";
    acct.paper = paper;
    acct.token_dir = std::move(token_dir);
    return std::make_shared<app::kis_rest>(io, http, acct, limiter);
  }

  ~fixture() {
    io->stop();
    simu->stop();
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  balance_snapshot balance() { return balance(rest); }

  balance_snapshot balance(std::shared_ptr<app::kis_rest> r) {
    std::promise<balance_snapshot> p;
    auto f = p.get_future();
    app::make_balance_source(r)->fetch(
        [&p](balance_snapshot x) { p.set_value(std::move(x)); });
    if (f.wait_for(20s) != std::future_status::ready)
      return {{}, "timeout"};
    return f.get();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(kis_rest_tests, fixture)

CAF_TEST(every balance page arrives within the paper rate limit) {
  // Token + 3 pages, then 3 pages again with the cached token: seven
  // requests in a row, none refused for the rate.
  auto a = balance();
  CAF_CHECK_EQUAL(a.error, "");
  CAF_CHECK_EQUAL(a.rows.size(), 45u);
  auto b = balance();
  CAF_CHECK_EQUAL(b.error, "");
  CAF_CHECK_EQUAL(b.rows, a.rows);
  for (auto& r : a.rows)
    CAF_CHECK_EQUAL(r.qty, 3);
}

CAF_TEST(paper trading has no rankings and says so) {
  std::promise<ranking_snapshot> p;
  auto f = p.get_future();
  app::make_ranking_source(rest)->fetch(
      [&p](ranking_snapshot x) { p.set_value(std::move(x)); });
  CAF_REQUIRE(f.wait_for(20s) == std::future_status::ready);
  auto x = f.get();
  CAF_CHECK(x.rows.empty());
  CAF_CHECK(x.error.find("fluctuation ranking") != std::string::npos);
  CAF_CHECK(x.error.find("SECRET1") == std::string::npos);
}

CAF_TEST(the token cache spares a second issuance within the minute) {
  // A second process without the cache would ask again: EGW00133.
  auto cache = dir + "/a/tokens";
  CAF_CHECK_EQUAL(balance(make(true, cache)).error, "");
  struct stat st {};
  CAF_REQUIRE_EQUAL(::stat(cache.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0700u);
  CAF_CHECK_EQUAL(balance(make(true, cache)).error, "");
  auto x = balance(make(true, ""));
  CAF_CHECK(x.error.find("EGW00133") != std::string::npos);
  CAF_CHECK(x.error.find("SECRET1") == std::string::npos);
}

CAF_TEST(a cached token KIS refuses is replaced on the first call) {
  // A token the server does not know (revoked, or from another run of the
  // server): EGW00121. The first balance must still arrive.
  auto cache = dir + "/stale";
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::string err;
  net::token_cache tc{cache};
  CAF_REQUIRE(tc.store("APPKEY1", {"stale-token", now + 6 * 3600, 0}, err));
  auto x = balance(make(true, cache));
  CAF_CHECK_EQUAL(x.error, "");
  CAF_CHECK_EQUAL(x.rows.size(), 45u);
  // The fresh token replaced the stale one in the cache.
  auto e = tc.load("APPKEY1", err);
  CAF_REQUIRE(e);
  CAF_CHECK_NOT_EQUAL(e->token, "stale-token");
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(the holiday call reaches the simulator through the REST client) {
  fixture f{false};
  f.simu->stop();
  sim::options o;
  o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"}};
  o.rest_plain = true;
  o.log_level = "off";
  o.holidays = {20251225};
  f.simu = std::make_unique<sim::simulator>(o);
  auto ports = f.simu->start();
  net::parse_url("http://127.0.0.1:" + std::to_string(ports.rest), f.http.base);
  auto rest = f.make(false, "");
  std::promise<calendar_update> p;
  auto fut = p.get_future();
  app::make_calendar_source(rest)->fetch(
      20251224, [&p](calendar_update x) { p.set_value(std::move(x)); });
  CAF_REQUIRE(fut.wait_for(20s) == std::future_status::ready);
  auto x = fut.get();
  CAF_CHECK_EQUAL(x.error, "");
  CAF_REQUIRE_EQUAL(x.days.size(), 31u);
  CAF_CHECK_EQUAL(x.days[0], (calendar_day{20251224, true}));
  CAF_CHECK_EQUAL(x.days[1], (calendar_day{20251225, false}));
}
