// Phone numbers to E.164: the one spelling under which the CRM stores and finds them.
#include "callcenterd/crm/phone_number.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace callcenterd::crm {
namespace {

constexpr std::size_t min_digits = 5;
constexpr std::size_t max_digits = 15;  // E.164's limit, country code included
constexpr std::size_t min_prefix_digits = 3;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_country_code(std::string_view cc) {
  return !cc.empty() && cc.size() <= 3 && cc[0] != '0' &&
         std::all_of(cc.begin(), cc.end(), is_digit);
}

// `raw` with full-width forms folded to ASCII; nothing when a character is neither a digit,
// a separator nor '+'.
std::optional<std::string> folded_ascii(std::string_view raw) {
  std::string out;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    char32_t c = utf8::next(raw, pos);
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c == 0x3000) c = ' ';                     // ideographic space
    const bool allowed = (c >= '0' && c <= '9') || c == ' ' || c == '\t' || c == '-' || c == '.' ||
                         c == '/' || c == '(' || c == ')' || c == '+';
    if (!allowed) return std::nullopt;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// The number's digits in international form (country code first, no '+'), by the rules in
// the header; nothing when the characters are wrong.
std::optional<std::string> international_digits(std::string_view raw, std::string_view cc) {
  if (!valid_country_code(cc)) return std::nullopt;
  auto text = folded_ascii(raw);
  if (!text) return std::nullopt;
  const std::string_view trimmed = utf8::trim(*text);
  if (trimmed.empty()) return std::nullopt;
  const bool plus = trimmed.front() == '+';
  std::string body(plus ? trimmed.substr(1) : trimmed);
  if (body.find('+') != std::string::npos) return std::nullopt;
  if (std::count(body.begin(), body.end(), '(') != std::count(body.begin(), body.end(), ')')) {
    return std::nullopt;
  }
  std::string digits;
  std::copy_if(body.begin(), body.end(), std::back_inserter(digits), is_digit);
  const bool international = plus || digits.starts_with("00");
  if (international) {
    if (const auto trunk = body.find("(0)"); trunk != std::string::npos) body.erase(trunk, 3);
    digits.clear();
    std::copy_if(body.begin(), body.end(), std::back_inserter(digits), is_digit);
    return plus ? digits : digits.substr(2);
  }
  if (cc == "1" && digits.size() == 11 && digits.front() == '1') return digits;
  if (digits.starts_with('0')) digits.erase(0, 1);
  return std::string(cc) + digits;
}

}  // namespace

std::optional<std::string> normalize_e164(std::string_view raw, std::string_view country_code) {
  auto digits = international_digits(raw, country_code);
  if (!digits || digits->size() < min_digits || digits->size() > max_digits ||
      digits->front() == '0') {
    return std::nullopt;
  }
  return "+" + *digits;
}

std::optional<std::string> e164_prefix(std::string_view raw, std::string_view country_code) {
  const auto typed = folded_ascii(raw);
  if (!typed || std::count_if(typed->begin(), typed->end(), is_digit) <
                    static_cast<std::ptrdiff_t>(min_prefix_digits)) {
    return std::nullopt;
  }
  auto digits = international_digits(raw, country_code);
  if (!digits || digits->empty() || digits->size() > max_digits || digits->front() == '0') {
    return std::nullopt;
  }
  return "+" + *digits;
}

}  // namespace callcenterd::crm
