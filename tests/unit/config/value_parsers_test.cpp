#include "value_parsers.hpp"

#include <gtest/gtest.h>

namespace callcenterd::config::detail {
namespace {

using namespace std::chrono_literals;

TEST(parse_duration, every_unit) {
  EXPECT_EQ(parse_duration("250ms").value, 250ms);
  EXPECT_EQ(parse_duration("30s").value, 30s);
  EXPECT_EQ(parse_duration("5m").value, 5min);
  EXPECT_EQ(parse_duration("1h").value, 1h);
  EXPECT_EQ(parse_duration("0s").value, 0ms);
  EXPECT_EQ(parse_duration("0007s").value, 7s);
}

TEST(parse_duration, refusals_say_why) {
  EXPECT_EQ(parse_duration("30").error,
            "a duration needs a unit (ms, s, m or h), e.g. '30s', got '30'");
  EXPECT_EQ(parse_duration("30x").error, "unknown duration unit 'x' in '30x' (use ms, s, m or h)");
  EXPECT_EQ(parse_duration("30 s").error,
            "unknown duration unit ' s' in '30 s' (use ms, s, m or h)");
  EXPECT_EQ(parse_duration("30S").error, "unknown duration unit 'S' in '30S' (use ms, s, m or h)");
  EXPECT_EQ(parse_duration("1.5s").error,
            "a duration must be a whole number of its unit (write '1500ms' for one and a half "
            "seconds), got '1.5s'");
  EXPECT_EQ(parse_duration("-5s").error, "a duration cannot be negative, got '-5s'");
  EXPECT_EQ(parse_duration("soon").error,
            "expected a duration such as '250ms', '30s', '5m' or '1h', got 'soon'");
  EXPECT_EQ(parse_duration("").error,
            "expected a duration such as '250ms', '30s', '5m' or '1h', got ''");
  EXPECT_EQ(parse_duration("99999999999999999h").error,
            "the duration '99999999999999999h' is too large");
  EXPECT_EQ(parse_duration("99999999999999999999ms").error,
            "the duration '99999999999999999999ms' is too large");
  EXPECT_FALSE(parse_duration("30s").error.size());
}

TEST(parse_size, plain_bytes_and_binary_units) {
  EXPECT_EQ(parse_size("0").value, 0u);
  EXPECT_EQ(parse_size("512").value, 512u);
  EXPECT_EQ(parse_size("8KiB").value, 8192u);
  EXPECT_EQ(parse_size("1MiB").value, 1048576u);
  EXPECT_EQ(parse_size("2GiB").value, 2147483648u);
}

TEST(parse_size, refusals_say_why) {
  EXPECT_EQ(parse_size("8KB").error,
            "unknown size unit 'KB' in '8KB' (use a plain number of bytes, KiB, MiB or GiB)");
  EXPECT_EQ(parse_size("8kib").error,
            "unknown size unit 'kib' in '8kib' (use a plain number of bytes, KiB, MiB or GiB)");
  EXPECT_EQ(parse_size("-1").error, "a size cannot be negative, got '-1'");
  EXPECT_EQ(parse_size("big").error,
            "expected a size in bytes or with a unit such as '8KiB' or '1MiB', got 'big'");
  EXPECT_EQ(parse_size("99999999999GiB").error, "the size '99999999999GiB' is too large");
  EXPECT_EQ(parse_size("99999999999999999999").error,
            "the size '99999999999999999999' is too large");
  EXPECT_FALSE(parse_size("1.5MiB").value.has_value());
}

TEST(parse_integer, decimal_only) {
  EXPECT_EQ(parse_integer("42").value, 42);
  EXPECT_EQ(parse_integer("-7").value, -7);
  EXPECT_EQ(parse_integer("abc").error, "expected an integer, got 'abc'");
  EXPECT_EQ(parse_integer("+1").error, "expected an integer, got '+1'");
  EXPECT_EQ(parse_integer("0x10").error, "expected an integer, got '0x10'");
  EXPECT_EQ(parse_integer("1_000").error, "expected an integer, got '1_000'");
  EXPECT_EQ(parse_integer("").error, "expected an integer, got ''");
  EXPECT_EQ(parse_integer("9223372036854775808").error,
            "the number '9223372036854775808' is too large");
}

TEST(parse_decimal, plain_decimal_notation_only) {
  EXPECT_EQ(parse_decimal("0.8").value, 0.8);
  EXPECT_EQ(parse_decimal("1").value, 1.0);
  EXPECT_EQ(parse_decimal("0").value, 0.0);
  EXPECT_EQ(parse_decimal("1.000").value, 1.0);
  EXPECT_EQ(parse_decimal("-0.25").value, -0.25);
  EXPECT_EQ(parse_decimal("80%").error,
            "write a percentage as a fraction, e.g. '0.8' for 80%, got '80%'");
  for (const char* refused :
       {"", ".8", "1.", "+1", "1e-1", "inf", "nan", "0x1", "1,5", "0.8 ", "-", "-.5", "1.2.3"}) {
    EXPECT_EQ(parse_decimal(refused).error,
              "expected a decimal number such as '0.8', got '" + std::string(refused) + "'")
        << refused;
  }
  const auto huge = parse_decimal(std::string(400, '9'));
  EXPECT_FALSE(huge.value.has_value());
  EXPECT_TRUE(huge.error.starts_with("the number '999")) << huge.error;
  EXPECT_TRUE(huge.error.ends_with("' is out of range")) << huge.error;
}

TEST(parse_bool, only_true_and_false) {
  EXPECT_EQ(parse_bool("true").value, true);
  EXPECT_EQ(parse_bool("false").value, false);
  EXPECT_EQ(parse_bool("yes").error, "expected true or false, got 'yes'");
}

TEST(format_values, largest_exact_unit) {
  EXPECT_EQ(format_duration(30000ms), "30s");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(120s), "2m");
  EXPECT_EQ(format_duration(2h), "2h");
  EXPECT_EQ(format_duration(0ms), "0ms");
  EXPECT_EQ(format_size(8192), "8KiB");
  EXPECT_EQ(format_size(1000), "1000");
  EXPECT_EQ(format_size(1ULL << 30), "1GiB");
}

}  // namespace
}  // namespace callcenterd::config::detail
