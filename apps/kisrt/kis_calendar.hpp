// SPDX-License-Identifier: Apache-2.0
// The calendar's KIS side: the holiday call (CTCA0903R) through `kis_rest`,
// so it shares the app key's token and REST limiter with every other call.
#pragma once

#include <memory>

#include "actors/calendar.hpp"
#include "apps/kisrt/kis_sources.hpp"

namespace kisrt::app {

/// Every page (at most 10) of chk-holiday from the asked date on.
std::shared_ptr<calendar_source>
make_calendar_source(std::shared_ptr<kis_rest> rest);

} // namespace kisrt::app
