#include "header_block.hpp"

#include <algorithm>

#include "callcenterd/sip/error.hpp"
#include "text.hpp"

namespace callcenterd::sip::detail {
namespace {

bool has_control_chars(std::string_view line) {
  return std::any_of(line.begin(), line.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

}  // namespace

std::size_t leading_line_breaks(std::string_view bytes) {
  std::size_t n = 0;
  while (n < bytes.size() && (bytes[n] == '\r' || bytes[n] == '\n')) ++n;
  return n;
}

boost::system::result<header_block> scan_header_block(std::string_view bytes,
                                                      const parse_limits& limits) {
  header_block block;
  std::size_t pos = 0;
  bool first = true;
  while (true) {
    if (pos > limits.max_message_size) return make_error_code(sip_errc::message_too_large);
    auto nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) {
      // A line that is already too long is refused now rather than buffered further.
      if (bytes.size() - pos > limits.max_header_line) {
        return make_error_code(sip_errc::header_too_long);
      }
      if (bytes.size() > limits.max_message_size) {
        return make_error_code(sip_errc::message_too_large);
      }
      return make_error_code(sip_errc::incomplete);
    }
    auto line = bytes.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits.max_header_line) return make_error_code(sip_errc::header_too_long);
    pos = nl + 1;

    if (first) {
      if (line.empty() || has_control_chars(line)) {
        return make_error_code(sip_errc::bad_start_line);
      }
      block.start_line = line;
      first = false;
      continue;
    }
    if (line.empty()) {
      if (pos > limits.max_message_size) return make_error_code(sip_errc::message_too_large);
      block.body_offset = pos;
      return block;
    }
    if (has_control_chars(line)) return make_error_code(sip_errc::bad_header);
    if (line.front() == ' ' || line.front() == '\t') {
      if (block.headers.empty()) return make_error_code(sip_errc::bad_header);
      auto& last = block.headers.back();
      auto more = trim(line);
      if (!more.empty()) {
        if (!last.value.empty()) last.value += ' ';
        last.value.append(more);
      }
      if (last.name.size() + last.value.size() + 2 > limits.max_header_line) {
        return make_error_code(sip_errc::header_too_long);
      }
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return make_error_code(sip_errc::bad_header);
    auto name = trim(line.substr(0, colon));
    if (!is_token(name)) return make_error_code(sip_errc::bad_header);
    if (block.headers.size() >= limits.max_headers) {
      return make_error_code(sip_errc::too_many_headers);
    }
    block.headers.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
  }
}

boost::system::result<std::optional<std::size_t>> content_length(
    const std::vector<sip_header>& headers, std::size_t max) {
  std::optional<std::size_t> found;
  for (const auto& h : headers) {
    if (!same_header_name(h.name, "Content-Length")) continue;
    auto value = parse_decimal(h.value, max);
    if (!value || (found && *found != *value)) {
      return make_error_code(sip_errc::bad_content_length);
    }
    found = static_cast<std::size_t>(*value);
  }
  return found;
}

}  // namespace callcenterd::sip::detail
