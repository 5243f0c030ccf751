#pragma once

// Small text and byte helpers shared by the digest files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/core/encoding.hpp"
#include "text.hpp"

namespace callcenterd::sip::auth_detail {

// The SIP message layer's character classes (RFC 3261 token, hex, case folding).
using sip::detail::iequals;
using sip::detail::is_hex;
using sip::detail::is_token_char;
using sip::detail::to_lower;

/// True for bytes that may never appear in a header value we emit: CTLs other than HTAB.
bool has_control_char(std::string_view text);

// Bytes as text: core's, which the rest of the daemon uses too.
using core::base64url_decode;
using core::base64url_encode;
using core::to_hex;

}  // namespace callcenterd::sip::auth_detail
