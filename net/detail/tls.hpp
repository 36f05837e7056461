// SPDX-License-Identifier: Apache-2.0
// Private to net/: building an OpenSSL client context from tls_options.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "net/tls.hpp"

namespace kisrt::net::detail {

/// A client context (TLS 1.2+) per the options; throws std::runtime_error
/// naming the CA file when it cannot be loaded.
std::shared_ptr<boost::asio::ssl::context>
make_client_context(const tls_options& opts);

} // namespace kisrt::net::detail
