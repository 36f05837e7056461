// SPDX-License-Identifier: Apache-2.0
#include "net/kis/aes.hpp"

#include <openssl/evp.h>

#include <cstring>

#include "net/kis/base64.hpp"

namespace kisrt::kis {

struct aes_key::impl {
  EVP_CIPHER_CTX* dec = nullptr;
  EVP_CIPHER_CTX* enc = nullptr;
  unsigned char iv[16] = {};
  bool ready = false;

  ~impl() {
    EVP_CIPHER_CTX_free(dec);
    EVP_CIPHER_CTX_free(enc);
  }
};

aes_key::aes_key()
    : impl_(std::make_unique<impl>()) {
  // nop
}

aes_key::~aes_key() = default;
aes_key::aes_key(aes_key&&) noexcept = default;
aes_key& aes_key::operator=(aes_key&&) noexcept = default;

bool aes_key::valid() const noexcept {
  return impl_ && impl_->ready;
}

codec_error aes_key::set(std::string_view key, std::string_view iv) {
  if (!impl_)
    impl_ = std::make_unique<impl>();
  impl_->ready = false;
  if (key.size() != 32)
    return make_error(errc::decrypt_failed, {},
                      "AES-256 key must be 32 bytes, got "
                          + std::to_string(key.size()));
  if (iv.size() != 16)
    return make_error(errc::decrypt_failed, {},
                      "AES iv must be 16 bytes, got "
                          + std::to_string(iv.size()));
  if (impl_->dec == nullptr)
    impl_->dec = EVP_CIPHER_CTX_new();
  if (impl_->enc == nullptr)
    impl_->enc = EVP_CIPHER_CTX_new();
  if (impl_->dec == nullptr || impl_->enc == nullptr)
    return make_error(errc::decrypt_failed, {}, "out of memory");
  auto k = reinterpret_cast<const unsigned char*>(key.data());
  std::memcpy(impl_->iv, iv.data(), 16);
  if (EVP_DecryptInit_ex(impl_->dec, EVP_aes_256_cbc(), nullptr, k, impl_->iv)
          != 1
      || EVP_EncryptInit_ex(impl_->enc, EVP_aes_256_cbc(), nullptr, k,
                            impl_->iv)
             != 1)
    return make_error(errc::decrypt_failed, {}, "cipher initialization");
  impl_->ready = true;
  return {};
}

codec_error aes_key::decrypt_base64(std::string_view b64, std::string& out,
                                    std::string& scratch) const {
  out.clear();
  if (!valid())
    return make_error(errc::missing_key, {}, "no AES key set");
  auto bad = base64_decode(b64, scratch);
  if (bad != std::string_view::npos)
    return make_error(errc::bad_base64, {},
                      bad == b64.size() ? "length is not a multiple of 4"
                                        : "invalid base64 character",
                      -1, -1, static_cast<std::int64_t>(bad));
  if (scratch.empty() || scratch.size() % 16 != 0)
    return make_error(errc::bad_ciphertext, {},
                      "ciphertext of " + std::to_string(scratch.size())
                          + " bytes is not a positive multiple of 16");
  auto* ctx = impl_->dec;
  // Re-arm with the iv only: the key schedule stays.
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, impl_->iv) != 1)
    return make_error(errc::decrypt_failed, {}, "cipher re-initialization");
  out.resize(scratch.size() + 16);
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len1 = 0;
  int len2 = 0;
  if (EVP_DecryptUpdate(ctx, o, &len1,
                        reinterpret_cast<const unsigned char*>(scratch.data()),
                        static_cast<int>(scratch.size()))
          != 1
      || EVP_DecryptFinal_ex(ctx, o + len1, &len2) != 1) {
    out.clear();
    return make_error(errc::decrypt_failed, {},
                      "bad padding after decryption (wrong key or iv, or "
                      "corrupt ciphertext)");
  }
  out.resize(static_cast<std::size_t>(len1 + len2));
  return {};
}

codec_error aes_key::encrypt_base64(std::string_view plain,
                                    std::string& out) const {
  out.clear();
  if (!valid())
    return make_error(errc::missing_key, {}, "no AES key set");
  auto* ctx = impl_->enc;
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, impl_->iv) != 1)
    return make_error(errc::decrypt_failed, {}, "cipher re-initialization");
  std::string cipher(plain.size() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(cipher.data());
  int len1 = 0;
  int len2 = 0;
  if (EVP_EncryptUpdate(ctx, o, &len1,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size()))
          != 1
      || EVP_EncryptFinal_ex(ctx, o + len1, &len2) != 1)
    return make_error(errc::decrypt_failed, {}, "encryption failed");
  cipher.resize(static_cast<std::size_t>(len1 + len2));
  base64_encode(cipher, out);
  return {};
}

} // namespace kisrt::kis
