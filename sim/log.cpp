// SPDX-License-Identifier: Apache-2.0
#include "sim/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace kisrt::sim {

spdlog::logger* log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto l = std::make_shared<spdlog::logger>("kisrt-sim", sink);
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ kisrt-sim: %v");
    return l;
  }();
  return logger.get();
}

bool set_log_level(std::string_view level) {
  auto l = spdlog::level::from_str(std::string{level});
  if (l == spdlog::level::off && level != "off")
    return false;
  log()->set_level(l);
  return true;
}

} // namespace kisrt::sim
