#include "sdp_text.hpp"

#include <limits>

namespace callcenterd::sip::sdp::detail {

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x21 || u > 0x7e) return false;
  switch (c) {
    case '"':
    case '(':
    case ')':
    case ',':
    case '/':
    case ':':
    case ';':
    case '<':
    case '=':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
      return false;
    default:
      return true;
  }
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool is_visible(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return false;
  }
  return true;
}

bool is_proto(std::string_view text) {
  std::size_t start = 0;
  while (true) {
    const auto slash = text.find('/', start);
    const auto part = text.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (!is_token(part)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  constexpr auto limit = std::numeric_limits<std::uint64_t>::max();
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (value > max) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    const auto end = text.find(' ', pos);
    const auto stop = end == std::string_view::npos ? text.size() : end;
    fields.push_back(text.substr(pos, stop - pos));
    pos = stop;
  }
  return fields;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::string_view> after_payload_type(std::string_view value,
                                                   std::uint8_t payload_type) {
  const auto space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto number = parse_number(value.substr(0, space), 127);
  if (!number || *number != payload_type) return std::nullopt;
  auto rest = value.substr(space + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

}  // namespace callcenterd::sip::sdp::detail
