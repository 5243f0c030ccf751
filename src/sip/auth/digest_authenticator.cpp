#include "callcenterd/sip/digest_authenticator.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "auth_text.hpp"
#include "callcenterd/sip/auth_error.hpp"
#include "callcenterd/sip/uri.hpp"
#include "nonce_codec.hpp"
#include "nonce_counts.hpp"

namespace callcenterd::sip {
namespace {

using auth_detail::nonce_state;

std::uint16_t effective_port(const sip_uri& uri) {
  return uri.port.value_or(uri.secure ? 5061 : 5060);
}

// The digest uri names the Request-URI (RFC 3261 §22.4) so that an answer cannot be replayed
// against another resource. Some clients (sipp among them) put only our address there,
// without the user part; that still names this server, and nonce counts stop replays, so a
// digest uri without a user matches any user at the same host and port.
bool uri_matches(std::string_view digest_uri, std::string_view request_uri) {
  if (digest_uri == request_uri) return true;
  auto a = parse_uri(digest_uri);
  auto b = parse_uri(request_uri);
  if (!a || !b) return false;
  return a->secure == b->secure && (a->user == b->user || a->user.empty()) &&
         auth_detail::iequals(a->host, b->host) && effective_port(*a) == effective_port(*b);
}

bool is_hex_of_length(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), auth_detail::is_hex);
}

std::uint32_t parse_nc(std::string_view hex) {
  std::uint32_t value = 0;
  for (char c : hex) {
    auto digit = (c >= '0' && c <= '9')   ? c - '0'
                 : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                          : c - 'A' + 10;
    value = (value << 4) | static_cast<std::uint32_t>(digit);
  }
  return value;
}

// Debug only: the reason a client was refused helps whoever reads the daemon's log; the
// client itself sees the same answer whatever the reason.
auth_outcome refuse(auth_outcome outcome, std::string_view username, std::string_view reason) {
  spdlog::debug("sip auth: {} for user '{}': {}", to_string(outcome), username, reason);
  return outcome;
}

}  // namespace

struct digest_authenticator::state {
  state(digest_settings s, std::string secret)
      : settings(std::move(s)),
        nonces(std::move(secret), settings.nonce_lifetime),
        counts(settings.max_tracked_nonces, settings.nonce_lifetime) {}

  digest_settings settings;
  auth_detail::nonce_codec nonces;
  auth_detail::nonce_counts counts;
  // Stand-ins for unknown users, random per process so no password can ever match them.
  std::string dummy_md5 = hex_digest(digest_algorithm::md5, auth_detail::random_secret());
  std::string dummy_sha256 = hex_digest(digest_algorithm::sha256, auth_detail::random_secret());
};

std::string_view to_string(auth_outcome outcome) {
  switch (outcome) {
    case auth_outcome::ok:
      return "ok";
    case auth_outcome::stale:
      return "stale";
    case auth_outcome::failed:
      return "failed";
    case auth_outcome::malformed:
      return "malformed";
  }
  return "unknown";
}

digest_authenticator::digest_authenticator(digest_settings settings) {
  if (settings.realm.empty() || auth_detail::has_control_char(settings.realm)) {
    throw std::invalid_argument("sip auth: the realm must be non-empty printable text");
  }
  if (settings.nonce_lifetime <= std::chrono::seconds::zero()) {
    throw std::invalid_argument("sip auth: the nonce lifetime must be positive");
  }
  if (settings.algorithms.empty()) {
    throw std::invalid_argument("sip auth: at least one digest algorithm must be offered");
  }
  if (settings.max_tracked_nonces == 0) {
    throw std::invalid_argument("sip auth: max_tracked_nonces must be positive");
  }
  auto secret =
      settings.nonce_secret.empty() ? auth_detail::random_secret() : settings.nonce_secret;
  state_ = std::make_unique<state>(std::move(settings), std::move(secret));
}

digest_authenticator::~digest_authenticator() = default;

const std::string& digest_authenticator::realm() const { return state_->settings.realm; }

std::vector<std::string> digest_authenticator::challenges(bool stale, clock::time_point now) const {
  std::vector<std::string> out;
  for (auto algorithm : state_->settings.algorithms) {
    digest_challenge challenge;
    challenge.realm = state_->settings.realm;
    challenge.nonce = state_->nonces.issue(now);
    challenge.algorithm = std::string(algorithm_name(algorithm));
    challenge.qop = {"auth"};
    challenge.stale = stale;
    out.push_back(to_string(challenge));
  }
  return out;
}

