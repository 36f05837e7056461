// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace kisrt::net {

/// TLS settings of an outgoing connection. Verification is on unless
/// explicitly turned off (meant for the simulator's self-signed
/// certificate only).
struct tls_options {
  bool verify = true;
  /// PEM bundle of trusted CAs; empty = the system store.
  std::string ca_file;
};

} // namespace kisrt::net
