// Bytes as text: hexadecimal, base64url, and the SHA-256 digests the daemon keeps as text
// (migration checksums, session tokens, recordings).
#include "callcenterd/core/encoding.hpp"

#include <openssl/evp.h>

namespace callcenterd::core {
namespace {

constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  auto pos = base64url_alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t bits = 0;
  int pending = 0;
  for (auto byte : bytes) {
    bits = (bits << 8) | byte;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out.push_back(base64url_alphabet[(bits >> pending) & 0x3f]);
    }
  }
  if (pending > 0) out.push_back(base64url_alphabet[(bits << (6 - pending)) & 0x3f]);
  return out;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  // A single leftover character cannot encode a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int pending = 0;
  for (char c : text) {
    int value = base64url_value(c);
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      out.push_back(static_cast<std::uint8_t>((bits >> pending) & 0xff));
    }
  }
  // Non-zero leftover bits mean a second spelling of the same bytes; refuse it.
  if (pending > 0 && (bits & ((1U << pending) - 1)) != 0) return std::nullopt;
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return to_hex({digest, length});
}

}  // namespace callcenterd::core
