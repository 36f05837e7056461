// SPDX-License-Identifier: Apache-2.0
#include "net/detail/tls.hpp"

#include <stdexcept>

namespace kisrt::net::detail {

std::shared_ptr<boost::asio::ssl::context>
make_client_context(const tls_options& opts) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                   | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                   | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (!opts.ca_file.empty()) {
    ctx->load_verify_file(opts.ca_file, ec);
    if (ec)
      throw std::runtime_error("cannot load CA file " + opts.ca_file + ": "
                               + ec.message());
  } else {
    ctx->set_default_verify_paths(ec);
    if (ec)
      throw std::runtime_error("cannot load the system CA store: "
                               + ec.message());
  }
  ctx->set_verify_mode(opts.verify ? ssl::verify_peer : ssl::verify_none);
  return ctx;
}

} // namespace kisrt::net::detail
