#include "value_parsers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <system_error>

namespace callcenterd::config::detail {

namespace {

struct unit {
  std::string_view name;
  std::uint64_t factor;
};

// Largest first: the formatters pick the first unit that divides evenly.
constexpr std::array<unit, 4> duration_units{
    {{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
constexpr std::array<unit, 3> size_units{
    {{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "250ms" split into 250 and "ms"; nullopt when the text does not start with a digit.
struct number_and_suffix {
  std::uint64_t number = 0;
  std::string_view suffix;
  bool overflow = false;
};

std::optional<number_and_suffix> split_number(std::string_view text) {
  if (text.empty() || !is_digit(text.front())) return std::nullopt;
  std::size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  number_and_suffix out;
  const auto ec = std::from_chars(text.data(), text.data() + digits, out.number).ec;
  out.overflow = ec == std::errc::result_out_of_range;
  out.suffix = text.substr(digits);
  return out;
}

bool multiply_fits(std::uint64_t a, std::uint64_t b, std::uint64_t limit) {
  return b == 0 || a <= limit / b;
}

}  // namespace

parsed<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || end != text.data() + text.size()) {
    return parsed<std::int64_t>::fail("expected an integer, got " + in_quotes(text));
  }
  if (ec == std::errc::result_out_of_range) {
    return parsed<std::int64_t>::fail("the number " + in_quotes(text) + " is too large");
  }
  return parsed<std::int64_t>::ok(value);
}

parsed<std::chrono::milliseconds> parse_duration(std::string_view text) {
  using result = parsed<std::chrono::milliseconds>;
  const std::string example = " such as '250ms', '30s', '5m' or '1h'";
  if (!text.empty() && text.front() == '-') {
    return result::fail("a duration cannot be negative, got " + in_quotes(text));
  }
  const auto split = split_number(text);
  if (!split) return result::fail("expected a duration" + example + ", got " + in_quotes(text));
  if (split->suffix.empty()) {
    return result::fail("a duration needs a unit (ms, s, m or h), e.g. '" + std::string(text) +
                        "s', got " + in_quotes(text));
  }
  if (split->suffix.front() == '.') {
    return result::fail(
        "a duration must be a whole number of its unit (write '1500ms' for "
        "one and a half seconds), got " +
        in_quotes(text));
  }
  for (const auto& u : duration_units) {
    if (split->suffix != u.name) continue;
    constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (split->overflow || !multiply_fits(split->number, u.factor, limit)) {
      return result::fail("the duration " + in_quotes(text) + " is too large");
    }
    return result::ok(
        std::chrono::milliseconds(static_cast<std::int64_t>(split->number * u.factor)));
  }
  return result::fail("unknown duration unit " + in_quotes(split->suffix) + " in " +
                      in_quotes(text) + " (use ms, s, m or h)");
}

parsed<std::uint64_t> parse_size(std::string_view text) {
  using result = parsed<std::uint64_t>;
  if (!text.empty() && text.front() == '-') {
    return result::fail("a size cannot be negative, got " + in_quotes(text));
  }
  const auto split = split_number(text);
  if (!split) {
    return result::fail("expected a size in bytes or with a unit such as '8KiB' or '1MiB', got " +
                        in_quotes(text));
  }
  const auto too_large = [&] {
    return result::fail("the size " + in_quotes(text) + " is too large");
  };
  if (split->overflow) return too_large();
  if (split->suffix.empty()) return result::ok(split->number);
  for (const auto& u : size_units) {
    if (split->suffix != u.name) continue;
    if (!multiply_fits(split->number, u.factor, std::numeric_limits<std::uint64_t>::max())) {
      return too_large();
    }
    return result::ok(split->number * u.factor);
  }
  return result::fail("unknown size unit " + in_quotes(split->suffix) + " in " + in_quotes(text) +
                      " (use a plain number of bytes, KiB, MiB or GiB)");
}

parsed<double> parse_decimal(std::string_view text) {
  using result = parsed<double>;
  if (!text.empty() && text.back() == '%') {
    return result::fail("write a percentage as a fraction, e.g. '0.8' for 80%, got " +
                        in_quotes(text));
  }
  // Checked by hand first: from_chars alone would take "1e3", "inf" and "nan".
  const std::string_view unsigned_part =
      !text.empty() && text.front() == '-' ? text.substr(1) : text;
  const auto point = unsigned_part.find('.');
  const std::string_view whole = unsigned_part.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view("0") : unsigned_part.substr(point + 1);
  const auto all_digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), is_digit);
  };
  if (!all_digits(whole) || !all_digits(fraction)) {
    return result::fail("expected a decimal number such as '0.8', got " + in_quotes(text));
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return result::fail("the number " + in_quotes(text) + " is out of range");
  }
  return result::ok(value);
}

parsed<bool> parse_bool(std::string_view text) {
  if (text == "true") return parsed<bool>::ok(true);
  if (text == "false") return parsed<bool>::ok(false);
  return parsed<bool>::fail("expected true or false, got " + in_quotes(text));
}

std::string format_duration(std::chrono::milliseconds value) {
  const auto count = value.count();
  if (count <= 0) return std::to_string(count) + "ms";
  const auto magnitude = static_cast<std::uint64_t>(count);
  for (const auto& u : duration_units) {
    if (magnitude % u.factor == 0)
      return std::to_string(magnitude / u.factor) + std::string(u.name);
  }
  return std::to_string(count) + "ms";  // not reached: the last unit divides everything
}

std::string format_size(std::uint64_t bytes) {
  if (bytes == 0) return "0";
  for (const auto& u : size_units) {
    if (bytes % u.factor == 0) return std::to_string(bytes / u.factor) + std::string(u.name);
  }
  return std::to_string(bytes);
}

}  // namespace callcenterd::config::detail
