#pragma once

// The server side of digest authentication for the registrar and for requests from phones.
// No I/O and no clock reads: the caller passes the time (normally received_message::received_at)
// and the stored hashes it looked up.

#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/digest.hpp"
#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// What the authenticator needs to know; built by the app from configuration.
struct digest_settings {
  /// The realm of every challenge; the stored H(A1) values were computed with it.
  std::string realm = "callcenterd";
  /// How long a nonce stays fresh. An older nonce with a correct response gets stale=true.
  std::chrono::seconds nonce_lifetime{300};
  /// Most nonces whose last nonce-count is remembered (about 200 bytes each). When full, the
  /// oldest are forgotten and their nonces answered as stale.
  std::size_t max_tracked_nonces = 65536;
  /// Key for the nonce MAC. Empty: 32 random bytes drawn at construction, so nonces die with
  /// the process. Tests and several nodes sharing nonces set it.
  std::string nonce_secret;
  /// The algorithms challenged, in order of preference: one WWW-Authenticate line each, in this
  /// order (RFC 8760 §2.4). Credentials for an algorithm not listed fail. Clients that read
  /// only the first challenge (sipp 3.6, some desk phones) need MD5 first or alone.
  std::vector<digest_algorithm> algorithms{digest_algorithm::sha256, digest_algorithm::md5};
};

/// The H(A1) values the store keeps for one SIP account, as hex. An empty or malformed hash
/// means that algorithm cannot succeed for this account.
struct stored_ha1 {
  std::string md5;
  std::string sha256;
};

/// The answer to one set of credentials.
enum class auth_outcome {
  ok,         ///< authenticated
  stale,      ///< the response is right but its nonce is old, foreign or its nc was used:
              ///< challenge again with stale=true; not a failed attempt
  failed,     ///< wrong password, unknown user, or a realm, uri, algorithm or qop we refuse
  malformed,  ///< unparseable or missing parameters
};

/// "ok", "stale", "failed" or "malformed", for logs.
std::string_view to_string(auth_outcome outcome);

/// Issues challenges and verifies credentials against stored H(A1) values. Nonces are
/// stateless (issue time and randomness under an HMAC-SHA256), so any thread can check any
/// nonce; the only shared state is the bounded nonce-count table behind a mutex. Thread-safe:
/// every member may be called concurrently from any strand.
class digest_authenticator {
 public:
  using clock = std::chrono::steady_clock;

  /// Throws std::invalid_argument for an empty realm or one with control characters, a
  /// non-positive lifetime or a zero table size, and std::runtime_error when no randomness is
  /// available for the secret. Start-up only.
  explicit digest_authenticator(digest_settings settings);
  ~digest_authenticator();
  digest_authenticator(const digest_authenticator&) = delete;
  digest_authenticator& operator=(const digest_authenticator&) = delete;

  const std::string& realm() const;

  /// WWW-Authenticate (or Proxy-Authenticate) values in the order of settings.algorithms, one
  /// header line each (RFC 8760 §2.4). Each has its own nonce, qop="auth", the algorithm and,
  /// when `stale`, stale=true.
  std::vector<std::string> challenges(bool stale, clock::time_point now) const;

  /// The credentials meant for us in `request`: the first `header_name` line (Authorization
  /// or Proxy-Authorization) that parses as Digest with our realm. Error no_credentials when
  /// there is none (answer with a challenge); a parse error when the only Digest lines for
  /// us, or without a readable realm, are malformed.
  boost::system::result<digest_credentials> find_credentials(const sip_message& request,
                                                             std::string_view header_name) const;

  /// Checks `credentials` of a `method` request to `request_uri` (the Request-URI as text).
  /// `stored` is nullopt for an unknown username: the same hashing then runs against a dummy
  /// H(A1) and the outcome is `failed`, exactly as for a wrong password.
  ///
  /// Rules: realm equal to ours; algorithm SHA-256 or MD5 (absent means MD5); qop=auth with
  /// nc and cnonce (the RFC 2069 form without qop is refused: it has no client nonce or
  /// count, so no replay protection, and RFC 7616 makes qop mandatory); the digest-uri equal
  /// to the Request-URI as text, or both SIP URIs with the same scheme, user, host (case
  /// aside) and port (absent = 5060, or 5061 for sips), parameters ignored because clients
  /// and our parser write them differently. A correct response with an old or foreign nonce,
  /// or an nc not above the last accepted one for that nonce, is `stale`.
  auth_outcome verify(const digest_credentials& credentials, std::string_view method,
                      std::string_view request_uri, const std::optional<stored_ha1>& stored,
                      clock::time_point now);

  /// Parses `credentials_value` first; `malformed` when it does not parse.
  auth_outcome verify(std::string_view credentials_value, std::string_view method,
                      std::string_view request_uri, const std::optional<stored_ha1>& stored,
                      clock::time_point now);

  /// Nonces whose nonce-count is currently remembered; for tests and metrics.
  std::size_t tracked_nonces() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace callcenterd::sip
