// SPDX-License-Identifier: Apache-2.0
// kisrt: the gateway (default) and its tools (`kisrt decode`).
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <pthread.h>
#include <unistd.h>

#include "apps/common/version.hpp"
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/live_table.hpp"
#include "apps/kisrt/logging.hpp"
#include "messages/type_ids.hpp"

namespace kisrt::app {
int decode_main(int argc, char** argv);
int picks_main(int argc, char** argv);
} // namespace kisrt::app

namespace {

constexpr const char* usage =
    "usage: kisrt [--config FILE] [--set section.key=value]... [--sim]\n"
    "             [--admin HOST:PORT|off]\n"
    "             [--publish [HOST:]PORT] [--stream HOST:PORT]\n"
    "             [--log-level LEVEL] [--no-table]\n"
    "       kisrt decode [--key K --iv IV | --keys FILE] [FILE...]\n"
    "       kisrt picks import [--db PATH] FILE | show [--db PATH] DATE\n"
    "       kisrt --version\n"
    "  --config FILE   gateway configuration (docs/configuration.md)\n"
    "  --set K=V       override one key of the configuration\n"
    "  --sim           start the KIS simulator in-process and use it\n"
    "                  (without --config: config/sim.conf, built in)\n"
    "  --admin H:P     admin HTTP API (loopback; port 0 = the OS chooses)\n"
    "  --publish H:P   serve remote kisrt-node processes (CAF middleman;\n"
    "                  loopback without HOST; off loopback mutual TLS is\n"
    "                  required)\n"
    "  --stream H:P    WebSocket JSON stream for any language "
    "(docs/stream.md;\n"
    "                  off loopback: TLS and stream.token_env)\n"
    "  --log-level L   trace, debug, info (default), warn, error or off\n"
    "                  (the key log.level)\n"
    "  --no-table      no live table on a terminal: log lines only\n";

struct gateway_config : caf::actor_system_config {
  gateway_config() {
    add_message_types<caf::id_block::kisrt>();
    set("logger.verbosity", caf::atom("quiet"));
  }
};

// config/sim.conf as built: what `kisrt --sim` runs without --config.
constexpr const char* embedded_sim_conf =
#include "kisrt/sim_conf.inc"
    ;

int run_gateway(int argc, char** argv) {
  kisrt::app::config_file cfg;
  std::vector<std::string> errors;
  bool no_table = false;
  { // --sim alone has the demand of config/sim.conf (holdings, picks,
    // scanner); the command line's --set still overrides it.
    bool sim = false;
    bool config = false;
    for (int i = 1; i < argc; ++i) {
      sim = sim || std::string_view{argv[i]} == "--sim";
      config = config || std::string_view{argv[i]} == "--config";
    }
    if (sim && !config)
      for (auto& e : cfg.parse(embedded_sim_conf, "config/sim.conf"))
        errors.push_back(e);
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "kisrt: " << name << " needs a value\n" << usage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--config") {
      for (auto& e : cfg.load(value("--config")))
        errors.push_back(e);
    } else if (arg == "--set") {
      if (auto err = cfg.set(value("--set")))
        errors.push_back(*err);
    } else if (arg == "--sim") {
      cfg.set("kis.sim=true");
    } else if (arg == "--admin") {
      cfg.set(std::string{"admin.listen="} + value("--admin"));
    } else if (arg == "--publish") { // remote nodes (docs/nodes.md)
      cfg.set(std::string{"publish.listen="} + value("--publish"));
    } else if (arg == "--stream") { // WebSocket JSON (docs/stream.md)
      cfg.set(std::string{"stream.listen="} + value("--stream"));
    } else if (arg == "--log-level") {
      cfg.set(std::string{"log.level="} + value("--log-level"));
    } else if (arg == "--no-table") {
      no_table = true;
    } else if (arg == "--allow-plaintext-remote") {
      // Refused by the configuration check with a clear error: mutual TLS
      // is the only way off loopback (docs/security.md).
      cfg.set("publish.allow_plaintext_remote=true");
    } else if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    } else {
      std::cerr << "kisrt: unknown argument "
                << kisrt::app::config_file::quote(arg) << '\n'
                << usage;
      return 2;
    }
  }
  auto env = [](const char* name) -> std::optional<std::string> {
    if (auto* v = std::getenv(name))
      return std::string{v};
    return std::nullopt;
  };
  auto opts = kisrt::app::read_options(cfg, env, errors);
  if (!errors.empty()) {
    for (auto& e : errors)
      std::cerr << "kisrt: config: " << e << '\n';
    return 2;
  }
  // stdout carries only the {"admin_port":N} line (and {"publish_port":N}
  // with --publish, then {"stream_port":N} with --stream); logs go to
  // stderr. While the live table owns a
  // terminal that stderr also writes to, log lines go to a ring instead,
  // shown under the table (they would scroll it away).
  bool table = !no_table && ::isatty(STDOUT_FILENO) != 0;
  std::shared_ptr<kisrt::app::log_ring> ring;
  if (table && ::isatty(STDERR_FILENO) != 0)
    ring = std::make_shared<kisrt::app::log_ring>();
  kisrt::app::setup_logging(opts.log_level, ring);
  // Signals go to the main thread only: block them before any thread
  // starts, then wait for one.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  gateway_config sys_cfg;
  kisrt::app::configure_publish(sys_cfg, opts.publish);
  kisrt::configure_scheduler(sys_cfg, opts.scheduler);
  caf::actor_system sys{sys_cfg};
  kisrt::app::gateway gw{opts, kisrt::app::embedded_simulator()};
  // Back to stderr (with the ring's lines when no table showed them).
  auto to_stderr = [&](bool replay) {
    if (ring) {
      kisrt::app::setup_logging(opts.log_level);
      if (replay)
        for (auto& line : ring->last(50))
          std::cerr << line << '\n';
      ring.reset();
    }
  };
  try {
    gw.start(sys);
  } catch (const std::exception& e) {
    to_stderr(true);
    std::cerr << "kisrt: " << e.what() << '\n';
    return 1;
  }
  std::vector<std::string> head; // the stdout lines, also atop the table
  if (opts.admin)
    head.push_back("{\"admin_port\":" + std::to_string(gw.admin_port()) + "}");
  if (opts.publish.enabled) // a second line, after the admin port
    head.push_back("{\"publish_port\":" + std::to_string(gw.publish_port())
                   + "}");
  if (opts.stream.enabled) // after the admin and publish lines
    head.push_back("{\"stream_port\":" + std::to_string(gw.stream_port())
                   + "}");
  for (auto& line : head)
    std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  spdlog::info("gateway running: {} session(s), env {}; Ctrl-C to stop",
               opts.sessions.size(), opts.env);
  // -- live view: a table on a terminal, else a log line every 30 s --------
  kisrt::app::live_view view{sys, gw,   table, std::chrono::seconds{1},
                             30,  head, ring};
  int sig = 0;
  sigwait(&set, &sig);
  view.stop();
  to_stderr(false);
  spdlog::info("signal {}: shutting down",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  gw.stop(std::chrono::seconds{2});
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt"))
    return 0;
  // Whatever escapes a command (std::bad_alloc from hostile input, a bug)
  // is one line and exit status 2, never std::terminate's abort.
  try {
    if (argc >= 2 && std::strcmp(argv[1], "decode") == 0)
      return kisrt::app::decode_main(argc - 1, argv + 1);
    if (argc >= 2 && std::strcmp(argv[1], "picks") == 0)
      return kisrt::app::picks_main(argc - 1, argv + 1);
    return run_gateway(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kisrt: error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "kisrt: error: unknown exception\n";
  }
  return 2;
}
