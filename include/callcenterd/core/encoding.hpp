#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::core {

/// `bytes` as lower-case hexadecimal, two digits a byte. Pure; any thread.
std::string to_hex(std::span<const std::uint8_t> bytes);

/// The SHA-256 of `bytes` as 64 lower-case hex digits. Thread-safe.
std::string sha256_hex(std::string_view bytes);

/// RFC 4648 §5 (URL- and filename-safe alphabet), without padding. Pure; any thread.
std::string base64url_encode(std::span<const std::uint8_t> bytes);
/// The bytes of unpadded base64url text; nullopt for a character outside the alphabet, an
/// impossible length, or stray low bits (a second spelling of the same bytes). Pure.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace callcenterd::core
