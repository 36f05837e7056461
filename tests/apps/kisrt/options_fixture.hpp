// SPDX-License-Identifier: Apache-2.0
// Reading a configuration text into gateway_options, as the options tests
// of apps/kisrt/ do: one parser call, one environment, one error search.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "apps/kisrt/options.hpp"

namespace kisrt::test {

/// Parses `text` as the file "t.conf" and reads the gateway's options from
/// it; the environment is `env`. Parse and option errors go to `errors`.
inline app::gateway_options
read_config(const std::string& text, std::vector<std::string>& errors,
            const std::map<std::string, std::string>& env = {}) {
  app::config_file cfg;
  auto errs = cfg.parse(text, "t.conf");
  errors.assign(errs.begin(), errs.end());
  return app::read_options(
      cfg,
      [&env](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end())
          return std::nullopt;
        return it->second;
      },
      errors);
}

/// Whether one of `errors` contains `needle`.
inline bool any_contains(const std::vector<std::string>& errors,
                         const std::string& needle) {
  for (auto& e : errors)
    if (e.find(needle) != std::string::npos)
      return true;
  return false;
}

} // namespace kisrt::test
