#pragma once

// Small scanners shared by the SDP parser, serialiser and offer/answer code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace callcenterd::sip::sdp::detail {

/// RFC 4566 `token-char`: visible ASCII except the separators SDP gives meaning to.
bool is_token_char(char c);
bool is_token(std::string_view text);
/// Non-empty printable ASCII without blanks: addresses and ids written back verbatim.
bool is_visible(std::string_view text);
/// `token *("/" token)`, the shape of an m= proto.
bool is_proto(std::string_view text);
/// Case-insensitive ASCII comparison, the SIP message layer's.
using sip::detail::iequals;
/// An unsigned decimal of 1..20 digits that is at most `max`; nullopt otherwise.
std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max);
/// Fields separated by runs of spaces (peers are not all careful about single spaces).
std::vector<std::string_view> split_fields(std::string_view text);
/// Drops trailing spaces and tabs.
std::string_view trim_right(std::string_view text);
/// `<pt> <rest>` at the start of an rtpmap or fmtp value: the rest when pt matches.
std::optional<std::string_view> after_payload_type(std::string_view value,
                                                   std::uint8_t payload_type);

}  // namespace callcenterd::sip::sdp::detail
