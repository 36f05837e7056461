// SPDX-License-Identifier: Apache-2.0
// The actor system configuration of every test that sends kisrt messages:
// kisrt's type-ID block, registered here once.
#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

#include "messages/type_ids.hpp"

namespace kisrt::test {

/// kisrt's type-ID block.
struct actor_test_config : caf::actor_system_config {
  actor_test_config() { add_message_types<caf::id_block::kisrt>(); }
};

/// kisrt's type-ID block, and CAF's logger quiet (tests on real threads).
struct quiet_test_config : actor_test_config {
  quiet_test_config() { set("logger.verbosity", caf::atom("quiet")); }
};

} // namespace kisrt::test
