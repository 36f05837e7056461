// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.cli
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

#include <unistd.h>

#include "sim/cli.hpp"

using namespace kisrt::sim;

namespace {

cli_result parse(std::vector<std::string> args, options& o, std::string& e) {
  return parse_cli(args, o, e);
}

} // namespace

CAF_TEST(flags fill the options) {
  options o;
  std::string e;
  auto r = parse({"--ws-port",
                  "0",
                  "--rest-port=41235",
                  "--admin-port",
                  "9",
                  "--account",
                  "K1:S1:user1:12345678",
                  "--holdings",
                  "12345678:005930:10,12345678:000660:5",
                  "--seed",
                  "7",
                  "--rate",
                  "1000",
                  "--batch-max",
                  "19",
                  "--tick-us",
                  "250",
                  "--rest-plain",
                  "--cap",
                  "40",
                  "--hold-after-close",
                  "1.5",
                  "--pingpong-interval",
                  "2",
                  "--pingpong-timeout",
                  "6",
                  "--pingpong-strict",
                  "--paper",
                  "--kst-start",
                  "08:45:00",
                  "--first-order",
                  "20000"},
                 o, e);
  CAF_REQUIRE(r == cli_result::run);
  CAF_CHECK_EQUAL(o.rest_port, 41235);
  CAF_CHECK_EQUAL(o.admin_port, 9);
  CAF_REQUIRE_EQUAL(o.accounts.size(), 1u);
  CAF_CHECK_EQUAL(o.accounts[0].hts_id, "user1");
  CAF_CHECK_EQUAL(o.holdings.size(), 2u);
  CAF_CHECK_EQUAL(o.seed, 7u);
  CAF_CHECK_EQUAL(o.batch_max, 19u);
  CAF_CHECK_EQUAL(o.tick.count(), 250);
  CAF_CHECK(o.rest_plain && o.pingpong_strict && o.paper);
  CAF_CHECK_EQUAL(o.cap, 40u);
  CAF_CHECK_EQUAL(o.hold_after_close.count(), 1500);
  CAF_CHECK_EQUAL(o.kst_start, 8 * 3600 + 45 * 60);
  CAF_CHECK_EQUAL(o.first_order, 20000u);
}

CAF_TEST(errors name the bad flag and never echo secrets) {
  options o;
  std::string e;
  CAF_CHECK(parse({"--ws-port", "70000"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--ws-port:", 0) == 0);
  o = options{};
  CAF_CHECK(parse({"--account", "K:TOPSECRET:h"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--account:", 0) == 0);
  CAF_CHECK(e.find("TOPSECRET") == std::string::npos);
  o = options{};
  CAF_CHECK(parse({"--kst-start", "25:00:00"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--kst-start:", 0) == 0);
  o = options{};
  CAF_CHECK(parse({"--tick-us", "50"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--tick-us:", 0) == 0);
  o = options{};
  CAF_CHECK(parse({"--first-order", "0"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--first-order:", 0) == 0);
  o = options{};
  CAF_CHECK(parse({"--bogus"}, o, e) == cli_result::error);
  CAF_CHECK(e.rfind("--bogus:", 0) == 0);
  o = options{};
  CAF_CHECK(parse({"--cert", "x.pem"}, o, e) == cli_result::error);
  o = options{};
  CAF_CHECK(parse({"--rate"}, o, e) == cli_result::error);
  CAF_CHECK_EQUAL(e, "--rate: missing value");
  o = options{};
  CAF_CHECK(parse({"--help"}, o, e) == cli_result::help);
}

CAF_TEST(accounts file) {
  auto path = "/tmp/kisrt-sim-accounts-" + std::to_string(::getpid());
  {
    std::ofstream f(path);
    f << "# comment\n\nK1:S1:user1:12345678 005930:10,000660:5\n"
      << "K2:S2:user2:87654321\n";
  }
  options o;
  std::string e;
  CAF_REQUIRE(parse({"--accounts", path}, o, e) == cli_result::run);
  CAF_CHECK_EQUAL(o.accounts.size(), 2u);
  CAF_CHECK_EQUAL(o.holdings.size(), 2u);
  CAF_CHECK_EQUAL(o.holdings[1].code, "000660");
  std::remove(path.c_str());
  o = options{};
  CAF_CHECK(parse({}, o, e) == cli_result::run);
  CAF_CHECK_EQUAL(o.accounts.size(), 1u); // the demo account
}

#include <csignal>
#include <sys/wait.h>

#include <boost/json.hpp>

CAF_TEST(the binary prints one JSON port line and stops on SIGTERM) {
  int out[2];
  CAF_REQUIRE_EQUAL(::pipe(out), 0);
  auto pid = ::fork();
  CAF_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    execl(KISRT_BIN_DIR "/kisrt-sim", "kisrt-sim", "--log-level", "off",
          "--kst-start", "10:00:00", static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(out[1]);
  // The port line comes once the listeners are bound (bounded read).
  std::string line;
  char c = 0;
  fd_set fds;
  for (;;) {
    FD_ZERO(&fds);
    FD_SET(out[0], &fds);
    timeval tv{10, 0};
    if (::select(out[0] + 1, &fds, nullptr, nullptr, &tv) <= 0)
      break;
    if (::read(out[0], &c, 1) != 1 || c == '\n')
      break;
    line += c;
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  CAF_CHECK(!ec);
  if (!ec) {
    auto& o = v.as_object();
    CAF_CHECK_EQUAL(o.size(), 3u);
    CAF_CHECK(o.at("ws_port").as_int64() > 0);
    CAF_CHECK(o.at("rest_port").as_int64() > 0);
    CAF_CHECK(o.at("admin_port").as_int64() > 0);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CAF_CHECK(WIFEXITED(status));
  CAF_CHECK_EQUAL(WEXITSTATUS(status), 0);
  // Nothing else on stdout.
  auto n = ::read(out[0], &c, 1);
  CAF_CHECK_EQUAL(n, 0);
  ::close(out[0]);
}
