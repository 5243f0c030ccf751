#pragma once

#include <filesystem>
#include <string>

namespace callcenterd::sip::test {

// A self-signed certificate (EC P-256, CN=localhost, SAN IP:127.0.0.1) and its key, written as
// PEM into a fresh temporary directory that is removed with the object.
class test_certificate {
 public:
  test_certificate();
  ~test_certificate();
  test_certificate(const test_certificate&) = delete;
  test_certificate& operator=(const test_certificate&) = delete;

  [[nodiscard]] std::string certificate_file() const { return (dir_ / "cert.pem").string(); }
  [[nodiscard]] std::string key_file() const { return (dir_ / "key.pem").string(); }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace callcenterd::sip::test
