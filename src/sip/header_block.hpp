#pragma once

// The part of parsing shared by the datagram parser and the stream framer: finding the start
// line, the header lines and where the body begins, under the hard limits.

#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "callcenterd/sip/message.hpp"
#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip::detail {

struct header_block {
  std::string_view start_line;
  std::vector<sip_header> headers;  ///< unfolded, trimmed
  std::size_t body_offset = 0;      ///< first byte after the empty line
};

/// Number of leading CR and LF bytes (blank lines before a start line are ignored).
std::size_t leading_line_breaks(std::string_view bytes);

/// Scans the header block at the front of `bytes`. sip_errc::incomplete when the empty line
/// has not arrived yet; limit errors as soon as a limit is passed, even before that.
boost::system::result<header_block> scan_header_block(std::string_view bytes,
                                                      const parse_limits& limits);

/// The Content-Length among `headers`: nullopt when absent, an error when malformed, above
/// `max` or given twice with different values.
boost::system::result<std::optional<std::size_t>> content_length(
    const std::vector<sip_header>& headers, std::size_t max);

}  // namespace callcenterd::sip::detail
