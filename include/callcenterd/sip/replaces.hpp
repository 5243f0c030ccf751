#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::sip {

/// The Replaces header (RFC 3891): the dialog that a new INVITE, or the REFER asking for one
/// (attended transfer, RFC 5589), takes the place of. The tags are named from the side of the
/// UA that receives the Replaces: `to_tag` is its own tag, `from_tag` its peer's.
struct replaces_value {
  std::string call_id;
  std::string to_tag;
  std::string from_tag;
  bool early_only = false;  ///< only an early dialog may be replaced
};

/// Parses `call-id;to-tag=a;from-tag=b[;early-only]`; both tags are required (§6.1). Errors
/// are sip_errc::bad_header_value. Pure function; callable from any strand.
boost::system::result<replaces_value> parse_replaces(std::string_view text);

/// `text` with its `%HH` escapes resolved, as a header carried in a URI is written (RFC 3261
/// §19.1.1: `?Replaces=abc%40host%3Bto-tag%3D1`); nullopt for a broken escape. Any strand.
std::optional<std::string> unescape_uri_text(std::string_view text);

}  // namespace callcenterd::sip
