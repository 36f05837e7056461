// SPDX-License-Identifier: Apache-2.0
// The gateway's REST sources against the simulator on loopback: an access
// token, every balance page, paper TR ids and the paper rate limit (2/s:
// the simulator answers EGW00201 to a third request within a second).
#define CAF_SUITE e2e.kis_rest
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <future>

#include "apps/kisrt/kis_sources.hpp"
#include "net/io_runner.hpp"
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

  explicit fixture(bool paper = true) {
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
    net::http_options http;
    net::parse_url("http://127.0.0.1:" + std::to_string(ports.rest), http.base);
    app::rest_account acct;
    acct.app_key = "APPKEY1";
    acct.app_secret = "SECRET1";
    acct.cano = "12345678";
    acct.paper = paper;
    rest = std::make_shared<app::kis_rest>(
        io, http, acct, std::make_shared<rest_limiter>(paper ? 2.0 : 20.0));
  }

  ~fixture() {
    io->stop();
    simu->stop();
  }

  balance_snapshot balance() {
    std::promise<balance_snapshot> p;
    auto f = p.get_future();
    app::make_balance_source(rest)->fetch(
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

CAF_TEST_FIXTURE_SCOPE_END()
