// SPDX-License-Identifier: Apache-2.0
#include "actors/scheduler_tuning.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/thread_hook.hpp>
#include <caf/timespan.hpp>

#include <algorithm>
#include <thread>

#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace kisrt {

namespace {

// Sets the calling thread's timer slack as each CAF thread starts.
class timer_slack_hook : public caf::thread_hook {
public:
  explicit timer_slack_hook(std::uint64_t ns)
      : ns_(ns) {
    // nop
  }

  void init(caf::actor_system&) override {
    // nop
  }

  void thread_started() override {
#ifdef __linux__
    // Best effort: a refusal leaves the default slack.
    static_cast<void>(
        ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(ns_), 0, 0, 0));
#endif
  }

  void thread_terminates() override {
    // nop
  }

private:
  std::uint64_t ns_;
};

} // namespace

std::size_t default_workers(unsigned cores) noexcept {
  if (cores <= 2)
    return 1; // unknown, 1 or 2 cores
  return std::min<std::size_t>(cores - 1, 4);
}

void configure_scheduler(caf::actor_system_config& cfg,
                         const scheduler_options& opts) {
  auto workers = opts.workers;
  if (workers == 0)
    workers = default_workers(std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", workers);
  if (opts.poll_sleep.count() > 0)
    cfg.set("work-stealing.moderate-sleep-duration",
            caf::timespan{opts.poll_sleep});
  if (opts.timer_slack_ns > 0)
    cfg.add_thread_hook<timer_slack_hook>(opts.timer_slack_ns);
}

} // namespace kisrt
