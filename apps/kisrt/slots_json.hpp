// SPDX-License-Identifier: Apache-2.0
// The admin API's `GET /slots` body, from the arbiter's snapshot:
// {"sessions":[{"id":"s1","up":true,"cap":41,"learned_cap":41,"used":N}],
//  "slots":[{"session":"s1","tr_id":"H0STCNT0","tr_key":"005930",
//            "priority":1,"state":"active","owners":["holding"]}]}
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "messages/slot_snapshot.hpp"

namespace kisrt::app {

/// Names a session id as configured ("s1"); the default is "s" + (id + 1).
using session_namer = std::function<std::string(session_id)>;

std::string slots_json(const slot_snapshot& snap,
                       const session_namer& name = {});

/// Appends a slot's owners as a JSON array: a named request by its name,
/// every other owner by its kind (["holding","alpha"]).
void append_owners_json(std::string& out, const std::vector<owner_ref>& owners);

} // namespace kisrt::app
