#pragma once

// UTF-8 decoding for the CRM's text rules, tokeniser and snippets. Private to the crm library.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::crm::utf8 {

/// Stands in for bytes that are not UTF-8.
inline constexpr char32_t replacement = 0xFFFD;

/// Decodes the code point at `pos` and moves `pos` past it. Malformed input (a stray
/// continuation byte, a truncated or overlong sequence, a surrogate, beyond U+10FFFF) yields
/// `replacement` and moves one byte on, so a loop over any bytes ends.
char32_t next(std::string_view text, std::size_t& pos);

/// Appends `c` as UTF-8.
void append(std::string& out, char32_t c);

/// True when `text` is well-formed UTF-8.
bool valid(std::string_view text);

/// The number of code points in `text` (malformed bytes count one each).
std::size_t length(std::string_view text);

/// Why `text` may not be stored as a text field, or nothing when it may: it must be UTF-8,
/// at most `max_chars` code points, and free of control characters (line breaks and tabs
/// allowed when `multiline`). PostgreSQL would refuse a NUL, and a control character in a
/// name breaks the console and exported files.
std::optional<std::string> text_problem(std::string_view text, std::size_t max_chars,
                                        bool multiline);

/// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

}  // namespace callcenterd::crm::utf8
