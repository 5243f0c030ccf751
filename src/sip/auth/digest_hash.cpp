// The hash side of Digest: algorithm names, H, H(A1) and the request-digest (RFC 7616 §3.4).

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "auth_text.hpp"
#include "callcenterd/sip/digest.hpp"

namespace callcenterd::sip {

std::string_view algorithm_name(digest_algorithm algorithm) {
  return algorithm == digest_algorithm::sha256 ? "SHA-256" : "MD5";
}

std::optional<digest_algorithm> parse_algorithm(std::string_view name) {
  if (name.empty() || auth_detail::iequals(name, "MD5")) return digest_algorithm::md5;
  if (auth_detail::iequals(name, "SHA-256")) return digest_algorithm::sha256;
  return std::nullopt;
}

std::size_t hex_digest_length(digest_algorithm algorithm) {
  return algorithm == digest_algorithm::sha256 ? 64 : 32;
}

std::string hex_digest(digest_algorithm algorithm, std::string_view data) {
  const EVP_MD* md = algorithm == digest_algorithm::sha256 ? EVP_sha256() : EVP_md5();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) {
    // Only a crypto library configured without the algorithm gets here; the empty digest
    // never matches, so authentication fails closed.
    spdlog::error("sip auth: OpenSSL cannot compute {}", algorithm_name(algorithm));
    return {};
  }
  return auth_detail::to_hex({digest, length});
}

std::string compute_ha1(digest_algorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password) {
  std::string a1;
  a1.reserve(username.size() + realm.size() + password.size() + 2);
  a1.append(username).append(":").append(realm).append(":").append(password);
  return hex_digest(algorithm, a1);
}

std::string compute_response(digest_algorithm algorithm, const response_input& input) {
  std::string a2;
  a2.append(input.method).append(":").append(input.uri);
  auto ha2 = hex_digest(algorithm, a2);

  std::string kd;
  kd.append(input.ha1).append(":").append(input.nonce).append(":");
  if (!input.qop.empty()) {
    kd.append(input.nc).append(":").append(input.cnonce).append(":").append(input.qop).append(":");
  }
  kd.append(ha2);
  return hex_digest(algorithm, kd);
}

}  // namespace callcenterd::sip
