// SPDX-License-Identifier: Apache-2.0
// The --live subset (docs/scenarios.md): a scenario against kisrt-sim
// in-process over loopback sockets, with the real connection actors, in
// real time.
#pragma once

#include <iosfwd>

#include "apps/kisrt-scenario/runner.hpp"
#include "apps/kisrt-scenario/scenario_config.hpp"

namespace kisrt::scenario {

/// Runs one scenario marked `config live=on`; prints PASS or FAIL like the
/// scripted runner. Returns true on pass.
bool run_live(const script& sc, const scenario_config& cfg,
              const run_options& opts, std::ostream& out);

} // namespace kisrt::scenario
