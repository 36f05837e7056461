// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE app.gateway_options
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "apps/kisrt/gateway.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"

using namespace kisrt;
using namespace kisrt::app;

namespace {

struct fixture {
  std::map<std::string, std::string> vars;
  std::vector<std::string> errors;
  std::string dir;

  fixture() {
    char tmpl[] = "/tmp/kisrt-opts-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }

  ~fixture() {
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  gateway_options read(const std::string& text) {
    return kisrt::test::read_config(text, errors, vars);
  }

  bool has_error(const std::string& needle) const {
    return kisrt::test::any_contains(errors, needle);
  }

  bool mentions(const std::string& secret) const {
    for (auto& e : errors)
      if (e.find(secret) != std::string::npos)
        return true;
    return false;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(gateway_options_tests, fixture)

CAF_TEST(a full real configuration) {
  vars = {{"K1", "APPKEY"}, {"S1", "TOPSECRET"}};
  auto o = read("[kis]\nenv = real\n"
                "[session.s1]\napp_key_env = K1\napp_secret_env = S1\n"
                "hts_id = myid\n"
                "[slots]\ncap = 40\np3_min_hold = 90s\n"
                "tr.holding = H0STCNT0\n"
                "[connection]\nsend_rate = 5\n"
                "[demand]\nholdings = 005930\n"
                "[admin]\nlisten = 127.0.0.1:8080\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK_EQUAL(o.rest_url, "https://openapi.koreainvestment.com:9443");
  CAF_CHECK_EQUAL(o.ws_url, "ws://ops.koreainvestment.com:21000");
  CAF_REQUIRE_EQUAL(o.sessions.size(), 1u);
  CAF_CHECK_EQUAL(o.sessions[0].app_secret, "TOPSECRET");
  CAF_CHECK_EQUAL(o.slots.sessions[0].cap, 40u);
  CAF_CHECK_EQUAL(o.slots.sessions[0].notice, (slot_key{"H0STCNI0", "myid"}));
  CAF_CHECK_EQUAL(o.slots.holding_trs, std::vector<std::string>{"H0STCNT0"});
  CAF_CHECK(o.slots.min_hold == std::chrono::seconds{90});
  CAF_CHECK_EQUAL(o.connection.send_rate, 5.0);
  CAF_CHECK_EQUAL(o.admin_port, 8080);
  CAF_CHECK(o.rest_tls.verify);
}

CAF_TEST(paper uses the paper endpoints and notice TR) {
  vars = {{"K1", "A"}, {"S1", "B"}};
  auto o = read("[kis]\nenv = paper\n[session.s1]\napp_key_env = K1\n"
                "app_secret_env = S1\nhts_id = me\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.rest_url, "https://openapivts.koreainvestment.com:29443");
  CAF_CHECK_EQUAL(o.slots.sessions[0].notice.tr_id, "H0STCNI9");
}

CAF_TEST(log level is checked) {
  vars = {{"K1", "A"}, {"S1", "B"}};
  const std::string base =
      "[kis]\nenv = paper\n[session.s1]\napp_key_env = K1\n"
      "app_secret_env = S1\nhts_id = me\n";
  CAF_CHECK_EQUAL(read(base).log_level, "info");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(read(base + "[log]\nlevel = debug\n").log_level, "debug");
  CAF_CHECK(errors.empty());
  read(base + "[log]\nlevel = loud\n");
  CAF_CHECK(has_error("log.level"));
  CAF_CHECK(
      has_error("'loud', not one of trace, debug, info, warn, error, off"));
}

CAF_TEST(missing secrets name the key and never a value) {
  vars = {{"K1", "APPKEY"}};
  read("[kis]\nenv = real\n[session.s1]\napp_key_env = K1\n"
       "app_secret_env = NOPE\nhts_id = x\n");
  CAF_CHECK(has_error("key 'session.s1.app_secret_env': environment "
                      "variable NOPE is not set"));
}

CAF_TEST(secrets in the config file are refused) {
  read("[kis]\nenv = real\n[session.s1]\napp_key = A\n"
       "app_secret = hunter2\nhts_id = x\n");
  CAF_CHECK(has_error("secrets are not read from the config file"));
  CAF_CHECK(!mentions("hunter2"));
}

CAF_TEST(a secrets file must be 0600) {
  auto path = dir + "/secrets";
  { std::ofstream{path} << "app_key=A\napp_secret=hunter2\n"; }
  ::chmod(path.c_str(), 0644);
  read("[kis]\nenv = real\n[session.s1]\nsecrets_file = " + path
       + "\nhts_id = x\n");
  CAF_CHECK(has_error("readable by group or others"));
  CAF_CHECK(!mentions("hunter2"));
  ::chmod(path.c_str(), 0600);
  errors.clear();
  auto o = read("[kis]\nenv = real\n[session.s1]\nsecrets_file = " + path
                + "\nhts_id = x\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.sessions[0].app_secret, "hunter2");
}

CAF_TEST(bad values and unknown keys are named) {
  read("[kis]\nenv = live\n[slots]\ncap = 0\ntr.pick = H0XXXXX0\n"
       "[admin]\nlisten = nowhere\n[demand]\nholdings = 5930\n"
       "[conection]\nsend_rate = 3\n");
  CAF_CHECK(has_error("key 'kis.env': 'live' is not sim, paper or real"));
  CAF_CHECK(has_error("key 'slots.cap': 0 is out of range"));
  CAF_CHECK(has_error("key 'slots.tr.pick': unknown tr_id 'H0XXXXX0'"));
  CAF_CHECK(has_error("key 'admin.listen': expected HOST:PORT or off"));
  CAF_CHECK(has_error("t.conf:9: key 'demand.holdings': H0STCNT0 key '5930' "
                      "is not a domestic stock code"));
  CAF_CHECK(has_error("unknown key 'conection.send_rate'"));
  CAF_CHECK(has_error("no [session.NAME] section"));
  errors.clear();
  read("[kis]\nsim = true\nws_url = http://x:1\nrest_url = nowhere\n");
  CAF_CHECK(has_error("key 'kis.ws_url': 'http://x:1': expected ws wss URL"));
  CAF_CHECK(has_error("key 'kis.rest_url': 'nowhere': missing scheme"));
}

CAF_TEST(timeouts and backoffs have bounds) {
  read("[kis]\nsim = true\n[connection]\nidle_timeout = 0\n");
  CAF_CHECK(has_error("t.conf:4: key 'connection.idle_timeout': '0' is out "
                      "of range [10s, 1h]"));
  errors.clear();
  read("[kis]\nsim = true\n[connection]\nidle_timeout = 1e300s\n");
  CAF_CHECK(has_error("t.conf:4: key 'connection.idle_timeout': '1e300s' is "
                      "not a duration"));
  errors.clear();
  read("[kis]\nsim = true\n[connection]\nbackoff_min = 0\nbackoff_max = 0\n"
       "stable_after = 0\nin_use_backoff = 0ms\n[slots]\nretry_base = 0\n"
       "retry_max = 0\n");
  for (auto key : {"connection.backoff_min", "connection.backoff_max",
                   "connection.stable_after", "connection.in_use_backoff",
                   "slots.retry_base", "slots.retry_max"})
    CAF_CHECK(has_error(std::string{"key '"} + key + "'"));
  errors.clear();
  auto o = read("[kis]\nsim = true\n[connection]\nidle_timeout = 10s\n"
                "backoff_min = 100ms\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_CHECK(o.connection.idle_timeout == std::chrono::seconds{10});
}

CAF_TEST(slot classes take data TRs only) {
  for (auto tr : {"H0STCNI0", "H0STCNI9", "H0GSCNI0", "H0IFCNI0"}) {
    errors.clear();
    read(std::string{"[kis]\nsim = true\n[slots]\ntr.holding = H0STCNT0, "} + tr
         + "\n");
    CAF_CHECK(has_error(std::string{"key 'slots.tr.holding': '"} + tr
                        + "' is an execution-notice TR, not a data TR"));
  }
  errors.clear();
  read("[kis]\nsim = true\n[slots]\ntr.scan = ,\n");
  CAF_CHECK(has_error("key 'slots.tr.scan': needs at least one tr_id"));
}

CAF_TEST(kst_start is parsed strictly) {
  for (auto bad : {"10:00:0x", "10:00:+5", "10:00: 5", "10:0x:00", "24:00:00",
                   "10:00:60", "10:00:00 "}) {
    errors.clear();
    read(std::string{"[kis]\nsim = true\n[sim]\nkst_start = \""} + bad
         + "\"\n");
    CAF_CHECK(has_error("key 'sim.kst_start'"));
  }
  errors.clear();
  auto o = read("[kis]\nsim = true\n[sim]\nkst_start = 10:00:05\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.sim_kst_start, 36005);
}

CAF_TEST(the gateway clock can start at a set time and run every day) {
  // Without the keys, --sim follows the simulator's day, every day.
  auto dflt = read("[kis]\nsim = true\n");
  CAF_CHECK_EQUAL(dflt.clock_kst_start, -1);
  CAF_CHECK(dflt.every_day);
  auto o = read("[kis]\nsim = true\n[clock]\nkst_start = 10:00:00\n"
                "every_day = false\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.clock_kst_start, 36000);
  CAF_CHECK(!o.every_day);
  read("[kis]\nsim = true\n[clock]\nkst_start = 25:00:00\n");
  CAF_CHECK(has_error("key 'clock.kst_start'"));
}

CAF_TEST(a CRLF secrets file gives clean values) {
  auto path = dir + "/secrets";
  { std::ofstream{path} << "# keys\r\napp_key = KEY \r\napp_secret=SEC\r\n"; }
  ::chmod(path.c_str(), 0600);
  auto o = read("[kis]\nenv = real\n[session.s1]\nsecrets_file = " + path
                + "\nhts_id = x\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  CAF_REQUIRE_EQUAL(o.sessions.size(), 1u);
  CAF_CHECK_EQUAL(o.sessions[0].app_key, "KEY");
  CAF_CHECK_EQUAL(o.sessions[0].app_secret, "SEC");
  vars = {{"K1", "ENVKEY\r\n"}, {"S1", " ENVSEC"}};
  o = read("[kis]\nenv = real\n[session.s1]\napp_key_env = K1\n"
           "app_secret_env = S1\nhts_id = x\n");
  CAF_CHECK_EQUAL(o.sessions[0].app_key, "ENVKEY");
  CAF_CHECK_EQUAL(o.sessions[0].app_secret, "ENVSEC");
}

CAF_TEST(oversized secrets are refused and never echoed) {
  auto path = dir + "/secrets";
  std::string key(2000, 'K');
  { std::ofstream{path} << "app_key=" << key << "\napp_secret=S\n"; }
  ::chmod(path.c_str(), 0600);
  read("[kis]\nenv = real\n[session.s1]\nsecrets_file = " + path
       + "\nhts_id = x\n");
  CAF_CHECK(has_error(path + ":1: 'app_key' is 2000 bytes, more than 1024"));
  CAF_CHECK(!mentions(std::string(40, 'K')));
  { std::ofstream{path} << "app_key=" << std::string(10 << 20, 'K') << "\n"; }
  errors.clear();
  read("[kis]\nenv = real\n[session.s1]\nsecrets_file = " + path
       + "\nhts_id = x\n");
  CAF_CHECK(has_error("secrets file " + path + " is larger than 64 KiB"));
  CAF_CHECK(!mentions(std::string(40, 'K')));
  errors.clear();
  vars = {{"K1", std::string(5000, 'E')}, {"S1", "S"}};
  read("[kis]\nenv = real\n[session.s1]\napp_key_env = K1\n"
       "app_secret_env = S1\nhts_id = x\n");
  CAF_CHECK(has_error("environment variable K1 holds 5000 bytes"));
  CAF_CHECK(!mentions(std::string(40, 'E')));
}

CAF_TEST(sim mode needs no session) {
  auto o = read("[kis]\nsim = true\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK(o.sim);
  CAF_CHECK_EQUAL(o.sessions.size(), 1u);
}

CAF_TEST(scheduler keys have latency defaults and are checked) {
  auto o = read("[kis]\nsim = true\n");
  CAF_REQUIRE(errors.empty());
  CAF_CHECK_EQUAL(o.scheduler.workers, 0u);
  CAF_CHECK_EQUAL(o.scheduler.poll_sleep.count(), 2);
  CAF_CHECK_EQUAL(o.scheduler.timer_slack_ns, 1u);
  o = read("[kis]\nsim = true\n[scheduler]\nworkers = 3\n"
           "poll_sleep_us = 0\ntimer_slack_ns = 0\n");
  CAF_REQUIRE(errors.empty());
  CAF_CHECK_EQUAL(o.scheduler.workers, 3u);
  CAF_CHECK_EQUAL(o.scheduler.poll_sleep.count(), 0);
  CAF_CHECK_EQUAL(o.scheduler.timer_slack_ns, 0u);
  read("[kis]\nsim = true\n[scheduler]\nworkers = 1000\n"
       "poll_sleep_us = -1\n");
  CAF_CHECK(has_error("scheduler.workers"));
  CAF_CHECK(has_error("scheduler.poll_sleep_us"));
}

CAF_TEST(demand sources read their keys) {
  vars = {{"K1", "A"}, {"S1", "B"}};
  auto o = read("[kis]\nenv = real\n[session.s1]\napp_key_env = K1\n"
                "app_secret_env = S1\nhts_id = me\n"
                "[portfolio]\ncano = 12345678\npoll_interval = 2m\n"
                "[picks]\ndb = /tmp/p.db\nrefresh = 07:05\ntop = 5\n"
                "[scanner]\nenabled = on\nhours = 09:00-15:20\n"
                "exclude = 005930\ntop = 3\nrankings = volume\n"
                "[rest]\ntoken_dir = /tmp/t\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  auto& so = o.sources;
  CAF_CHECK_EQUAL(so.cano, "12345678");
  CAF_CHECK(so.balance_interval == std::chrono::minutes{2});
  CAF_CHECK_EQUAL(so.picks_db, "/tmp/p.db");
  CAF_CHECK_EQUAL(so.picks_hour * 60 + so.picks_minute, 7 * 60 + 5);
  CAF_CHECK_EQUAL(so.picks_top, 5u);
  CAF_CHECK(so.scanner);
  CAF_CHECK_EQUAL(so.close_minute, 15 * 60 + 20);
  CAF_CHECK_EQUAL(so.filter.exclude.count("005930"), 1u);
  CAF_CHECK_EQUAL(so.filter.top_k, 3u);
  CAF_CHECK(!so.rank_fluctuation && so.rank_volume);
  CAF_CHECK_EQUAL(so.rest_rate, 20.0);
  CAF_CHECK_EQUAL(so.token_dir, "/tmp/t");
}

CAF_TEST(demand source keys are checked) {
  vars = {{"K1", "A"}, {"S1", "B"}};
  auto o = read("[kis]\nenv = paper\n[session.s1]\napp_key_env = K1\n"
                "app_secret_env = S1\nhts_id = me\n"
                "[portfolio]\ncano = 1234\n[picks]\nrefresh = 7:20\n"
                "[scanner]\nenabled = on\nhours = 15:30-09:00\n"
                "exclude = 5930\nrankings = price\n");
  CAF_CHECK(has_error("key 'portfolio.cano': '1234' is not 8 digits"));
  CAF_CHECK(has_error("key 'picks.refresh': '7:20' is not HH:MM"));
  CAF_CHECK(has_error("key 'scanner.hours': '15:30-09:00'"));
  CAF_CHECK(has_error("key 'scanner.exclude': '5930'"));
  CAF_CHECK(has_error("key 'scanner.rankings': 'price' is not"));
  CAF_CHECK(has_error("key 'scanner.enabled': paper trading has no ranking"));
  CAF_CHECK_EQUAL(o.sources.rest_rate, 2.0);
}

CAF_TEST(the simulator gets portfolio sync on its first account) {
  auto o = read("[kis]\nenv = sim\n");
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.sources.cano, "50000001");
  CAF_CHECK(!o.sources.scanner);
  CAF_CHECK(o.sources.picks_db.empty());
  CAF_CHECK(o.sources.token_dir.empty());
  auto off = read("[kis]\nenv = sim\n[portfolio]\nenabled = off\n");
  CAF_CHECK(off.sources.cano.empty());
}

CAF_TEST(portfolio accounts name the session that owns them) {
  vars = {{"K1", "A"}, {"S1", "B"}, {"K2", "C"}, {"S2", "D"}};
  auto sessions = std::string{
      "[kis]\nenv = real\n[session.a]\napp_key_env = K1\n"
      "app_secret_env = S1\nhts_id = me\n[session.b]\napp_key_env = K2\n"
      "app_secret_env = S2\nhts_id = me\n"};
  auto o = read(sessions
                + "[portfolio]\naccounts = 12345678@b, 87654321\n"
                  "overseas = on\noverseas_exchanges = NASD, SEHK\n");
  CAF_CHECK_EQUAL(errors, std::vector<std::string>{});
  auto& so = o.sources;
  CAF_REQUIRE_EQUAL(so.accounts.size(), 2u);
  CAF_CHECK_EQUAL(so.accounts[0].cano, "12345678");
  CAF_CHECK_EQUAL(so.accounts[0].session, 1u);
  CAF_CHECK_EQUAL(so.accounts[1].cano, "87654321");
  CAF_CHECK_EQUAL(so.accounts[1].session, 0u);
  CAF_CHECK_EQUAL(so.cano, "12345678");
  CAF_CHECK(so.overseas);
  CAF_CHECK_EQUAL(so.overseas_exchanges,
                  (std::vector<std::string>{"NASD", "SEHK"}));
  // portfolio.cano is one account on the first session.
  auto one = read(sessions + "[portfolio]\ncano = 12345678\n");
  CAF_REQUIRE_EQUAL(one.sources.accounts.size(), 1u);
  CAF_CHECK_EQUAL(one.sources.accounts[0].session, 0u);
  CAF_CHECK(!one.sources.overseas);
  read(sessions
       + "[portfolio]\ncano = 12345678\naccounts = 1234@c, 12345678@x, "
         "87654321, 87654321\noverseas_exchanges = NAS\n");
  CAF_CHECK(has_error("set portfolio.accounts or portfolio.cano, not both"));
  CAF_CHECK(has_error("key 'portfolio.accounts': '1234' is not 8 digits"));
  CAF_CHECK(has_error("no session named 'x'"));
  CAF_CHECK(has_error("'87654321' is listed twice"));
  CAF_CHECK(has_error("key 'portfolio.overseas_exchanges': 'NAS' is not"));
}

CAF_TEST(the gateway clock anchors to clock.kst_start or the simulator day) {
  using namespace std::chrono;
  // 2025-01-06 00:30 UTC is 09:30 KST on Monday 2025-01-06.
  system_clock::time_point utc{seconds{1736123400}};
  mono_time t0{hours{5}};
  auto real = gateway_clock(read("[kis]\nenv = real\n"), t0, utc, 7200);
  CAF_CHECK_EQUAL(real.to_kst(t0).second, 9 * 3600 + 30 * 60);
  // The embedded simulator's KST start, unless sim.kst_start says.
  auto simu = gateway_clock(read("[kis]\nsim = true\n"), t0, utc, 7200);
  CAF_CHECK_EQUAL(simu.to_kst(t0).second, 7200);
  CAF_CHECK_EQUAL(simu.to_kst(t0).day, real.to_kst(t0).day);
  auto set = gateway_clock(read("[kis]\nsim = true\n[sim]\nkst_start = "
                                "10:00:05\n"),
                           t0, utc, 7200);
  CAF_CHECK_EQUAL(set.to_kst(t0).second, 36005);
  // clock.kst_start wins, with or without a simulator.
  auto clock = gateway_clock(read("[kis]\nenv = real\n[clock]\nkst_start = "
                                  "14:00:00\n"),
                             t0, utc, 7200);
  CAF_CHECK_EQUAL(clock.to_kst(t0 + seconds{1}).second, 14 * 3600 + 1);
}

CAF_TEST(a gateway without an embedded simulator refuses kis.sim) {
  auto o = read("[kis]\nsim = true\n");
  o.admin = false;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  gateway gw{o}; // no embedded_kis_factory: this binary has no simulator
  std::string what;
  try {
    gw.start(sys);
  } catch (const std::runtime_error& ex) {
    what = ex.what();
  }
  CAF_CHECK_EQUAL(
      what.rfind("kis.sim: this program has no embedded simulator", 0), 0u);
  CAF_CHECK(gw.simulator() == nullptr);
  gw.stop(std::chrono::milliseconds{200});
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(the shipped example configurations are valid) {
  for (auto name : {"sim.conf", "paper.conf", "real.conf"}) {
    CAF_MESSAGE("config/" << name);
    config_file cfg;
    auto errs = cfg.load(std::string{KISRT_SOURCE_DIR} + "/config/" + name);
    CAF_CHECK_EQUAL(errs, std::vector<std::string>{});
    std::vector<std::string> errors;
    std::map<std::string, std::string> vars{{"KISRT_S1_APP_KEY", "K"},
                                            {"KISRT_S1_APP_SECRET", "S"}};
    auto o = read_options(
        cfg,
        [&](const char* n) -> std::optional<std::string> {
          if (auto it = vars.find(n); it != vars.end())
            return it->second;
          return std::nullopt;
        },
        errors);
    // real.conf's s2 points at a secrets file that exists only on a
    // trader's machine; everything else must be clean.
    for (auto& e : errors)
      CAF_CHECK(e.find("session.s2") != std::string::npos);
    CAF_CHECK(!o.sessions.empty());
  }
}
