#pragma once

#include <filesystem>
#include <string>

#include "callcenterd/api/http_server.hpp"

namespace callcenterd::api::test {

// A throwaway self-signed certificate for 127.0.0.1 (and localhost) with its P-256 key, as PEM
// files in a private temporary directory that goes with the object. Made by OpenSSL in
// process, so the tests need no openssl binary and no fixture files that could expire.
class tls_identity {
 public:
  tls_identity();
  ~tls_identity();
  tls_identity(const tls_identity&) = delete;
  tls_identity& operator=(const tls_identity&) = delete;

  [[nodiscard]] const std::filesystem::path& certificate_file() const { return cert_file_; }
  [[nodiscard]] const std::filesystem::path& private_key_file() const { return key_file_; }
  [[nodiscard]] const std::filesystem::path& directory() const { return directory_; }
  [[nodiscard]] http_tls_settings settings() const { return {cert_file_, key_file_}; }

  // Writes `text` to a file of that name in the directory; its path.
  [[nodiscard]] std::filesystem::path write(const std::string& name, const std::string& text) const;
  // Another key of the same kind, which does not match certificate_file().
  [[nodiscard]] std::filesystem::path write_other_key(const std::string& name) const;
  // private_key_file()'s key encrypted with a passphrase.
  [[nodiscard]] std::filesystem::path write_encrypted_key(const std::string& name) const;

 private:
  std::filesystem::path directory_;
  std::filesystem::path cert_file_;
  std::filesystem::path key_file_;
};

}  // namespace callcenterd::api::test
