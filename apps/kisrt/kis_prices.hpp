// SPDX-License-Identifier: Apache-2.0
// The gateway's price source for snapshots: inquire-price (FHKST01010100)
// for domestic keys, the overseas price call (HHDFS00000300) for RSYM keys,
// through kis_rest (the app key's token and rate limiter).
#pragma once

#include <memory>

#include "actors/snapshot_fetcher.hpp"
#include "apps/kisrt/kis_sources.hpp"

namespace kisrt::app {

std::shared_ptr<price_source> make_price_source(std::shared_ptr<kis_rest> rest);

} // namespace kisrt::app
