#include "callcenterd/sip/parser.hpp"

#include "callcenterd/sip/error.hpp"
#include "header_block.hpp"
#include "text.hpp"

namespace callcenterd::sip {
namespace {

using boost::system::error_code;

bool is_sip_version(std::string_view text) { return detail::iequals(text, "SIP/2.0"); }

// Anything that looks like a version but is not 2.0 is reported apart from garbage, so that a
// transport can answer 505 instead of 400.
bool looks_like_version(std::string_view text) {
  return text.size() > 4 && detail::iequals(text.substr(0, 4), "SIP/");
}

boost::system::result<sip_message> parse_response_line(std::string_view line) {
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return make_error_code(sip_errc::bad_start_line);
  if (!is_sip_version(line.substr(0, sp1))) return make_error_code(sip_errc::bad_version);
  auto rest = line.substr(sp1 + 1);
  auto sp2 = rest.find(' ');
  auto code_text = rest.substr(0, sp2);
  auto code = detail::parse_decimal(code_text, 699);
  if (code_text.size() != 3 || !code || *code < 100) {
    return make_error_code(sip_errc::bad_status);
  }
  std::string reason;
  if (sp2 != std::string_view::npos) reason = std::string(rest.substr(sp2 + 1));
  return sip_message::make_response(static_cast<int>(*code), std::move(reason));
}

boost::system::result<sip_message> parse_request_line(std::string_view line) {
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return make_error_code(sip_errc::bad_start_line);
  auto method = line.substr(0, sp1);
  if (!detail::is_token(method)) return make_error_code(sip_errc::bad_method);
  auto rest = line.substr(sp1 + 1);
  auto sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos) return make_error_code(sip_errc::bad_start_line);
  auto version = rest.substr(sp2 + 1);
  if (!is_sip_version(version)) {
    return make_error_code(looks_like_version(version) ? sip_errc::bad_version
                                                       : sip_errc::bad_start_line);
  }
  auto uri = parse_uri(rest.substr(0, sp2));
  if (!uri) return uri.error();
  return sip_message::make_request(std::string(method), std::move(*uri));
}

}  // namespace

boost::system::result<sip_message> parse_message(std::string_view bytes,
                                                 const parse_limits& limits) {
  if (bytes.size() > limits.max_message_size) {
    return make_error_code(sip_errc::message_too_large);
  }
  bytes.remove_prefix(detail::leading_line_breaks(bytes));
  auto block = detail::scan_header_block(bytes, limits);
  if (!block) return block.error();

  auto start = block->start_line;
  auto message = looks_like_version(start.substr(0, start.find(' '))) ? parse_response_line(start)
                                                                      : parse_request_line(start);
  if (!message) return message.error();

  auto length = detail::content_length(block->headers, limits.max_message_size);
  if (!length) return length.error();
  auto body = bytes.substr(block->body_offset);
  if (*length) {
    if (body.size() < **length) return make_error_code(sip_errc::incomplete);
    body = body.substr(0, **length);
  }
  for (auto& h : block->headers) message->add_header(std::move(h.name), std::move(h.value));
  message->set_body(std::string(body));
  return message;
}

}  // namespace callcenterd::sip
