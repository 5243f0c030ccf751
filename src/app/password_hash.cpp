#include "password_hash.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <string>

namespace callcenterd::app {
namespace {

// The parameters of every hash the site keeps; login's decoy hash uses the same, so a wrong
// name and a wrong password cost the same time.
constexpr std::uint32_t passes = 3;
constexpr std::uint32_t memory_kib = 65536;
constexpr std::uint32_t lanes = 1;
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;

}  // namespace

std::string hash_password(std::string_view password) {
  std::array<unsigned char, salt_bytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("no randomness for a password salt");
  }
  std::string encoded(
      argon2_encodedlen(passes, memory_kib, lanes, salt_bytes, hash_bytes, Argon2_id), '\0');
  const int status =
      argon2id_hash_encoded(passes, memory_kib, lanes, password.data(), password.size(),
                            salt.data(), salt.size(), hash_bytes, encoded.data(), encoded.size());
  if (status != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(status));
  }
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));  // counted the terminator
  return encoded;
}

}  // namespace callcenterd::app
