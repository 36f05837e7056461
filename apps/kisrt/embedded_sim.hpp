// SPDX-License-Identifier: Apache-2.0
// The in-process KIS simulator (sim/) that `kis.sim` (--sim) starts, in its
// own library, kisrt_embedded_sim: only programs that offer --sim (kisrt,
// the callback facade, the examples, tests) link the simulator.
#pragma once

#include "apps/kisrt/gateway.hpp"

namespace kisrt::app {

/// Starts sim::simulator for the gateway: one demo account per session
/// (CANO 50000001, 50000002, ...; the static holdings, 10 shares each),
/// plain REST, its log at warn; `sim.seed`, `sim.rate`, `sim.kst_start`.
embedded_kis_factory embedded_simulator();

} // namespace kisrt::app
