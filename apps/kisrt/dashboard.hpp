// SPDX-License-Identifier: Apache-2.0
// The web dashboard at GET / of the admin server: one page, its script and
// style built into the binary (nothing loaded from elsewhere, no build
// step). The script polls /dashboard.json every second and draws sessions,
// slots, the latest slot events, records per second and reconnects.
#pragma once

#include <string>

#include "apps/kisrt/metrics.hpp"
#include "net/http_client.hpp"

namespace kisrt::app {

/// The page, its script and its style.
const std::string& dashboard_html();
const std::string& dashboard_js();
const std::string& dashboard_css();

/// Headers for every dashboard asset: its content type, a
/// Content-Security-Policy that forbids loads from elsewhere (and inline
/// scripts), no caching, no framing.
net::header_list dashboard_headers(const std::string& content_type);

/// What the page draws, as JSON (GET /dashboard.json): sessions, slots
/// with their last data, the latest slot events, counters.
std::string dashboard_json(const metrics_input& in,
                           const session_namer_fn& name);

} // namespace kisrt::app
