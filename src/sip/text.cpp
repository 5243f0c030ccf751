#include "text.hpp"

#include <algorithm>

namespace callcenterd::sip::detail {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_token_char(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    // Checked per digit so that twenty nines cannot wrap around.
    if (value > max) return std::nullopt;
  }
  return value;
}

namespace {

bool valid_ipv4(std::string_view text) {
  int parts = 0;
  while (true) {
    auto dot = text.find('.');
    auto part = text.substr(0, dot);
    if (part.size() > 3 || !parse_decimal(part, 255)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view text) {
  if (text.size() < 2 || text.find(':') == std::string_view::npos) return false;
  int colons = 0;
  for (char c : text) {
    if (c == ':')
      ++colons;
    else if (!is_hex(c) && c != '.')
      return false;
  }
  return colons >= 2 && colons <= 7;
}

bool valid_hostname(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.front() == '-') return false;
  bool only_digits = true;
  for (char c : text) {
    if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.') return false;
    if (is_alpha(c) || c == '-') only_digits = false;
  }
  // Dotted digits that are not an IPv4 address (e.g. "1.2.3") are neither name nor address.
  return !only_digits;
}

}  // namespace

std::optional<host_port> parse_host_port(std::string_view text) {
  host_port out;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto addr = text.substr(1, close - 1);
    if (!valid_ipv6(addr)) return std::nullopt;
    out.host = std::string(addr);
    out.kind = host_kind::ipv6;
    rest = text.substr(close + 1);
  } else {
    auto colon = text.find(':');
    auto host = text.substr(0, colon);
    if (valid_ipv4(host)) {
      out.kind = host_kind::ipv4;
    } else if (!valid_hostname(host)) {
      return std::nullopt;
    }
    out.host = std::string(host);
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':') return std::nullopt;
    auto port = parse_decimal(rest.substr(1), 65535);
    if (!port) return std::nullopt;
    out.port = static_cast<std::uint16_t>(*port);
  }
  return out;
}

std::string host_port_text(std::string_view host, host_kind kind,
                           std::optional<std::uint16_t> port) {
  std::string out;
  if (kind == host_kind::ipv6) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  if (port) out.append(":").append(std::to_string(*port));
  return out;
}

std::size_t skip_quoted(std::string_view text, std::size_t start) {
  for (std::size_t i = start + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace callcenterd::sip::detail
