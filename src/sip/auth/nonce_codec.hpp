#pragma once

// Stateless server nonces: the issue time and some randomness under an HMAC, so that any
// thread can tell our fresh nonces from old or forged ones without a shared table.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;

namespace callcenterd::sip::auth_detail {

enum class nonce_state {
  fresh,    ///< ours and no older than the lifetime
  stale,    ///< ours but older than the lifetime
  invalid,  ///< not ours: forged, mangled, or from a process with another secret
};

struct nonce_check {
  nonce_state state = nonce_state::invalid;
  std::chrono::steady_clock::time_point issued_at;  ///< meaningful unless invalid
};

/// Thread-safe: issue() and check() may run concurrently.
class nonce_codec {
 public:
  using clock = std::chrono::steady_clock;

  /// Length of every nonce issue() returns, in characters.
  static constexpr std::size_t nonce_length = 48;

  /// `secret` must not be empty; `lifetime` must be positive.
  nonce_codec(std::string secret, clock::duration lifetime);

  /// A new nonce: base64url of issue time (ms, 8 bytes), a counter (4), random bytes (8) and
  /// the first 16 bytes of HMAC-SHA256 over those 20.
  std::string issue(clock::time_point now) const;

  /// Authenticity first (constant-time MAC compare), then age. A nonce from the future (a
  /// caller passing an earlier `now` than the issuer did) is fresh.
  nonce_check check(std::string_view nonce, clock::time_point now) const;

 private:
  struct mac_context_free {
    void operator()(evp_mac_ctx_st* context) const;
  };
  using mac_context = std::unique_ptr<evp_mac_ctx_st, mac_context_free>;
  using mac_bytes = std::array<unsigned char, 32>;

  /// HMAC-SHA256 of a 20-byte payload; nullopt when OpenSSL fails.
  std::optional<mac_bytes> mac_of(const std::uint8_t* payload) const;

  const std::string secret_;
  // Keyed once and only copied afterwards: a copy skips the algorithm lookups and the key
  // schedule that a one-shot HMAC() repeats on every nonce (three per registration). Never
  // modified after construction, so threads may copy it side by side.
  mac_context keyed_;
  const clock::duration lifetime_;
  // Keeps nonces unique even if the random source ever fails.
  mutable std::atomic<std::uint32_t> counter_{0};
};

/// 32 random bytes for a per-process key. Throws std::runtime_error when the system has no
/// randomness to give (start-up only).
std::string random_secret();

}  // namespace callcenterd::sip::auth_detail