boost::system::result<digest_credentials> digest_authenticator::find_credentials(
    const sip_message& request, std::string_view header_name) const {
  boost::system::error_code first_error;
  for (const auto& header : request.headers()) {
    if (!same_header_name(header.name, header_name)) continue;
    auto parsed = parse_credentials(header.value);
    if (parsed) {
      if (parsed->realm == state_->settings.realm) return parsed;
    } else if (parsed.error() != make_error_code(auth_errc::not_digest) && !first_error) {
      first_error = parsed.error();
    }
  }
  if (first_error) return first_error;
  return make_error_code(auth_errc::no_credentials);
}

auth_outcome digest_authenticator::verify(std::string_view credentials_value,
                                          std::string_view method, std::string_view request_uri,
                                          const std::optional<stored_ha1>& stored,
                                          clock::time_point now) {
  auto parsed = parse_credentials(credentials_value);
  if (!parsed) return auth_outcome::malformed;
  return verify(*parsed, method, request_uri, stored, now);
}

auth_outcome digest_authenticator::verify(const digest_credentials& credentials,
                                          std::string_view method, std::string_view request_uri,
                                          const std::optional<stored_ha1>& stored,
                                          clock::time_point now) {
  const auto& user = credentials.username;
  if (!credentials.qop) return refuse(auth_outcome::failed, user, "no qop (RFC 2069 form)");
  if (!auth_detail::iequals(*credentials.qop, "auth")) {
    return refuse(auth_outcome::failed, user, "qop other than auth");
  }
  if (!credentials.nc || !credentials.cnonce || credentials.cnonce->empty()) {
    return refuse(auth_outcome::malformed, user, "qop=auth without nc or cnonce");
  }
  auto nc = parse_nc(*credentials.nc);
  if (nc == 0) return refuse(auth_outcome::malformed, user, "nc of zero");
  if (credentials.realm != state_->settings.realm) {
    return refuse(auth_outcome::failed, user, "foreign realm");
  }
  auto algorithm = parse_algorithm(credentials.algorithm);
  const auto& offered = state_->settings.algorithms;
  if (!algorithm || std::find(offered.begin(), offered.end(), *algorithm) == offered.end()) {
    return refuse(auth_outcome::failed, user, "algorithm not offered");
  }
  auto length = hex_digest_length(*algorithm);
  if (credentials.response.size() != length) {
    return refuse(auth_outcome::malformed, user, "response length does not fit the algorithm");
  }
  if (!uri_matches(credentials.uri, request_uri)) {
    return refuse(auth_outcome::failed, user, "digest uri is not the Request-URI");
  }

  // From here on known and unknown users take the same path: same hashing, same compare.
  auto nonce = state_->nonces.check(credentials.nonce, now);
  const std::string* stored_hash = nullptr;
  if (stored) stored_hash = *algorithm == digest_algorithm::sha256 ? &stored->sha256 : &stored->md5;
  bool known = stored_hash != nullptr && is_hex_of_length(*stored_hash, length);
  const auto& dummy =
      *algorithm == digest_algorithm::sha256 ? state_->dummy_sha256 : state_->dummy_md5;
  auto ha1 = auth_detail::to_lower(known ? *stored_hash : dummy);
  auto expected = compute_response(*algorithm, {.ha1 = ha1,
                                                .nonce = credentials.nonce,
                                                .method = method,
                                                .uri = credentials.uri,
                                                .qop = *credentials.qop,
                                                .nc = *credentials.nc,
                                                .cnonce = *credentials.cnonce});
  auto response = auth_detail::to_lower(credentials.response);
  bool match =
      expected.size() == length && CRYPTO_memcmp(expected.data(), response.data(), length) == 0;
  if (!(match && known)) return refuse(auth_outcome::failed, user, "wrong response");

  // RFC 7616 §3.3: stale=true only when the response itself is right.
  if (nonce.state != nonce_state::fresh) {
    return refuse(auth_outcome::stale, user,
                  nonce.state == nonce_state::stale ? "nonce expired" : "nonce not ours");
  }
  if (!state_->counts.accept(credentials.nonce, nonce.issued_at, nc, now)) {
    return refuse(auth_outcome::stale, user, "nonce-count replayed");
  }
  return auth_outcome::ok;
}

std::size_t digest_authenticator::tracked_nonces() const { return state_->counts.size(); }

}  // namespace callcenterd::sip
