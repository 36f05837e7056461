// SPDX-License-Identifier: Apache-2.0
// The simulator's network layer (Beast/Asio lives only in the .cpp files):
// listeners for the WebSocket, REST and admin ports.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace kisrt::sim {

class engine;

class listener {
public:
  virtual ~listener() = default;
  virtual std::uint16_t port() const = 0;
  /// Stops accepting and closes the connections it still tracks.
  virtual void stop() = 0;
  /// WebSocket only: close the acceptor (connections get refused) or
  /// re-open it on the same port.
  virtual void set_refusing(bool) {
    // nop
  }
};

std::unique_ptr<listener> make_ws_listener(boost::asio::io_context& ioc,
                                           engine& eng,
                                           const std::string& address,
                                           std::uint16_t port,
                                           std::size_t max_queue_bytes);

/// Certificate and key, PEM.
struct tls_material {
  std::string cert_pem;
  std::string key_pem;
};

/// A self-signed certificate for localhost/127.0.0.1 (EC P-256), made with
/// the OpenSSL API.
tls_material make_self_signed();

/// Reads PEM files; throws std::runtime_error naming the file.
tls_material load_tls(const std::string& cert_file,
                      const std::string& key_file);

enum class http_role { rest, admin };

/// An HTTP(S) listener; `tls` null means plain HTTP.
std::unique_ptr<listener> make_http_listener(boost::asio::io_context& ioc,
                                             engine& eng,
                                             const std::string& address,
                                             std::uint16_t port, http_role role,
                                             const tls_material* tls);

} // namespace kisrt::sim
