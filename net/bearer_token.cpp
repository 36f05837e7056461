// SPDX-License-Identifier: Apache-2.0
#include "net/bearer_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace kisrt::net {

namespace {

std::array<unsigned char, 32> sha256(std::string_view s) {
  std::array<unsigned char, 32> d{};
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), d.data(), &len, EVP_sha256(), nullptr);
  return d;
}

} // namespace

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
    auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
    if (x != y)
      return false;
  }
  return true;
}

bearer_token::bearer_token(std::string_view token)
    : empty_(token.empty())
    , digest_(sha256(token)) {
  // nop
}

std::string bearer_token::check(const std::string_view* authorization) const {
  if (empty_)
    return {};
  if (authorization == nullptr || authorization->size() < 7
      || !iequals_ascii(authorization->substr(0, 7), "bearer "))
    return "no bearer token";
  auto token = authorization->substr(7);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  // Equal-length digests compared in constant time.
  auto given = sha256(token);
  if (CRYPTO_memcmp(given.data(), digest_.data(), given.size()) != 0)
    return "wrong bearer token";
  return {};
}

} // namespace kisrt::net
