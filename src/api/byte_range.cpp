// Single byte ranges of the Range header, for media that browsers seek in (<audio>).
#include "callcenterd/api/byte_range.hpp"

#include <charconv>

namespace callcenterd::api {

namespace {

std::optional<std::uint64_t> number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

byte_range_request parse_byte_range(std::string_view range, std::uint64_t size) {
  using kind = byte_range_request::kind;
  constexpr std::string_view unit = "bytes=";
  range = trim(range);
  if (range.size() <= unit.size() || range.substr(0, unit.size()) != unit) return {};
  const auto spec = trim(range.substr(unit.size()));
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const auto first_text = trim(spec.substr(0, dash));
  const auto last_text = trim(spec.substr(dash + 1));
  if (first_text.empty()) {
    // A suffix: the last N bytes.
    const auto length = number(last_text);
    if (!length) return {};
    if (*length == 0 || size == 0) return {.what = kind::unsatisfiable};
    const auto take = std::min(*length, size);
    return {.what = kind::part, .first = size - take, .last = size - 1};
  }
  const auto first = number(first_text);
  if (!first) return {};
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    const auto asked = number(last_text);
    if (!asked || *asked < *first) return {};
    last = std::min(*asked, last);
  }
  if (*first >= size) return {.what = kind::unsatisfiable};
  return {.what = kind::part, .first = *first, .last = last};
}

}  // namespace callcenterd::api
