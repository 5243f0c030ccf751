#pragma once

// Digest access authentication values and hashes (RFC 7616 as applied to SIP by RFC 3261 §22
// and RFC 8760). Everything here is a pure function of its arguments: no I/O, no clock, no
// shared state, so any strand or thread may call it.

#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::sip {

/// Longest Authorization / WWW-Authenticate value the parsers accept, in bytes.
inline constexpr std::size_t max_digest_value_length = 4096;
/// Longest single auth-param value (after unquoting), in bytes.
inline constexpr std::size_t max_digest_param_length = 1024;
/// Most auth-params in one value, unknown ones included.
inline constexpr std::size_t max_digest_params = 32;

/// The hash functions we speak. The `-sess` variants and SHA-512-256 are not supported: the
/// store keeps H(A1) for MD5 and SHA-256 only, and `-sess` would need the password-derived
/// session key per cnonce, which the stored hashes cannot give a stateless server cheaply.
enum class digest_algorithm { md5, sha256 };

/// "MD5" or "SHA-256" as written on the wire. Any strand.
std::string_view algorithm_name(digest_algorithm algorithm);

/// Maps an `algorithm` parameter to a supported algorithm, case-insensitively. An empty name
/// (parameter absent) means MD5 (RFC 7616 §3.3). Anything else, `-sess` variants included,
/// gives nullopt. Any strand.
std::optional<digest_algorithm> parse_algorithm(std::string_view name);

/// Length of a hex digest of `algorithm`: 32 for MD5, 64 for SHA-256.
std::size_t hex_digest_length(digest_algorithm algorithm);

/// A `Digest` challenge from WWW-Authenticate or Proxy-Authenticate. Values are unquoted with
/// escapes resolved. Plain value; no strand affinity.
struct digest_challenge {
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  std::string algorithm;         ///< as written; empty when absent (meaning MD5)
  std::vector<std::string> qop;  ///< the qop options, e.g. {"auth"}; empty when absent
  bool stale = false;

  friend bool operator==(const digest_challenge&, const digest_challenge&) = default;
};

/// `Digest` credentials from Authorization or Proxy-Authorization. Values are unquoted with
/// escapes resolved and kept exactly as sent, since the response hashes them as sent. Plain
/// value; no strand affinity.
struct digest_credentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;        ///< the digest-uri, normally the Request-URI as text
  std::string response;   ///< hex; checked to be hex digits only
  std::string algorithm;  ///< as written; empty when absent (meaning MD5)
  std::optional<std::string> qop;
  std::optional<std::string> nc;  ///< exactly eight hex digits when present
  std::optional<std::string> cnonce;
  std::optional<std::string> opaque;

  friend bool operator==(const digest_credentials&, const digest_credentials&) = default;
};

/// Parses one challenge value such as `Digest realm="x", nonce="y", qop="auth"`. The scheme
/// and parameter names are case-insensitive; values may be tokens or quoted strings with
/// backslash escapes; unknown parameters are ignored; a repeated parameter is an error; realm
/// and nonce are required. One challenge per value: SIP sends one per header line. Errors are
/// auth_errc values. Any strand.
boost::system::result<digest_challenge> parse_challenge(std::string_view value);

/// Parses one credentials value such as `Digest username="a", realm="x", ...` with the same
/// lexical rules as parse_challenge(). username, realm, nonce, uri and response are required;
/// nc, when present, must be eight hex digits and response hex digits only. Whether qop, nc
/// and cnonce are present together is the verifier's business. Any strand.
boost::system::result<digest_credentials> parse_credentials(std::string_view value);

/// `Digest realm="...", nonce="...", ...`: quoted-string syntax for realm, nonce, opaque and
/// qop, token syntax for algorithm and stale (RFC 7616 §3.3). Any strand.
std::string to_string(const digest_challenge& challenge);

/// `Digest username="...", ...`: quoted-string syntax for username, realm, nonce, uri,
/// response, cnonce and opaque; token syntax for algorithm, qop and nc (RFC 7616 §3.4). Fields
/// that are empty or nullopt (algorithm, qop, nc, cnonce, opaque) are left out. Any strand.
std::string to_string(const digest_credentials& credentials);

/// Lower-case hex digest of `data`. Uses OpenSSL EVP; returns an empty string only if the
/// library cannot provide the algorithm (e.g. MD5 under a FIPS-only configuration). Any strand.
std::string hex_digest(digest_algorithm algorithm, std::string_view data);

/// H(A1) = H(username ":" realm ":" password), lower-case hex: what the store keeps as
/// ha1_md5 / ha1_sha256. For tests, admin tooling and outbound registration. Any strand.
std::string compute_ha1(digest_algorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password);

/// The inputs of a request-digest besides the algorithm. Every field is the text as sent on
/// the wire (nc as its eight hex digits) because the digest hashes text, not values.
struct response_input {
  std::string_view ha1;  ///< lower-case hex H(A1)
  std::string_view nonce;
  std::string_view method;  ///< the request method (INVITE for an ACK or CANCEL of one)
  std::string_view uri;     ///< the digest-uri as sent in the credentials
  std::string_view qop;     ///< "auth", or empty for the RFC 2069 form without qop
  std::string_view nc;      ///< unused without qop
  std::string_view cnonce;  ///< unused without qop
};

/// The request-digest, lower-case hex. With qop: KD(HA1, nonce:nc:cnonce:qop:HA2); without:
/// KD(HA1, nonce:HA2); HA2 = H(method:uri) and KD(s, d) = H(s:d). Any strand.
std::string compute_response(digest_algorithm algorithm, const response_input& input);

}  // namespace callcenterd::sip
