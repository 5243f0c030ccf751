#include "callcenterd/media/dtmf_info.hpp"

#include <cstdint>

namespace callcenterd::media {
namespace {

// Real bodies are a few dozen bytes; anything much longer is not DTMF.
constexpr std::size_t max_body_size = 1024;
// A press longer than a minute is a stuck key or garbage, not something to act on.
constexpr std::uint32_t max_duration_ms = 60'000;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_line_end(char c) { return c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text, bool (*drop)(char)) {
  while (!text.empty() && drop(text.front())) text.remove_prefix(1);
  while (!text.empty() && drop(text.back())) text.remove_suffix(1);
  return text;
}

bool is_space(char c) { return is_blank(c) || is_line_end(c); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// 1..`max_digits` decimal digits, nothing else.
std::optional<std::uint32_t> parse_decimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return value;
}

// A key as a character, or as an event code for the phones that send `Signal=10` for `*`.
std::optional<dtmf_key> parse_key(std::string_view text) {
  if (text.size() == 1) return dtmf_key_from_char(text.front());
  const auto code = parse_decimal(text, 2);
  if (!code) return std::nullopt;
  return dtmf_key_from_event_code(static_cast<std::uint8_t>(*code));
}

}  // namespace

std::optional<dtmf_info> parse_dtmf_relay(std::string_view body) {
  if (body.size() > max_body_size) return std::nullopt;
  std::optional<dtmf_key> key;
  std::optional<std::chrono::milliseconds> duration;
  while (!body.empty()) {
    std::size_t end = 0;
    while (end < body.size() && !is_line_end(body[end])) ++end;
    const auto line = trim(body.substr(0, end), is_blank);
    body.remove_prefix(end < body.size() ? end + 1 : end);
    if (line.empty()) continue;  // the blank half of a CRLF, or a trailing empty line

    const auto equals = line.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const auto name = trim(line.substr(0, equals), is_blank);
    const auto value = trim(line.substr(equals + 1), is_blank);
    if (iequals(name, "signal")) {
      if (key) return std::nullopt;  // two keys in one body: which one was meant?
      key = parse_key(value);
      if (!key) return std::nullopt;
    } else if (iequals(name, "duration")) {
      // A bad duration costs only the duration: the key was pressed all the same.
      const auto ms = parse_decimal(value, 9);
      duration.reset();
      if (ms && *ms <= max_duration_ms) duration = std::chrono::milliseconds(*ms);
    }
  }
  if (!key) return std::nullopt;
  return dtmf_info{*key, duration};
}

std::optional<dtmf_info> parse_application_dtmf(std::string_view body) {
  if (body.size() > max_body_size) return std::nullopt;
  const auto key = parse_key(trim(body, is_space));
  if (!key) return std::nullopt;
  return dtmf_info{*key, std::nullopt};
}

std::optional<dtmf_info> parse_dtmf_info(std::string_view content_type, std::string_view body) {
  const auto media_type = trim(content_type.substr(0, content_type.find(';')), is_blank);
  if (iequals(media_type, "application/dtmf-relay")) return parse_dtmf_relay(body);
  if (iequals(media_type, "application/dtmf")) return parse_application_dtmf(body);
  return std::nullopt;
}

}  // namespace callcenterd::media
