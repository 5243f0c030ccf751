#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace callcenterd::api {

/// What a Range header asks of a representation of `size` bytes (RFC 9110 §14).
struct byte_range_request {
  enum class kind {
    whole,          ///< no Range, or one this server ignores (not bytes, several ranges)
    part,           ///< one satisfiable range: [first, last]
    unsatisfiable,  ///< answer 416 with "Content-Range: bytes */<size>"
  };
  kind what = kind::whole;
  std::uint64_t first = 0;
  std::uint64_t last = 0;  ///< inclusive
};

/// Reads `range` ("bytes=0-499", "bytes=500-", "bytes=-500") for a representation of `size`
/// bytes. A last position past the end is cut to the end; a syntactically invalid header is
/// ignored (whole), as RFC 9110 asks; several ranges are answered whole rather than as a
/// multipart body. Pure function; any thread.
byte_range_request parse_byte_range(std::string_view range, std::uint64_t size);

}  // namespace callcenterd::api
