// SPDX-License-Identifier: Apache-2.0
// <kisrt/gateway.hpp>: the gateway's actors in your own caf::actor_system
// (target kisrt::gateway, docs/embedding.md, "Level 1"). With `kis.sim`,
// pass app::embedded_simulator() (apps/kisrt/embedded_sim.hpp) to the
// gateway; the in-process simulator of gateway::simulator() is
// "sim/simulator.hpp".
#pragma once

#include "actors/scheduler_tuning.hpp"
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "kisrt/version.hpp"
#include "messages/actors.hpp"
#include "messages/type_ids.hpp"
