#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "callcenterd/core/wording.hpp"

namespace callcenterd::config::detail {

/// A parsed scalar, or the reason it was refused as a full sentence for the user.
template <class T>
struct parsed {
  std::optional<T> value;
  std::string error;

  static parsed ok(T v) { return parsed{std::move(v), {}}; }
  static parsed fail(std::string why) { return parsed{std::nullopt, std::move(why)}; }
};

/// Decimal integer with an optional leading '-'; nothing else (no '+', hex or underscores).
parsed<std::int64_t> parse_integer(std::string_view text);

/// A whole number followed by a unit without a space: "250ms", "30s", "5m", "1h".
parsed<std::chrono::milliseconds> parse_duration(std::string_view text);

/// A whole number of bytes, optionally followed by KiB, MiB or GiB: "512", "8KiB", "1MiB".
parsed<std::uint64_t> parse_size(std::string_view text);

/// A decimal number with an optional leading '-' and fraction: "0.8", "1", "-0.25". No
/// exponent, no leading '.' or '+', no percent sign (a percentage is written as a fraction).
parsed<double> parse_decimal(std::string_view text);

/// Only "true" and "false": YAML 1.1 spellings such as "yes" or "on" are refused.
parsed<bool> parse_bool(std::string_view text);

/// Shortest exact spelling in the largest unit that divides evenly: 30000ms -> "30s".
std::string format_duration(std::chrono::milliseconds value);

/// Same idea for sizes: 8192 -> "8KiB", 1000 -> "1000".
std::string format_size(std::uint64_t bytes);

using core::in_quotes;

}  // namespace callcenterd::config::detail
