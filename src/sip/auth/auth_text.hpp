#pragma once

// Small text and byte helpers shared by the digest files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::sip::auth_detail {

bool is_token_char(char c);
bool is_hex(char c);
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);
/// True for bytes that may never appear in a header value we emit: CTLs other than HTAB.
bool has_control_char(std::string_view text);

std::string to_hex(const unsigned char* data, std::size_t size);

/// RFC 4648 §5 alphabet, no padding.
std::string base64url_encode(const std::vector<std::uint8_t>& bytes);
/// Nullopt for characters outside the alphabet or an impossible length.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace callcenterd::sip::auth_detail
