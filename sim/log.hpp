// SPDX-License-Identifier: Apache-2.0
// The simulator's logger: stderr only (stdout carries the port line).
#pragma once

#include <memory>
#include <string_view>

namespace spdlog {
class logger;
} // namespace spdlog

namespace kisrt::sim {

/// The "kisrt-sim" logger, created on first use.
spdlog::logger* log();

/// Sets its level by name ("trace" .. "off"); false for an unknown name.
bool set_log_level(std::string_view level);

} // namespace kisrt::sim
