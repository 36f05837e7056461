// SPDX-License-Identifier: Apache-2.0
// AES-256-CBC with PKCS#7 padding through OpenSSL EVP, as KIS encrypts
// execution notices. Key and iv are the raw ASCII bytes of the ack's
// `output.key` (32) and `output.iv` (16): never base64-decoded.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "net/kis/error.hpp"

namespace kisrt::kis {

/// One key: its cipher contexts are created once and re-armed with the iv
/// for every message, so a frame costs no allocation and no key schedule.
class aes_key {
public:
  aes_key();
  ~aes_key();
  aes_key(aes_key&&) noexcept;
  aes_key& operator=(aes_key&&) noexcept;
  aes_key(const aes_key&) = delete;
  aes_key& operator=(const aes_key&) = delete;

  /// Sets key (32 bytes) and iv (16 bytes); an error names which is wrong.
  codec_error set(std::string_view key, std::string_view iv);

  bool valid() const noexcept;

  /// base64 ciphertext -> plaintext in `out` (replaced). `scratch` holds the
  /// decoded ciphertext; pass the same string every time to avoid
  /// allocation. Wrong key or corrupt input is an error, never a crash.
  codec_error decrypt_base64(std::string_view b64, std::string& out,
                             std::string& scratch) const;

  /// plaintext -> base64 ciphertext in `out` (replaced). For the simulator
  /// and tests.
  codec_error encrypt_base64(std::string_view plain, std::string& out) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::kis
