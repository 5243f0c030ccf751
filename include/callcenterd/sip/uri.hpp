#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callcenterd::sip {

/// How the host part of a URI was written.
enum class host_kind { name, ipv4, ipv6 };

/// A `sip:` or `sips:` URI (RFC 3261 §19.1). Escapes in user and password are kept as
/// written so that serialising gives back the same text. Plain value; no strand affinity.
struct sip_uri {
  bool secure = false;                  ///< `sips:` scheme
  std::string user;                     ///< empty when absent; escapes kept
  std::optional<std::string> password;  ///< present when `user:password@`
  std::string host;                     ///< without brackets for IPv6
  host_kind kind = host_kind::name;
  std::optional<std::uint16_t> port;
  /// `;name` or `;name=value`, in order; names as written (compare case-insensitively).
  std::vector<std::pair<std::string, std::optional<std::string>>> params;
  /// `?name=value&...`, in order.
  std::vector<std::pair<std::string, std::string>> headers;

  /// The value of parameter `name` (case-insensitive): nullopt when absent, an empty string
  /// when present without a value (e.g. `;lr`).
  std::optional<std::string> param(std::string_view name) const;
  /// True when parameter `name` is present, with or without a value.
  bool has_param(std::string_view name) const;

  friend bool operator==(const sip_uri&, const sip_uri&) = default;
};

/// Parses a SIP URI; errors are sip_errc::bad_uri. Pure function; callable from any strand.
boost::system::result<sip_uri> parse_uri(std::string_view text);

/// Canonical text of `uri` (scheme lower case, IPv6 host in brackets). Any strand.
std::string to_string(const sip_uri& uri);

}  // namespace callcenterd::sip
