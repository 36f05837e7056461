// SPDX-License-Identifier: Apache-2.0
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sim/net.hpp"

namespace kisrt::sim {

namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const noexcept { F(p); }
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string{"self-signed certificate: "} + what);
}

std::string bio_string(BIO* b) {
  char* data = nullptr;
  auto n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string read_file(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(std::string{flag} + ": cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

tls_material make_self_signed() {
  pkey_ptr key{EVP_EC_gen("P-256")};
  if (!key)
    fail("key generation failed");
  x509_ptr x{X509_new()};
  if (!x)
    fail("X509_new failed");
  X509_set_version(x.get(), 2);
  long serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial));
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial & 0x7fffffff);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 365L * 24 * 3600);
  X509_set_pubkey(x.get(), key.get());
  auto* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(
      name, "O", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("kisrt-sim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
  auto* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name,
                                  "DNS:localhost,IP:127.0.0.1");
  if (ext == nullptr)
    fail("subjectAltName");
  X509_add_ext(x.get(), ext, -1);
  X509_EXTENSION_free(ext);
  if (X509_sign(x.get(), key.get(), EVP_sha256()) == 0)
    fail("signing failed");
  tls_material out;
  bio_ptr cb{BIO_new(BIO_s_mem())};
  if (!cb || PEM_write_bio_X509(cb.get(), x.get()) != 1)
    fail("PEM certificate");
  out.cert_pem = bio_string(cb.get());
  bio_ptr kb{BIO_new(BIO_s_mem())};
  if (!kb
      || PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0,
                                  nullptr, nullptr)
             != 1)
    fail("PEM key");
  out.key_pem = bio_string(kb.get());
  return out;
}

tls_material load_tls(const std::string& cert_file,
                      const std::string& key_file) {
  return {read_file(cert_file, "--cert"), read_file(key_file, "--key")};
}

} // namespace kisrt::sim
