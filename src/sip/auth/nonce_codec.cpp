#include "nonce_codec.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <vector>

#include "auth_text.hpp"

namespace callcenterd::sip::auth_detail {
namespace {

constexpr std::size_t payload_size = 20;
constexpr std::size_t mac_size = 16;
constexpr std::size_t random_offset = 12;

// HMAC-SHA256 keyed with `secret`, ready for update; null when OpenSSL cannot provide it.
evp_mac_ctx_st* keyed_hmac(const std::string& secret) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* context = mac == nullptr ? nullptr : EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context holds its own reference
  if (context == nullptr) return nullptr;
  std::string digest = "SHA256";
  const std::array<OSSL_PARAM, 2> params{
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(context, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                   params.data()) != 1) {
    EVP_MAC_CTX_free(context);
    return nullptr;
  }
  return context;
}

}  // namespace

void nonce_codec::mac_context_free::operator()(evp_mac_ctx_st* context) const {
  EVP_MAC_CTX_free(context);
}

std::optional<nonce_codec::mac_bytes> nonce_codec::mac_of(const std::uint8_t* payload) const {
  mac_context context(keyed_ ? EVP_MAC_CTX_dup(keyed_.get()) : nullptr);
  mac_bytes out{};
  std::size_t length = 0;
  if (!context || EVP_MAC_update(context.get(), payload, payload_size) != 1 ||
      EVP_MAC_final(context.get(), out.data(), &length, out.size()) != 1 || length != out.size()) {
    spdlog::error("sip auth: HMAC-SHA256 unavailable for nonces");
    return std::nullopt;
  }
  return out;
}

nonce_codec::nonce_codec(std::string secret, clock::duration lifetime)
    : secret_(std::move(secret)), keyed_(keyed_hmac(secret_)), lifetime_(lifetime) {}

std::string nonce_codec::issue(clock::time_point now) const {
  std::vector<std::uint8_t> bytes(payload_size + mac_size);
  auto millis = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(millis >> (56 - 8 * i));
  auto count = counter_.fetch_add(1, std::memory_order_relaxed);
  for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<std::uint8_t>(count >> (24 - 8 * i));
  if (RAND_bytes(bytes.data() + random_offset, payload_size - random_offset) != 1) {
    spdlog::warn("sip auth: no randomness for a nonce; relying on the counter");
  }
  // Without a MAC the nonce keeps zeros there and check() refuses it: we fail closed.
  if (auto mac = mac_of(bytes.data())) {
    std::copy_n(mac->begin(), mac_size, bytes.begin() + payload_size);
  }
  return base64url_encode(bytes);
}

nonce_check nonce_codec::check(std::string_view nonce, clock::time_point now) const {
  if (nonce.size() != nonce_length) return {};
  auto bytes = base64url_decode(nonce);
  if (!bytes || bytes->size() != payload_size + mac_size) return {};
  auto mac = mac_of(bytes->data());
  if (!mac || CRYPTO_memcmp(mac->data(), bytes->data() + payload_size, mac_size) != 0) return {};

  std::uint64_t millis = 0;
  for (int i = 0; i < 8; ++i) millis = (millis << 8) | (*bytes)[i];
  clock::time_point issued_at{std::chrono::duration_cast<clock::duration>(
      std::chrono::milliseconds(static_cast<std::int64_t>(millis)))};
  bool fresh = now <= issued_at || now - issued_at <= lifetime_;
  return {fresh ? nonce_state::fresh : nonce_state::stale, issued_at};
}

std::string random_secret() {
  std::string secret(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("sip auth: no randomness available for the nonce secret");
  }
  return secret;
}

}  // namespace callcenterd::sip::auth_detail
