// SPDX-License-Identifier: Apache-2.0
// Uses an installed kisrt::gateway: kisrt's message types in a
// caf::actor_system of its own (docs/embedding.md, "Level 1").
#include <kisrt/gateway.hpp>

#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

int main() {
  caf::actor_system_config cfg;
  cfg.add_message_types<caf::id_block::kisrt>();
  caf::actor_system sys{cfg};
  kisrt::app::gateway_handles handles;
  std::cout << "kisrt " << KISRT_VERSION << ": gateway handles "
            << (handles.hub ? "set" : "empty") << '\n';
  return handles.hub ? 1 : 0;
}
