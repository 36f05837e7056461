// SPDX-License-Identifier: Apache-2.0
// The scenario runner (docs/scenarios.md): one script against the real
// arbiter, connections, decoder and hub on CAF's deterministic test
// scheduler, with the scripted KIS as the connections' transport and
// simulated time.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "apps/kisrt-scenario/script.hpp"

namespace kisrt::scenario {

struct run_options {
  /// Print every message exchanged (actor messages and wire frames).
  bool trace = false;
  /// Run against the simulator over real sockets in real time; only
  /// scenarios marked `config live=on` run, the others are skipped.
  bool live = false;
};

enum class outcome { pass, fail, skip };

/// Checks a script's `config` lines (values, and that they come first)
/// without running anything; the error names file, line and column.
std::optional<parse_error> check_config(const script& sc);

/// Runs one scenario and prints `PASS file: name` or `FAIL file:line: name`
/// followed by expected vs actual and the slot table (or `SKIP` in live mode
/// for a scenario not marked live).
outcome run(const script& sc, const run_options& opts, std::ostream& out);

} // namespace kisrt::scenario
