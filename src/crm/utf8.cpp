// UTF-8 decoding and the text rules every stored CRM text field follows.
#include "utf8.hpp"

namespace callcenterd::crm::utf8 {

char32_t next(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t extra = 0;
  char32_t c = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    c = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    c = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    c = lead & 0x07;
    minimum = 0x10000;
  } else {
    ++pos;
    return replacement;
  }
  if (pos + extra >= text.size()) {  // truncated at the end
    ++pos;
    return replacement;
  }
  for (std::size_t i = 1; i <= extra; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return replacement;
    }
    c = (c << 6) | (b & 0x3F);
  }
  // Overlong forms and surrogates are other spellings or halves of characters: refusing them
  // keeps one spelling per character.
  if (c < minimum || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++pos;
    return replacement;
  }
  pos += extra + 1;
  return c;
}

void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool valid(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t c = next(text, pos);
    // A real U+FFFD is three bytes; a replacement for bad input moved one.
    if (c == replacement && pos - start == 1) return false;
  }
  return true;
}

std::size_t length(std::string_view text) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    next(text, pos);
    ++count;
  }
  return count;
}

std::optional<std::string> text_problem(std::string_view text, std::size_t max_chars,
                                        bool multiline) {
  if (!valid(text)) return "is not valid UTF-8";
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = next(text, pos);
    ++count;
    const bool allowed_break = multiline && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 || c == 0x7F) && !allowed_break) {
      return multiline ? "contains a control character"
                       : "contains a control character or line break";
    }
  }
  if (count > max_chars) {
    return "is longer than " + std::to_string(max_chars) + " characters";
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace callcenterd::crm::utf8
