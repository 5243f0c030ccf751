#include "text_checks.hpp"

#include <boost/asio/ip/address.hpp>

#include "value_parsers.hpp"

namespace callcenterd::config::detail {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string ip_address_check(std::string_view text) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(text), ec);
  if (!ec) return {};
  return "expected an IPv4 or IPv6 address such as '127.0.0.1' or '::', got " + in_quotes(text);
}

namespace {

std::string token_of_at_most(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) {
    return "must be 1 to " + std::to_string(max) + " characters";
  }
  for (const char c : text) {
    const bool ok = is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '+';
    if (!ok)
      return "may contain only letters, digits, '.', '-', '_' and '+', got " + in_quotes(text);
  }
  return {};
}

}  // namespace

std::string token_check(std::string_view text) { return token_of_at_most(text, 64); }

std::string extension_check(std::string_view text) { return token_of_at_most(text, 32); }

std::string queue_name_check(std::string_view text) {
  if (text.empty() || text.size() > 64) return "must be 1 to 64 characters";
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return "may contain only lower-case letters, digits, '-' and '_', got " + in_quotes(text);
    }
  }
  return {};
}

std::string one_line_check(std::string_view text, std::size_t max_bytes) {
  if (text.empty()) return "must not be empty";
  if (text.size() > max_bytes) return "must be at most " + std::to_string(max_bytes) + " bytes";
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == '\0') return "must be one line of text";
  }
  return {};
}

std::string greeting_check(std::string_view text) { return one_line_check(text, 1000); }

std::string not_empty(std::string_view text) {
  return text.empty() ? "must not be empty" : std::string();
}

namespace {

// Letters, digits and '_', not starting with a digit: the names of C, shells and our flows.
bool is_identifier(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!(is_alnum(c) || c == '_') || (i == 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

std::string env_name_check(std::string_view text) {
  if (is_identifier(text)) return {};
  return "expected the name of an environment variable (letters, digits and '_', not starting "
         "with a digit), got " +
         in_quotes(text);
}

std::string variable_name_check(std::string_view text) {
  if (!text.empty() && text.size() <= 64 && is_identifier(text)) return {};
  return "a variable name is 1 to 64 letters, digits and '_', not starting with a digit; got " +
         in_quotes(text);
}

std::string language_check(std::string_view text) {
  if (text == "en" || text == "zh") return {};
  return "must be en (English) or zh (Mandarin), got " + in_quotes(text);
}

}  // namespace callcenterd::config::detail
