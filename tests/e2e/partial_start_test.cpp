// SPDX-License-Identifier: Apache-2.0
// A gateway whose start() throws part-way: stop() (and the destructor, and
// the callback facade's constructor) must cope with whatever was started.
// Two deterministic failures: the embedded simulator refuses a holding of a
// code it does not list (before any actor exists), and the admin port is
// taken (after every actor and the simulator run). Waits are bounded.
#define CAF_SUITE e2e.partial_start
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "apps/kisrt/client.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "messages/type_ids.hpp"
#include "tests/e2e/wire_fixture.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

using test::e2e_config;

// A loopback TCP port held in LISTEN state for the fixture's lifetime.
struct taken_port {
  int fd = -1;
  std::uint16_t port = 0;

  taken_port() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0
        || ::listen(fd, 1) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("test: cannot hold a loopback port");
    port = ntohs(a.sin_port);
  }

  ~taken_port() {
    if (fd >= 0)
      ::close(fd);
  }
};

struct fixture {
  std::string dir;
  e2e_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  fixture() {
    char tmpl[] = "/tmp/kisrt-e2e-partial-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }

  ~fixture() {
    [[maybe_unused]] auto rc = std::system(("rm -rf '" + dir + "'").c_str());
  }

  // Options of an embedded-simulator gateway plus `extra` config lines.
  app::gateway_options options(const std::string& extra) {
    app::config_file cf;
    auto text = "[kis]\nenv = sim\n[portfolio]\npoll_interval = 1h\n"
                "[picks]\ndb = "
                + dir
                + "/picks.db\n"
                  "[scanner]\nenabled = true\npoll_interval = 1h\n"
                + extra;
    auto errs = cf.parse(text, "partial.conf");
    std::vector<std::string> errors{errs.begin(), errs.end()};
    auto o = app::read_options(
        cf, [](const char*) { return std::optional<std::string>{}; }, errors);
    for (auto& e : errors)
      CAF_FAIL("config: " << e);
    return o;
  }

  // handles() refuses once stop() ended the actors.
  static bool handles_gone(const app::gateway& gw) {
    try {
      gw.handles();
    } catch (const std::logic_error&) {
      return true;
    }
    return false;
  }

  // The reason start() gives, or "" when it does not throw.
  static std::string start_error(app::gateway& gw, caf::actor_system& sys) {
    try {
      gw.start(sys);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return {};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(e2e_partial_start_tests, fixture)

CAF_TEST(a simulator that fails to start leaves a gateway stop can end) {
  app::gateway gw{options("[demand]\nholdings = ZZZZZZ\n"),
                  app::embedded_simulator()};
  auto what = start_error(gw, sys);
  CAF_CHECK(what.find("ZZZZZZ") != std::string::npos);
  CAF_CHECK_EQUAL(gw.admin_port(), 0u);
  gw.stop(1s);
  gw.stop(1s); // idempotent
  CAF_CHECK(handles_gone(gw));
} // the destructor stops a third time

CAF_TEST(a taken admin port ends every actor start spawned at stop) {
  taken_port held;
  app::gateway gw{options("[admin]\nlisten = 127.0.0.1:"
                          + std::to_string(held.port) + "\n"),
                  app::embedded_simulator()};
  auto what = start_error(gw, sys);
  CAF_CHECK(what.find(std::to_string(held.port)) != std::string::npos);
  // Everything before the admin API runs: the core actors and the sources.
  auto h = gw.handles();
  auto s = gw.sources();
  CAF_REQUIRE(s.portfolio && s.picks && s.scanner);
  std::vector<caf::actor> spawned{caf::actor_cast<caf::actor>(h.arbiter),
                                  caf::actor_cast<caf::actor>(h.hub),
                                  caf::actor_cast<caf::actor>(h.decoder),
                                  caf::actor_cast<caf::actor>(*s.portfolio),
                                  caf::actor_cast<caf::actor>(*s.picks),
                                  caf::actor_cast<caf::actor>(*s.scanner)};
  for (auto& a : spawned)
    self->monitor(a);
  gw.stop(1s);
  std::size_t down = 0;
  bool timed_out = false;
  while (down < spawned.size() && !timed_out)
    self->receive([&](const caf::down_msg&) { ++down; },
                  caf::after(std::chrono::seconds{10}) >>
                      [&] { timed_out = true; });
  CAF_CHECK_EQUAL(down, spawned.size());
  gw.stop(1s); // idempotent
  CAF_CHECK(handles_gone(gw));
  CAF_CHECK(gw.simulator() != nullptr);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(the facade constructor throws the reason of a failed start) {
  client_options o;
  o.sim = true;
  o.overrides = {"demand.holdings=ZZZZZZ"};
  std::string what;
  try {
    client kis{o};
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CAF_CHECK(what.find("ZZZZZZ") != std::string::npos);
}

CAF_TEST(the facade constructor survives a taken admin port) {
  taken_port held;
  client_options o;
  o.sim = true;
  o.overrides = {"admin.listen=127.0.0.1:" + std::to_string(held.port)};
  std::string what;
  try {
    client kis{o};
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  CAF_CHECK(what.find(std::to_string(held.port)) != std::string::npos);
}
