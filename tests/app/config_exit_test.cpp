// SPDX-License-Identifier: Apache-2.0
// The kisrt binary on hostile configuration: exit status 2 and one clear
// line, never an abort (std::bad_alloc) or a start with a bad value.
#define CAF_SUITE app.config_exit
#include <caf/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct fixture {
  std::string dir;
  fixture() {
    char tmpl[] = "/tmp/kisrt-config-exit-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~fixture() {
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  /// Runs kisrt with `args` (stdin from /dev/null); the exit status, or -1
  /// when it did not exit normally (an abort); stdout and stderr in `out`.
  int kisrt(const std::string& args, std::string& out) {
    // `timeout`: a configuration wrongly accepted starts the gateway, which
    // would run until killed; that is a failure, not a hang.
    auto cmd = "timeout -s KILL 30 " + std::string{KISRT_BIN_DIR} + "/kisrt "
               + args + " >'" + dir + "/out' 2>&1 </dev/null";
    auto rc = std::system(cmd.c_str());
    std::ifstream in{dir + "/out"};
    std::stringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(config_exit_tests, fixture)

CAF_TEST(an endless config file is refused with exit 2) {
  std::string out;
  CAF_CHECK_EQUAL(kisrt("--config /dev/zero", out), 2);
  CAF_CHECK(out.find("kisrt: config: /dev/zero: the configuration file is "
                     "larger than 1024 KiB")
            != std::string::npos);
}

CAF_TEST(out of bounds values stop the start with exit 2) {
  std::string out;
  CAF_CHECK_EQUAL(
      kisrt("--sim --admin off --set connection.idle_timeout=0", out), 2);
  CAF_CHECK(out.find("kisrt: config: --set: key 'connection.idle_timeout': "
                     "'0' is out of range [10s, 1h]")
            != std::string::npos);
  CAF_CHECK_EQUAL(
      kisrt("--sim --admin off --set slots.tr.holding=H0STCNI0", out), 2);
  CAF_CHECK(out.find("'H0STCNI0' is an execution-notice TR")
            != std::string::npos);
  CAF_CHECK_EQUAL(kisrt("--sim --admin off --set sim.kst_start=10:00:0x", out),
                  2);
  CAF_CHECK(out.find("key 'sim.kst_start': '10:00:0x' is not HH:MM:SS")
            != std::string::npos);
}

CAF_TEST(a huge value is not echoed) {
  std::string out;
  std::ofstream{dir + "/big.conf"}
      << "[kis]\nenv = sim\nws_url = " << std::string(100'000, 'A') << "\n";
  CAF_CHECK_EQUAL(kisrt("--config '" + dir + "/big.conf'", out), 2);
  CAF_CHECK(out.find("key 'kis.ws_url': the value is 100000 bytes, more than "
                     "the 4096-byte limit")
            != std::string::npos);
  CAF_CHECK(out.size() < 1000);
}

CAF_TEST_FIXTURE_SCOPE_END()
