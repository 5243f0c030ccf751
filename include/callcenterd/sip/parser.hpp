#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <string_view>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// Hard limits applied before anything is allocated for a message.
struct parse_limits {
  /// Whole message, headers and body.
  std::size_t max_message_size = std::size_t{64} * 1024;
  /// Header lines after unfolding.
  std::size_t max_headers = 128;
  /// One start or header line; a folded header counts its unfolded length.
  std::size_t max_header_line = std::size_t{8} * 1024;
};

/// Parses one complete message (a UDP datagram, or what frame_message() delimited). Without
/// Content-Length the body is the rest of `bytes`; bytes past Content-Length are dropped; a
/// shorter body is sip_errc::incomplete. Never throws, never reads outside `bytes`. Pure
/// function; callable from any strand.
boost::system::result<sip_message> parse_message(std::string_view bytes,
                                                 const parse_limits& limits = {});

/// What frame_message() found at the front of a stream buffer.
struct frame_result {
  enum class kind {
    need_more,   ///< no complete message yet; read more and call again
    message,     ///< a message of `size` bytes starts after `skipped` bytes
    keep_alive,  ///< `skipped` bytes of CRLF keep-alive (RFC 5626 ping) and nothing else yet
  };
  kind what = kind::need_more;
  std::size_t skipped = 0;  ///< leading CRLF bytes to drop before the message
  std::size_t size = 0;     ///< message length when what == message
  /// True when the skipped bytes held a double-CRLF ping that wants a single-CRLF pong.
  bool ping = false;

  friend bool operator==(const frame_result&, const frame_result&) = default;
};

/// Delimits the first message in a TCP/WebSocket byte stream: leading CRLFs are skipped and
/// reported, the header block must end in an empty line and Content-Length is required.
/// Errors: the limit errors, bad_content_length (missing, malformed or too big), and the
/// header-block errors of parse_message() (bad_start_line, bad_header). The start line itself
/// is checked only by parse_message(). Pure function; callable from any strand.
boost::system::result<frame_result> frame_message(std::string_view buffer,
                                                  const parse_limits& limits = {});

}  // namespace callcenterd::sip
