#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/parser.hpp"
#include "header_block.hpp"

namespace callcenterd::sip {

boost::system::result<frame_result> frame_message(std::string_view buffer,
                                                  const parse_limits& limits) {
  frame_result out;
  out.skipped = detail::leading_line_breaks(buffer);
  out.ping = buffer.substr(0, out.skipped).find("\r\n\r\n") != std::string_view::npos;
  auto rest = buffer.substr(out.skipped);
  if (rest.empty()) {
    out.what = out.skipped > 0 ? frame_result::kind::keep_alive : frame_result::kind::need_more;
    return out;
  }

  auto block = detail::scan_header_block(rest, limits);
  if (!block) {
    if (block.error() == make_error_code(sip_errc::incomplete)) return out;
    return block.error();
  }
  // On a stream the body has no other end than Content-Length, so it is mandatory here.
  auto length = detail::content_length(block->headers, limits.max_message_size);
  if (!length) return length.error();
  if (!*length) return make_error_code(sip_errc::bad_content_length);
  auto size = block->body_offset + **length;
  if (size > limits.max_message_size) return make_error_code(sip_errc::message_too_large);
  if (rest.size() < size) return out;
  out.what = frame_result::kind::message;
  out.size = size;
  return out;
}

}  // namespace callcenterd::sip
