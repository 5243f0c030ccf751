#include "tls_identity.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace callcenterd::api::test {

namespace {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct x509_free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct file_close {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using file_ptr = std::unique_ptr<std::FILE, file_close>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("tls_identity: ") + what);
}

pkey_ptr new_key() {
  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

file_ptr open_for_writing(const std::filesystem::path& path) {
  file_ptr file(std::fopen(path.c_str(), "wb"));
  check(file != nullptr, "fopen");
  return file;
}

void write_key(const std::filesystem::path& path, EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr,
               const char* passphrase = nullptr) {
  const auto file = open_for_writing(path);
  check(PEM_write_PrivateKey(file.get(), key, cipher, nullptr, 0, nullptr,
                             const_cast<char*>(passphrase)) == 1,
        "PEM_write_PrivateKey");
}

pkey_ptr read_key(const std::filesystem::path& path) {
  file_ptr file(std::fopen(path.c_str(), "rb"));
  check(file != nullptr, "fopen");
  pkey_ptr key(PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr));
  check(key != nullptr, "PEM_read_PrivateKey");
  return key;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  check(extension != nullptr, "X509V3_EXT_conf_nid");
  const int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  check(added == 1, "X509_add_ext");
}

x509_ptr self_signed(EVP_PKEY* key) {
  x509_ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                                   0) == 1,
        "CN");
  check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  add_extension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  check(X509_sign(cert.get(), key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

}  // namespace

tls_identity::tls_identity() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "callcenterd-api-tls-XXXXXX").string();
  check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  directory_ = pattern;
  cert_file_ = directory_ / "cert.pem";
  key_file_ = directory_ / "key.pem";
  const auto key = new_key();
  const auto cert = self_signed(key.get());
  write_key(key_file_, key.get());
  const auto file = open_for_writing(cert_file_);
  check(PEM_write_X509(file.get(), cert.get()) == 1, "PEM_write_X509");
}

tls_identity::~tls_identity() {
  std::error_code ec;
  std::filesystem::remove_all(directory_, ec);
}

std::filesystem::path tls_identity::write(const std::string& name, const std::string& text) const {
  auto path = directory_ / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path;
}

std::filesystem::path tls_identity::write_encrypted_key(const std::string& name) const {
  auto path = directory_ / name;
  const auto key = read_key(key_file_);
  write_key(path, key.get(), EVP_aes_128_cbc(), "secret passphrase");
  return path;
}

std::filesystem::path tls_identity::write_other_key(const std::string& name) const {
  auto path = directory_ / name;
  const auto key = new_key();
  write_key(path, key.get());
  return path;
}

}  // namespace callcenterd::api::test
