#include "callcenterd/sip/digest_client.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>

#include "auth_text.hpp"
#include "callcenterd/sip/auth_error.hpp"

namespace callcenterd::sip {
namespace {

bool offers_auth_or_nothing(const digest_challenge& challenge) {
  return challenge.qop.empty() ||
         std::any_of(challenge.qop.begin(), challenge.qop.end(), [](const std::string& option) {
           return auth_detail::iequals(option, "auth");
         });
}

int strength(digest_algorithm algorithm) { return algorithm == digest_algorithm::sha256 ? 2 : 1; }

std::string nc_text(std::uint32_t nc) {
  std::array<unsigned char, 4> bytes{};
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(nc >> (24 - 8 * i));
  return auth_detail::to_hex(bytes);
}

}  // namespace

std::string random_cnonce() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // A cnonce must be unique rather than secret; time and a counter keep it so.
    static std::atomic<std::uint64_t> counter{0};
    spdlog::error("sip auth: no randomness for a cnonce; using time and a counter");
    auto ticks =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    auto count = counter.fetch_add(1, std::memory_order_relaxed);
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<unsigned char>(ticks >> (8 * i));
      bytes[8 + i] = static_cast<unsigned char>(count >> (8 * i));
    }
  }
  return auth_detail::to_hex(bytes);
}

std::optional<std::size_t> pick_challenge(const std::vector<digest_challenge>& challenges) {
  std::optional<std::size_t> best;
  int best_strength = 0;
  for (std::size_t i = 0; i < challenges.size(); ++i) {
    auto algorithm = parse_algorithm(challenges[i].algorithm);
    if (!algorithm || !offers_auth_or_nothing(challenges[i])) continue;
    if (strength(*algorithm) > best_strength) {
      best = i;
      best_strength = strength(*algorithm);
    }
  }
  return best;
}

boost::system::result<std::string> authorize(const digest_challenge& challenge,
                                             const client_credentials& credentials,
                                             const client_request& request,
                                             const cnonce_generator& make_cnonce) {
  auto algorithm = parse_algorithm(challenge.algorithm);
  if (!algorithm || !offers_auth_or_nothing(challenge)) {
    return make_error_code(auth_errc::no_usable_challenge);
  }
  if (auth_detail::has_control_char(credentials.username) ||
      auth_detail::has_control_char(credentials.password) ||
      auth_detail::has_control_char(request.uri)) {
    return make_error_code(auth_errc::bad_client_credentials);
  }

  digest_credentials out;
  out.username = credentials.username;
  out.realm = challenge.realm;
  out.nonce = challenge.nonce;
  out.uri = std::string(request.uri);
  out.algorithm = std::string(algorithm_name(*algorithm));
  out.opaque = challenge.opaque;
  response_input input{};
  input.nonce = challenge.nonce;
  input.method = request.method;
  input.uri = request.uri;
  if (!challenge.qop.empty()) {
    out.qop = "auth";
    out.nc = nc_text(request.nc);
    out.cnonce = make_cnonce ? make_cnonce() : random_cnonce();
    if (out.cnonce->empty() || auth_detail::has_control_char(*out.cnonce)) {
      return make_error_code(auth_errc::bad_client_credentials);
    }
    input.qop = *out.qop;
    input.nc = *out.nc;
    input.cnonce = *out.cnonce;
  }
  auto ha1 = compute_ha1(*algorithm, credentials.username, challenge.realm, credentials.password);
  input.ha1 = ha1;
  out.response = compute_response(*algorithm, input);
  return to_string(out);
}

boost::system::result<std::string> authorize(const std::vector<std::string>& challenge_values,
                                             const client_credentials& credentials,
                                             const client_request& request,
                                             const cnonce_generator& make_cnonce) {
  std::vector<digest_challenge> challenges;
  for (const auto& value : challenge_values) {
    if (auto parsed = parse_challenge(value)) challenges.push_back(std::move(*parsed));
  }
  auto chosen = pick_challenge(challenges);
  if (!chosen) return make_error_code(auth_errc::no_usable_challenge);
  return authorize(challenges[*chosen], credentials, request, make_cnonce);
}

std::vector<std::string> challenge_values(const sip_message& response) {
  std::string_view name;
  if (response.status() == 401) name = "WWW-Authenticate";
  if (response.status() == 407) name = "Proxy-Authenticate";
  std::vector<std::string> out;
  if (name.empty()) return out;
  for (const auto& header : response.headers()) {
    if (same_header_name(header.name, name)) out.push_back(header.value);
  }
  return out;
}

std::string_view authorization_header_name(int status) {
  return status == 407 ? "Proxy-Authorization" : "Authorization";
}

}  // namespace callcenterd::sip
