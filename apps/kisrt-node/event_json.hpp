// SPDX-License-Identifier: Apache-2.0
// kisrt-node's JSON lines: the writer the gateway's stream shares
// (actors/event_json.hpp), under the name kisrt-node's code uses.
#pragma once

#include "actors/event_json.hpp"

namespace kisrt::node {

using kisrt::append_event_json;

} // namespace kisrt::node
