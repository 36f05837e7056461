// SPDX-License-Identifier: Apache-2.0
// kisrt-sim: prints the bound ports as one JSON line on stdout, logs on
// stderr, runs until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <pthread.h>

#include "apps/common/version.hpp"
#include "sim/cli.hpp"
#include "sim/simulator.hpp"

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt-sim"))
    return 0;
  using namespace kisrt::sim;
  options opts;
  std::string error;
  std::vector<std::string> args(argv + 1, argv + argc);
  switch (parse_cli(args, opts, error)) {
    case cli_result::help: std::fputs(cli_usage().c_str(), stdout); return 0;
    case cli_result::error:
      std::fprintf(stderr, "kisrt-sim: %s\n", error.c_str());
      return 2;
    case cli_result::run: break;
  }
  // Block the stop signals before any thread starts; main waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    simulator sim{opts};
    auto p = sim.start();
    std::printf("{\"ws_port\":%u,\"rest_port\":%u,\"admin_port\":%u}\n",
                static_cast<unsigned>(p.ws), static_cast<unsigned>(p.rest),
                static_cast<unsigned>(p.admin));
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::fprintf(stderr, "kisrt-sim: signal %d, shutting down\n", sig);
    sim.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kisrt-sim: %s\n", e.what());
    return 1;
  }
  return 0;
}
