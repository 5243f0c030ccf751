#pragma once

// Small text and byte helpers shared by the digest files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace callcenterd::sip::auth_detail {

// The SIP message layer's character classes (RFC 3261 token, hex, case folding).
using sip::detail::iequals;
using sip::detail::is_hex;
using sip::detail::is_token_char;
using sip::detail::to_lower;

/// True for bytes that may never appear in a header value we emit: CTLs other than HTAB.
bool has_control_char(std::string_view text);

std::string to_hex(const unsigned char* data, std::size_t size);

/// RFC 4648 §5 alphabet, no padding.
std::string base64url_encode(const std::vector<std::uint8_t>& bytes);
/// Nullopt for characters outside the alphabet or an impossible length.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace callcenterd::sip::auth_detail
