#include "callcenterd/sip/replaces.hpp"

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "text.hpp"

namespace callcenterd::sip {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

boost::system::result<replaces_value> parse_replaces(std::string_view text) {
  const auto bad = make_error_code(sip_errc::bad_header_value);
  text = detail::trim(text);
  const auto semicolon = text.find(';');
  if (semicolon == std::string_view::npos) return bad;
  replaces_value value;
  value.call_id = std::string(detail::trim(text.substr(0, semicolon)));
  if (value.call_id.empty() || value.call_id.find_first_of(" \t\"<>") != std::string::npos) {
    return bad;
  }
  auto params = parse_params(text.substr(semicolon));
  if (!params) return params.error();
  auto to_tag = find_param(*params, "to-tag");
  auto from_tag = find_param(*params, "from-tag");
  if (!to_tag || !from_tag || to_tag->empty() || from_tag->empty()) return bad;
  value.to_tag = std::move(*to_tag);
  value.from_tag = std::move(*from_tag);
  value.early_only = find_param(*params, "early-only").has_value();
  return value;
}

std::optional<std::string> unescape_uri_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !detail::is_hex(text[i + 1]) || !detail::is_hex(text[i + 2])) {
      return std::nullopt;
    }
    out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace callcenterd::sip
