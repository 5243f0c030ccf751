#pragma once

// The client side of digest authentication: answering a 401 or 407 from a carrier when a trunk
// registers or calls out, and driving the server side in tests. Pure functions; any strand.

#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/digest.hpp"
#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// What we authenticate with towards a peer. From configuration, never from the network.
struct client_credentials {
  std::string username;
  std::string password;
};

/// Produces a fresh client nonce for each Authorization value. Tests pass a fixed one.
using cnonce_generator = std::function<std::string()>;

/// Sixteen random bytes from OpenSSL as 32 lower-case hex digits. Thread-safe.
std::string random_cnonce();

/// The request an Authorization value is computed for.
struct client_request {
  std::string_view method;  ///< e.g. "REGISTER"; for an ACK or CANCEL, the INVITE's method
  std::string_view uri;     ///< the Request-URI as it will be sent
  std::uint32_t nc = 1;     ///< how many requests (this one included) used this nonce
};

/// Index of the challenge to answer: the strongest algorithm we support (SHA-256 over MD5),
/// the first offered among equals; a challenge qualifies when it offers qop "auth" or no qop
/// at all. Nullopt when none qualifies. Any strand.
std::optional<std::size_t> pick_challenge(const std::vector<digest_challenge>& challenges);

/// The Authorization (or Proxy-Authorization) value answering `challenge`. With qop "auth" it
/// carries cnonce and nc; against a server that offers no qop it uses the RFC 2069 form. The
/// opaque value is echoed. Errors: no_usable_challenge when the algorithm or qop is not ours,
/// bad_client_credentials when username or password holds control characters. Any strand.
boost::system::result<std::string> authorize(const digest_challenge& challenge,
                                             const client_credentials& credentials,
                                             const client_request& request,
                                             const cnonce_generator& make_cnonce);

/// Parses `challenge_values` (each one header line's value; non-Digest and malformed values
/// are skipped), picks with pick_challenge() and answers it. Any strand.
boost::system::result<std::string> authorize(const std::vector<std::string>& challenge_values,
                                             const client_credentials& credentials,
                                             const client_request& request,
                                             const cnonce_generator& make_cnonce);

/// The challenge header lines of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate)
/// response, one value per line. Unlike sip_message::header_values() these are not split on
/// commas, which separate auth-params, not challenges. Empty for other statuses. Any strand.
std::vector<std::string> challenge_values(const sip_message& response);

/// The header the answer goes in: "Proxy-Authorization" for a 407, else "Authorization".
std::string_view authorization_header_name(int status);

}  // namespace callcenterd::sip
