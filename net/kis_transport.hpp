// SPDX-License-Identifier: Apache-2.0
// The production transport and approval fetcher of a KIS connection: a
// WebSocket on Beast (net/ws_client) and the approval key over REST
// (POST /oauth2/Approval on net/http_client).
#pragma once

#include <memory>
#include <string>

#include "net/tls.hpp"
#include "net/transport.hpp"

namespace kisrt::net {

class io_runner;

/// Transports to `ws_url` (ws:// or wss:// with `tls`) on `io`. A bad URL
/// is reported by each transport's start() as closed("connect", ...).
transport_factory ws_transport_factory(std::shared_ptr<io_runner> io,
                                       std::string ws_url, tls_options tls);

/// Approval keys from the KIS REST server at `rest_url` for `app_key`;
/// `app_secret` goes only into the request body. Throws std::runtime_error
/// for a bad URL or TLS setup.
approval_fetcher rest_approval_fetcher(std::shared_ptr<io_runner> io,
                                       const std::string& rest_url,
                                       tls_options tls, std::string app_key,
                                       std::string app_secret);

} // namespace kisrt::net
