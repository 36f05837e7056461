// SPDX-License-Identifier: Apache-2.0
// Shared by the wire-side e2e suites: the actor system's config, bounded
// receives on a probe, and the endpoints of an in-process simulator.
#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "actors/connection.hpp"
#include "messages/type_ids.hpp"
#include "sim/simulator.hpp"
#include "tests/common/actor_config.hpp"

namespace kisrt::test {

using e2e_config = quiet_test_config;

/// Receives the next message of type T within `timeout`, skipping others.
template <class T>
std::optional<T> next_of(caf::scoped_actor& probe,
                         std::chrono::milliseconds timeout) {
  std::optional<T> result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!result && std::chrono::steady_clock::now() < deadline) {
    probe->receive([&](T& x) { result = std::move(x); }, [&](caf::message&) {},
                   caf::after(deadline - std::chrono::steady_clock::now()) >>
                       [] {});
  }
  return result;
}

/// The simulator's WebSocket and plain REST endpoints for one account.
inline connection_endpoints sim_endpoints(const sim::ports& ports,
                                          std::string app_key,
                                          std::string app_secret) {
  connection_endpoints e;
  e.ws_url = "ws://127.0.0.1:" + std::to_string(ports.ws) + "/tryitout";
  e.rest_url = "http://127.0.0.1:" + std::to_string(ports.rest);
  e.app_key = std::move(app_key);
  e.app_secret = std::move(app_secret);
  return e;
}

} // namespace kisrt::test
