// SPDX-License-Identifier: Apache-2.0
// configure_scheduler: the worker count and the timer slack reach a real
// actor system (normal scheduler, no timing involved).
#define CAF_SUITE gateway.scheduler_tuning
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include <thread>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "actors/scheduler_tuning.hpp"

using namespace kisrt;

namespace {

struct quiet_config : caf::actor_system_config {
  quiet_config() { set("logger.verbosity", caf::atom("quiet")); }
};

// The timer slack (ns) of the worker thread that runs an actor.
long worker_slack(caf::actor_system& sys) {
  // With an argument: CAF 0.17.6 binds a null reference when a function
  // actor is spawned without one (UBSan).
  auto probe = sys.spawn(
      [](caf::event_based_actor*, int) -> caf::behavior {
        return {[](caf::get_atom) -> long {
#ifdef __linux__
          return static_cast<long>(::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
#else
          return -1;
#endif
        }};
      },
      0);
  long slack = -2;
  caf::scoped_actor self{sys};
  self->request(probe, caf::infinite, caf::get_atom_v)
      .receive([&](long x) { slack = x; }, [](caf::error&) {});
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
  return slack;
}

} // namespace

CAF_TEST(the worker count and the poll sleep reach the scheduler) {
  quiet_config cfg;
  scheduler_options opts;
  opts.workers = 3;
  opts.poll_sleep = std::chrono::microseconds{7};
  configure_scheduler(cfg, opts);
  CAF_CHECK_EQUAL(caf::get_or(cfg, "work-stealing.moderate-sleep-duration",
                              caf::timespan{0}),
                  caf::timespan{std::chrono::microseconds{7}});
  caf::actor_system sys{cfg};
  CAF_CHECK_EQUAL(sys.scheduler().num_workers(), 3u);
}

CAF_TEST(zero workers leaves a core to the network thread) {
  CAF_CHECK_EQUAL(default_workers(0), 1u); // unknown
  CAF_CHECK_EQUAL(default_workers(1), 1u);
  CAF_CHECK_EQUAL(default_workers(2), 1u);
  CAF_CHECK_EQUAL(default_workers(3), 2u);
  CAF_CHECK_EQUAL(default_workers(5), 4u);
  CAF_CHECK_EQUAL(default_workers(64), 4u);
  quiet_config cfg;
  configure_scheduler(cfg, scheduler_options{});
  caf::actor_system sys{cfg};
  CAF_CHECK_EQUAL(sys.scheduler().num_workers(),
                  default_workers(std::thread::hardware_concurrency()));
}

#ifdef __linux__
CAF_TEST(workers run with the configured timer slack) {
  {
    quiet_config cfg;
    scheduler_options opts;
    opts.timer_slack_ns = 1000;
    configure_scheduler(cfg, opts);
    caf::actor_system sys{cfg};
    CAF_CHECK_EQUAL(worker_slack(sys), 1000);
  }
  {
    // 0: the kernel's default stays (inherited from this thread, which the
    // test does not change).
    auto inherited = static_cast<long>(::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    quiet_config cfg;
    scheduler_options opts;
    opts.timer_slack_ns = 0;
    configure_scheduler(cfg, opts);
    caf::actor_system sys{cfg};
    CAF_CHECK_EQUAL(worker_slack(sys), inherited);
  }
}
#endif
