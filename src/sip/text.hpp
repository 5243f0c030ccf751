#pragma once

// Character classes and small scanners shared by the SIP parsers (RFC 3261 §25.1), here and in
// the libraries of the sip component's subdirectories (auth, sdp, transaction, transport).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/uri.hpp"

namespace callcenterd::sip::detail {

bool is_alpha(char c);
bool is_digit(char c);
bool is_hex(char c);
/// RFC 3261 `token` characters.
bool is_token_char(char c);
bool is_token(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);

/// Parses an unsigned decimal of at most `max` without overflow; nullopt on anything else.
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

/// `host[:port]` with host a name, IPv4 address or bracketed IPv6 reference.
struct host_port {
  std::string host;
  host_kind kind = host_kind::name;
  std::optional<std::uint16_t> port;
};
std::optional<host_port> parse_host_port(std::string_view text);
/// Writes host (bracketing IPv6) and `:port` when present.
std::string host_port_text(std::string_view host, host_kind kind,
                           std::optional<std::uint16_t> port);

/// `text` as a quoted-string, with `"` and `\` escaped (RFC 3261 §25.1).
std::string quote(std::string_view text);

/// Index just past the closing quote of a quoted string starting at `text[start] == '"'`,
/// honouring backslash escapes; npos when unterminated.
std::size_t skip_quoted(std::string_view text, std::size_t start);

}  // namespace callcenterd::sip::detail
