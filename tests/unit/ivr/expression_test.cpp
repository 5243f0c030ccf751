#include "callcenterd/ivr/expression.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

#include "variables_for_test.hpp"

namespace callcenterd::ivr {

// So that failed expectations show the value rather than its bytes (gtest looks for the name).
void PrintTo(const value& v, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << v.type_name();
  if (!v.is_null()) *os << " " << v.to_text();
}

namespace {

using test::context_of;
using test::vars;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

expression parsed(std::string_view text) {
  auto result = expression::parse(text);
  if (const auto* error = std::get_if<parse_error>(&result)) {
    ADD_FAILURE() << "'" << text << "' does not parse: " << error->reason << " at "
                  << error->offset;
    return {};
  }
  return std::get<expression>(result);
}

value eval(std::string_view text, const vars& bound = {}) {
  auto result = parsed(text).evaluate(context_of(bound));
  if (const auto* error = std::get_if<evaluation_error>(&result)) {
    ADD_FAILURE() << "'" << text << "' fails: " << error->reason;
    return {};
  }
  return std::get<value>(result);
}

std::string eval_error(std::string_view text, const vars& bound = {}) {
  auto result = parsed(text).evaluate(context_of(bound));
  if (const auto* v = std::get_if<value>(&result)) {
    ADD_FAILURE() << "'" << text << "' gives " << v->type_name() << " " << v->to_text();
    return {};
  }
  return std::get<evaluation_error>(result).reason;
}

parse_error parse_fail(std::string_view text) {
  auto result = expression::parse(text);
  if (std::holds_alternative<expression>(result)) {
    ADD_FAILURE() << "'" << text << "' parses";
    return {};
  }
  return std::get<parse_error>(result);
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(value, reads_as_text_truth_and_type) {
  EXPECT_EQ(value().to_text(), "");
  EXPECT_EQ(value(true).to_text(), "true");
  EXPECT_EQ(value(false).to_text(), "false");
  EXPECT_EQ(value(-42).to_text(), "-42");
  EXPECT_EQ(value(int64_min).to_text(), "-9223372036854775808");
  EXPECT_EQ(value("héllo").to_text(), "héllo");

  EXPECT_FALSE(value().truthy());
  EXPECT_FALSE(value(false).truthy());
  EXPECT_FALSE(value(0).truthy());
  EXPECT_FALSE(value("").truthy());
  EXPECT_TRUE(value(true).truthy());
  EXPECT_TRUE(value(-1).truthy());
  EXPECT_TRUE(value("0").truthy());

  EXPECT_EQ(value().type_name(), "null");
  EXPECT_EQ(value(true).type_name(), "bool");
  EXPECT_EQ(value(1).type_name(), "integer");
  EXPECT_EQ(value("x").type_name(), "text");

  EXPECT_EQ(value(1), value(std::int64_t{1}));
  EXPECT_NE(value(1), value("1"));
  EXPECT_NE(value(0), value(false));
  EXPECT_EQ(value(), value());
}

TEST(expression, reads_literals) {
  EXPECT_EQ(eval("42"), value(42));
  EXPECT_EQ(eval("007"), value(7));
  EXPECT_EQ(eval("9223372036854775807"), value(int64_max));
  EXPECT_EQ(eval("\"double\""), value("double"));
  EXPECT_EQ(eval("'single'"), value("single"));
  EXPECT_EQ(eval(R"("a\\b\"c\'d\ne\tf")"), value("a\\b\"c'd\ne\tf"));
  EXPECT_EQ(eval(R"('it\'s "quoted"')"), value("it's \"quoted\""));
  EXPECT_EQ(eval("\"日本語\""), value("日本語"));
  EXPECT_EQ(eval("true"), value(true));
  EXPECT_EQ(eval("false"), value(false));
  EXPECT_EQ(eval("null"), value());
  EXPECT_EQ(eval("  \t\r\n 1 \n"), value(1));
}

TEST(expression, reads_int64_min_only_as_a_negative_literal) {
  // Chosen: unary minus directly before 9223372036854775808 reads as INT64_MIN; the bare
  // number, or any other operand of that minus, is too large.
  EXPECT_EQ(eval("-9223372036854775808"), value(int64_min));
  EXPECT_EQ(eval("- 9223372036854775808"), value(int64_min));
  EXPECT_EQ(eval("-9223372036854775808 + 1"), value(int64_min + 1));
  EXPECT_EQ(eval("-9223372036854775807"), value(int64_min + 1));
  EXPECT_NE(eval_error("--9223372036854775808").find("integer overflow"), std::string::npos);

  auto bare = parse_fail("9223372036854775808");
  EXPECT_EQ(bare.offset, 0u);
  EXPECT_NE(bare.reason.find("number too large"), std::string::npos);
  EXPECT_EQ(parse_fail("1 + 9223372036854775808").offset, 4u);
  EXPECT_EQ(parse_fail("1 -9223372036854775808").offset, 3u);  // a binary minus
  EXPECT_EQ(parse_fail("-(9223372036854775808)").offset, 2u);
  EXPECT_EQ(parse_fail("-9223372036854775809").offset, 1u);
  EXPECT_EQ(parse_fail("18446744073709551616").reason.find("number too large"), 0u);
  EXPECT_EQ(parse_fail(std::string(4000, '9')).reason.find("number too large"), 0u);
}

TEST(expression, binds_by_precedence_and_left_to_right) {
  EXPECT_EQ(eval("1 - 2 - 3"), value(-4));
  EXPECT_EQ(eval("1 - 2 - 3 == -4"), value(true));
  EXPECT_EQ(eval("2 + 3 * 4"), value(14));
  EXPECT_EQ(eval("(2 + 3) * 4"), value(20));
  EXPECT_EQ(eval("100 / 10 / 5"), value(2));
  EXPECT_EQ(eval("7 % 4 * 3"), value(9));
  EXPECT_EQ(eval("-2 * 3"), value(-6));
  EXPECT_EQ(eval("- -3"), value(3));
  EXPECT_EQ(eval("2 - -3"), value(5));
  EXPECT_EQ(eval("1 + 2 == 3"), value(true));
  EXPECT_EQ(eval("\"a\" + 1 + 2"), value("a12"));
  EXPECT_EQ(eval("1 + 2 + \"a\""), value("3a"));
  EXPECT_EQ(eval("true || false && false"), value(true));
  EXPECT_EQ(eval("(true || false) && false"), value(false));
  EXPECT_EQ(eval("true or false and false"), value(true));

  EXPECT_EQ(eval("!a && b", {{"a", false}, {"b", true}}), value(true));
  EXPECT_EQ(eval("!a && b", {{"a", true}, {"b", true}}), value(false));
  EXPECT_EQ(eval("not a and b", {{"a", false}, {"b", true}}), value(true));
  // As the grammar says, `!`/`not` take a whole comparison: !(1 == 2).
  EXPECT_EQ(eval("!1 == 2"), value(true));
  EXPECT_EQ(eval("not 1 == 2"), value(true));
  EXPECT_EQ(eval("!!x", {{"x", "y"}}), value(true));
  EXPECT_EQ(eval("1 == (!x)", {{"x", 0}}), value(false));
  EXPECT_EQ(eval("true == (!x)", {{"x", 0}}), value(true));
}

TEST(expression, and_or_short_circuit_and_give_bools) {
  EXPECT_EQ(eval("false && (1/0)"), value(false));
  EXPECT_EQ(eval("true || 1/0"), value(true));
  EXPECT_EQ(eval("0 and len(1)"), value(false));
  EXPECT_EQ(eval_error("true && 1/0"), "division by zero");
  EXPECT_EQ(eval_error("false || 1/0"), "division by zero");
  EXPECT_EQ(eval("1 && \"x\""), value(true));
  EXPECT_EQ(eval("null || \"x\""), value(true));
  EXPECT_EQ(eval("0 or \"\""), value(false));
  EXPECT_EQ(eval("1 and 2 and 0"), value(false));
  EXPECT_EQ(eval("0 or 0 or 3"), value(true));
}

TEST(expression, does_integer_arithmetic) {
  EXPECT_EQ(eval("7 / 2"), value(3));
  EXPECT_EQ(eval("-7 / 2"), value(-3));  // truncates towards zero
  EXPECT_EQ(eval("-7 % 2"), value(-1));  // takes the dividend's sign
  EXPECT_EQ(eval("7 % -2"), value(1));
  EXPECT_EQ(eval("9223372036854775806 + 1"), value(int64_max));
  EXPECT_EQ(eval("-9223372036854775808 / 1"), value(int64_min));
  EXPECT_EQ(eval("-9223372036854775808 % 2"), value(0));
}

TEST(expression, reports_overflow_and_division_by_zero) {
  for (const char* text :
       {"9223372036854775807 + 1", "-9223372036854775808 - 1", "9223372036854775807 * 2",
        "-9223372036854775808 * -1", "-9223372036854775808 / -1", "-9223372036854775808 % -1", "-x",
        "abs(x)", "abs(-9223372036854775808)"}) {
    EXPECT_NE(eval_error(text, {{"x", int64_min}}).find("integer overflow"), std::string::npos)
        << text;
  }
  EXPECT_EQ(eval_error("9223372036854775807 + 1"), "integer overflow in '+'");
  EXPECT_EQ(eval_error("abs(-9223372036854775808)"), "integer overflow in abs()");
  EXPECT_EQ(eval_error("1 / 0"), "division by zero");
  EXPECT_EQ(eval_error("1 % 0"), "division by zero");
  EXPECT_EQ(eval_error("1 / (2 - 2)"), "division by zero");
}

TEST(expression, names_operator_and_types_in_type_errors) {
  EXPECT_EQ(eval_error("\"a\" - 1"), "'-' wants integers, not text and integer");
  EXPECT_EQ(eval_error("2 * true"), "'*' wants integers, not integer and bool");
  EXPECT_EQ(eval_error("x % 2"), "'%' wants integers, not null and integer");
  EXPECT_EQ(eval_error("true + 1"), "'+' wants integers or text, not bool and integer");
  EXPECT_EQ(eval_error("null + null"), "'+' wants integers or text, not null and null");
  EXPECT_EQ(eval_error("-\"a\""), "'-' wants an integer, not text");
  EXPECT_EQ(eval_error("1 < \"2\""), "'<' wants two integers or two texts, not integer and text");
  EXPECT_EQ(eval_error("null >= 1"), "'>=' wants two integers or two texts, not null and integer");
  EXPECT_EQ(eval_error("true > false"), "'>' wants two integers or two texts, not bool and bool");
}

TEST(expression, concatenates_when_either_side_is_text) {
  EXPECT_EQ(eval("\"n=\" + 5"), value("n=5"));
  EXPECT_EQ(eval("5 + \"\""), value("5"));
  EXPECT_EQ(eval("\"is \" + true"), value("is true"));
  EXPECT_EQ(eval("\"[\" + null + \"]\""), value("[]"));
  EXPECT_EQ(eval("x + \"a\""), value("a"));
}

TEST(expression, compares_values_of_any_types_for_equality) {
  EXPECT_EQ(eval("1 == \"1\""), value(false));
  EXPECT_EQ(eval("1 != \"1\""), value(true));
  EXPECT_EQ(eval("true == 1"), value(false));
  EXPECT_EQ(eval("0 == false"), value(false));
  EXPECT_EQ(eval("\"\" == null"), value(false));
  EXPECT_EQ(eval("null == null"), value(true));
  EXPECT_EQ(eval("unset == null"), value(true));
  EXPECT_EQ(eval("x == 3", {{"x", 3}}), value(true));
  EXPECT_EQ(eval("\"abc\" == 'abc'"), value(true));
}

TEST(expression, orders_integers_and_texts) {
  EXPECT_EQ(eval("1 < 2"), value(true));
  EXPECT_EQ(eval("2 < 1"), value(false));
  EXPECT_EQ(eval("10 >= 10"), value(true));
  EXPECT_EQ(eval("3 <= 2"), value(false));
  EXPECT_EQ(eval("-1 > -2"), value(true));
  EXPECT_EQ(eval("\"abc\" < \"abd\""), value(true));
  EXPECT_EQ(eval("\"b\" > \"abc\""), value(true));
  EXPECT_EQ(eval("\"\" < \"a\""), value(true));
  EXPECT_EQ(eval("\"é\" > \"z\""), value(true));   // code point order
  EXPECT_EQ(eval("\"10\" < \"9\""), value(true));  // texts compare as texts
}

TEST(expression, reads_variables_and_treats_unset_as_null) {
  const vars bound{{"customer.name", "Li"}, {"n", 4}, {"flag", true}};
  EXPECT_EQ(eval("customer.name", bound), value("Li"));
  EXPECT_EQ(eval("n * 2", bound), value(8));
  EXPECT_EQ(eval("flag", bound), value(true));
  EXPECT_EQ(eval("missing", bound), value());
  EXPECT_EQ(eval("!missing", bound), value(true));
  EXPECT_EQ(eval("str(missing)", bound), value(""));
  EXPECT_EQ(eval("len(missing)", bound), value(0));
  EXPECT_EQ(eval_error("missing + 1", bound), "'+' wants integers or text, not null and integer");

  // Without a lookup every name is unset.
  auto result = parsed("x == null").evaluate(evaluation_context{});
  ASSERT_TRUE(std::holds_alternative<value>(result));
  EXPECT_EQ(std::get<value>(result), value(true));
}

TEST(expression, len_counts_code_points) {
  EXPECT_EQ(eval("len(\"\")"), value(0));
  EXPECT_EQ(eval("len(\"abc\")"), value(3));
  EXPECT_EQ(eval("len(\"héllo\")"), value(5));
  EXPECT_EQ(eval("len(\"日本語\")"), value(3));
  EXPECT_EQ(eval("len(\"😀!\")"), value(2));
  // Invalid UTF-8 counts each byte that does not start a whole sequence as one.
  EXPECT_EQ(eval("len(t)", {{"t", "\xff\xfe"}}), value(2));
  EXPECT_EQ(eval("len(t)", {{"t", "a\xe6\x97"}}), value(3));
  EXPECT_EQ(eval("len(t)", {{"t", "\x80\x80\xc3\xa9"}}), value(3));
  EXPECT_EQ(eval_error("len(5)"), "len() wants text, not integer");
  EXPECT_EQ(eval_error("len(true)"), "len() wants text, not bool");
}

TEST(expression, substr_cuts_by_code_point) {
  EXPECT_EQ(eval("substr(\"hello\", 1, 3)"), value("ell"));
  EXPECT_EQ(eval("substr(\"hello\", 1)"), value("ello"));
  EXPECT_EQ(eval("substr(\"hello\", 0)"), value("hello"));
  EXPECT_EQ(eval("substr(\"hello\", 0, 0)"), value(""));
  EXPECT_EQ(eval("substr(\"hello\", 3, 100)"), value("lo"));
  EXPECT_EQ(eval("substr(\"日本語\", 1, 1)"), value("本"));
  EXPECT_EQ(eval("substr(\"héllo\", 1, 2)"), value("él"));
  EXPECT_EQ(eval("substr(t, 1, 1)", {{"t", "\xff\xc3\xa9z"}}), value("é"));
  EXPECT_EQ(eval("substr(missing, 0, 1)"), value(""));
  // Chosen: out-of-range starts and negative counts give "" rather than an error.
  EXPECT_EQ(eval("substr(\"hello\", -1)"), value(""));
  EXPECT_EQ(eval("substr(\"hello\", 5)"), value(""));
  EXPECT_EQ(eval("substr(\"hello\", 10, 2)"), value(""));
  EXPECT_EQ(eval("substr(\"hello\", 1, -1)"), value(""));
  EXPECT_EQ(eval("substr(\"hello\", 9223372036854775807, 9223372036854775807)"), value(""));
  EXPECT_EQ(eval_error("substr(12, 0)"), "substr() wants text, not integer");
  EXPECT_EQ(eval_error("substr(\"a\", \"b\")"), "substr() wants an integer for start, not text");
  EXPECT_EQ(eval_error("substr(\"a\", 0, null)"), "substr() wants an integer for count, not null");
}

TEST(expression, now_reads_the_context_clock_in_whole_seconds) {
  EXPECT_EQ(eval("now()"), value(1'700'000'000));
  evaluation_context context;
  context.now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'234'999));
  auto result = parsed("now() - 1000").evaluate(context);
  ASSERT_TRUE(std::holds_alternative<value>(result));
  EXPECT_EQ(std::get<value>(result), value(234));
}

TEST(expression, format_duration_reads_like_a_clock) {
  EXPECT_EQ(eval("format_duration(0)"), value("0:00"));
  EXPECT_EQ(eval("format_duration(45)"), value("0:45"));
  EXPECT_EQ(eval("format_duration(125)"), value("2:05"));
  EXPECT_EQ(eval("format_duration(3599)"), value("59:59"));
  EXPECT_EQ(eval("format_duration(3600)"), value("1:00:00"));
  EXPECT_EQ(eval("format_duration(3723)"), value("1:02:03"));
  EXPECT_EQ(eval("format_duration(360000)"), value("100:00:00"));
  EXPECT_EQ(eval("format_duration(-5)"), value("0:00"));
  EXPECT_EQ(eval("format_duration(-9223372036854775808)"), value("0:00"));
  EXPECT_EQ(eval("format_duration(9223372036854775807)"), value("2562047788015215:30:07"));
  EXPECT_EQ(eval_error("format_duration(\"45\")"), "format_duration() wants an integer, not text");
}

TEST(expression, int_converts_digits_bools_and_integers) {
  EXPECT_EQ(eval("int(42)"), value(42));
  EXPECT_EQ(eval("int(\"42\")"), value(42));
  EXPECT_EQ(eval("int(\" -17 \")"), value(-17));
  EXPECT_EQ(eval("int(\"+5\")"), value(5));
  EXPECT_EQ(eval("int(\"\\t007\\t\")"), value(7));
  EXPECT_EQ(eval("int(\"9223372036854775807\")"), value(int64_max));
  EXPECT_EQ(eval("int(\"-9223372036854775808\")"), value(int64_min));
  EXPECT_EQ(eval("int(true)"), value(1));
  EXPECT_EQ(eval("int(false)"), value(0));
  EXPECT_EQ(eval("int(digits) + 1", {{"digits", "0099"}}), value(100));

  EXPECT_EQ(eval_error("int(\"abc\")"), "int(): 'abc' is not a number");
  for (const char* text : {"int(\"\")", "int(\"  \")", "int(\"-\")", "int(\"1 2\")", "int(\"12a\")",
                           "int(\"1.5\")", "int(\"--1\")", "int(\"0x10\")"}) {
    EXPECT_NE(eval_error(text).find("is not a number"), std::string::npos) << text;
  }
  EXPECT_EQ(eval_error("int(\"9223372036854775808\")"),
            "int(): '9223372036854775808' is out of range");
  EXPECT_EQ(eval_error("int(null)"), "int(): null is not a number");
  // A long text is cut short in the message.
  const auto reason = eval_error("int(t)", {{"t", std::string(10000, 'z')}});
  EXPECT_LT(reason.size(), 80u);
  EXPECT_NE(reason.find("...' is not a number"), std::string::npos);
}

TEST(expression, str_contains_and_starts_with) {
  EXPECT_EQ(eval("str(12)"), value("12"));
  EXPECT_EQ(eval("str(-9223372036854775808)"), value("-9223372036854775808"));
  EXPECT_EQ(eval("str(true)"), value("true"));
  EXPECT_EQ(eval("str(null)"), value(""));
  EXPECT_EQ(eval("str(\"x\")"), value("x"));

  EXPECT_EQ(eval("contains(\"hello\", \"ell\")"), value(true));
  EXPECT_EQ(eval("contains(\"hello\", \"\")"), value(true));
  EXPECT_EQ(eval("contains(\"hello\", \"xyz\")"), value(false));
  EXPECT_EQ(eval("contains(missing, \"a\")"), value(false));
  EXPECT_EQ(eval_error("contains(1, \"1\")"), "contains() wants text, not integer");
  EXPECT_EQ(eval_error("contains(\"1\", 1)"),
            "contains() wants text for its second argument, not integer");

  EXPECT_EQ(eval("starts_with(\"hello\", \"he\")"), value(true));
  EXPECT_EQ(eval("starts_with(\"hello\", \"el\")"), value(false));
  EXPECT_EQ(eval("starts_with(\"hello\", \"hello!\")"), value(false));
  EXPECT_EQ(eval("starts_with(\"\", \"\")"), value(true));
  EXPECT_EQ(eval_error("starts_with(\"a\", false)"),
            "starts_with() wants text for its second argument, not bool");
}

TEST(expression, min_max_and_abs) {
  EXPECT_EQ(eval("min(3, 5)"), value(3));
  EXPECT_EQ(eval("max(3, 5)"), value(5));
  EXPECT_EQ(eval("min(-1, -2)"), value(-2));
  EXPECT_EQ(eval("max(4, 4)"), value(4));
  EXPECT_EQ(eval("min(\"b\", \"a\")"), value("a"));
  EXPECT_EQ(eval("max(\"b\", \"a\")"), value("b"));
  EXPECT_EQ(eval_error("min(1, \"a\")"),
            "min() wants two integers or two texts, not integer and text");
  EXPECT_EQ(eval_error("max(null, 1)"),
            "max() wants two integers or two texts, not null and integer");

  EXPECT_EQ(eval("abs(-5)"), value(5));
  EXPECT_EQ(eval("abs(5)"), value(5));
  EXPECT_EQ(eval("abs(0)"), value(0));
  EXPECT_EQ(eval("abs(-9223372036854775807)"), value(int64_max));
  EXPECT_EQ(eval_error("abs(\"x\")"), "abs() wants an integer, not text");
}

TEST(expression, evaluates_call_arguments_left_to_right_and_passes_errors_on) {
  EXPECT_EQ(eval_error("max(1 / 0, \"x\" - 1)"), "division by zero");
  EXPECT_EQ(eval_error("len(str(1 % 0))"), "division by zero");
  EXPECT_EQ(eval("len(account) >= 6 && substr(account, 0, 1) != \"0\"", {{"account", "123456"}}),
            value(true));
  EXPECT_EQ(eval("len(account) >= 6 && substr(account, 0, 1) != \"0\"", {{"account", "012345"}}),
            value(false));
}

struct error_case {
  const char* text;
  std::size_t offset;
  const char* reason;
};

TEST(expression, reports_parse_errors_with_offset_and_reason) {
  const error_case cases[] = {
      {"", 0, "empty expression"},
      {"   ", 3, "empty expression"},
      {"1 +", 3, "unexpected end of expression"},
      {"(1 + 2", 6, "expected ')' to close '(' at 0"},
      {"1 + (2 * 3", 10, "expected ')' to close '(' at 4"},
      {"(1 + 2 3)", 7, "expected ')' to close '(' at 0"},
      {"lenght(x)", 0, "unknown function 'lenght' (did you mean 'len'?)"},
      {"1 + substring(x, 1)", 4, "unknown function 'substring' (did you mean 'substr'?)"},
      {"sbustr(x, 1)", 0, "unknown function 'sbustr' (did you mean 'substr'?)"},
      {"LEN(x)", 0, "unknown function 'LEN' (did you mean 'len'?)"},
      {"format_duraton(1)", 0,
       "unknown function 'format_duraton' (did you mean 'format_duration'?)"},
      {"foo(1)", 0, "unknown function 'foo'"},
      {"customer.name(1)", 0, "unknown function 'customer.name'"},
      {"len(a, b)", 0, "'len' takes 1 argument, got 2"},
      {"x + len()", 4, "'len' takes 1 argument, got 0"},
      {"substr(a)", 0, "'substr' takes 2 or 3 arguments, got 1"},
      {"substr(a, 1, 2, 3)", 0, "'substr' takes 2 or 3 arguments, got 4"},
      {"now(1)", 0, "'now' takes no arguments, got 1"},
      {"contains(\"a\")", 0, "'contains' takes 2 arguments, got 1"},
      {"len(1 2)", 6, "expected ',' or ')' to close 'len(' at 0"},
      {"len(1, )", 7, "unexpected ')'"},
      {"len(", 4, "unexpected end of expression"},
      {"\"abc", 0, "unterminated string"},
      {"1 + 'ab", 4, "unterminated string"},
      {"\"abc\\", 0, "unterminated string"},
      {"\"a\\qb\"", 2, "unknown escape 'q' after '\\'"},
      {"a @ b", 2, "unexpected character '@'"},
      {"a = 1", 2, "unexpected character '=' (use '==' to compare)"},
      {"a & b", 2, "unexpected character '&' (use '&&' or 'and')"},
      {"a | b", 2, "unexpected character '|' (use '||' or 'or')"},
      {"x { 1", 2, "unexpected character '{'"},
      {"\xc3\xa9", 0, "unexpected character byte 0xC3"},
      {"1 2", 2, "unexpected number 2 (missing operator?)"},
      {"a b", 2, "unexpected name 'b' (missing operator?)"},
      {"1 )", 2, "unexpected ')'"},
      {")", 0, "unexpected ')'"},
      {"*1", 0, "unexpected '*'"},
      {"1 == !x", 5, "unexpected '!' (put the negation in parentheses)"},
      {"x + not y", 4, "unexpected 'not'"},
      {"1 + }", 4, "unexpected '}'"},
      {"true(1)", 4, "unexpected '(' (missing operator?)"},
      {"1 < 2 < 3", 6, "'<' cannot follow a comparison; join comparisons with 'and'"},
      {"a == b != c", 7, "'!=' cannot follow a comparison"},
      {"a.", 1, "expected a name after '.'"},
      {"a..b", 1, "expected a name after '.'"},
      {"a.1", 1, "expected a name after '.'"},
      {"1.5", 1, "only whole numbers are supported"},
      {"12abc", 2, "unexpected character 'a' after a number"},
      {".5", 0, "unexpected character '.'"},
  };
  EXPECT_EQ(parse_fail("foo(1)").reason, "unknown function 'foo'");  // nothing close enough
  for (const auto& c : cases) {
    const auto error = parse_fail(c.text);
    EXPECT_EQ(error.offset, c.offset) << c.text;
    EXPECT_NE(error.reason.find(c.reason), std::string::npos)
        << c.text << " gives: " << error.reason;
  }
}

TEST(expression, lists_names_in_order_of_first_use) {
  const auto e = parsed("customer.name + x + customer.name + y.z.w + len(x) + now()");
  EXPECT_EQ(e.names(), (std::vector<std::string>{"customer.name", "x", "y.z.w"}));
  EXPECT_TRUE(parsed("true and not false or null").names().empty());
  EXPECT_EQ(parsed("b || a || b").names(), (std::vector<std::string>{"b", "a"}));
  // Every name counts, even one short-circuiting would skip.
  EXPECT_EQ(parsed("false && skipped").names(), (std::vector<std::string>{"skipped"}));
  EXPECT_EQ(parsed("truthy + nullable + notes + order").names(),
            (std::vector<std::string>{"truthy", "nullable", "notes", "order"}));
  EXPECT_EQ(parsed(" a + 1 ").text(), " a + 1 ");
}

TEST(expression, copies_share_the_parsed_tree) {
  const auto original = parsed("n + 1");
  const expression copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(eval("n + 1", {{"n", 1}}), value(2));
  const vars bound{{"n", 41}};
  auto a = original.evaluate(context_of(bound));
  auto b = copy.evaluate(context_of(bound));
  EXPECT_EQ(std::get<value>(a), value(42));
  EXPECT_EQ(std::get<value>(b), value(42));
  EXPECT_EQ(copy.names(), original.names());

  // A default-constructed expression is an error, not a crash.
  EXPECT_TRUE(std::holds_alternative<evaluation_error>(expression{}.evaluate({})));
}

TEST(expression_limits, bounds_nesting_of_every_kind) {
  const auto too_deep = [](const std::string& text, std::size_t offset) {
    const auto error = parse_fail(text);
    EXPECT_EQ(error.offset, offset) << text.substr(0, 80);
    EXPECT_NE(error.reason.find("nested too deeply"), std::string::npos) << error.reason;
  };
  EXPECT_EQ(eval(repeat("(", 64) + "1" + repeat(")", 64)), value(1));
  too_deep(repeat("(", 65) + "1" + repeat(")", 65), 64);
  EXPECT_EQ(eval(repeat("-", 64) + "1"), value(1));
  too_deep(repeat("-", 65) + "1", 64);
  EXPECT_EQ(eval(repeat("!", 64) + "x"), value(false));
  too_deep(repeat("!", 65) + "x", 64);
  too_deep(repeat("not ", 65) + "x", 256);
  EXPECT_EQ(eval(repeat("abs(", 64) + "1" + repeat(")", 64)), value(1));
  EXPECT_EQ(eval(repeat("abs(", 63) + "-1" + repeat(")", 63)), value(1));
  too_deep(repeat("abs(", 64) + "-1" + repeat(")", 64), 256);
  too_deep(repeat("abs(", 65) + "1" + repeat(")", 65), 256);
  too_deep(repeat("(-", 33) + "1" + repeat(")", 33), 64);
  too_deep(repeat("(", 64) + "-1" + repeat(")", 64), 64);
  too_deep(repeat("(", 2000) + "1" + repeat(")", 2000), 64);
  too_deep(repeat("-", 4000) + "1", 64);
  too_deep(repeat("!", 4000), 64);
  too_deep(repeat("len(", 1000), 256);
}

TEST(expression_limits, bounds_size) {
  const auto too_long = parse_fail(repeat("(", 10000) + "1" + repeat(")", 10000));
  EXPECT_EQ(too_long.offset, max_expression_bytes);
  EXPECT_EQ(too_long.reason, "expression longer than 4096 bytes");
  EXPECT_EQ(parse_fail(repeat("-", 10000) + "1").offset, max_expression_bytes);
  EXPECT_EQ(parse_fail(std::string(5000, ' ') + "1").offset, max_expression_bytes);

  // A flat run of operators is as long as it likes within the byte limit: 2,048 additions in
  // 4,095 bytes, and a 4,096-byte string literal.
  const std::string sum = "1" + repeat("+1", 2047);
  ASSERT_EQ(sum.size(), 4095u);
  EXPECT_EQ(eval(sum), value(2048));
  EXPECT_EQ(eval("x" + repeat(" or x", 800), {{"x", 1}}), value(true));
  EXPECT_EQ(eval("\"" + std::string(4094, 'a') + "\"").as_text().size(), 4094u);
}

TEST(expression_limits, bounds_text_built_by_evaluation) {
  const vars bound{{"t", std::string(40000, 'x')}, {"u", std::string(20000, 'y')}};
  EXPECT_EQ(eval_error("t + t", bound), "'+' would make a text longer than 65536 bytes");
  EXPECT_EQ(eval("t + \"x\"", bound).as_text().size(), 40001u);
  EXPECT_EQ(eval("len(t + 1)", bound), value(40001));
  EXPECT_EQ(eval("u + u + u", bound).as_text().size(), 60000u);
  EXPECT_NE(eval_error("u + u + u + u", bound).find("longer than 65536"), std::string::npos);
  EXPECT_NE(eval_error("str(t) + substr(t, 0, 30000)", bound).find("longer than 65536"),
            std::string::npos);
  EXPECT_NE(eval_error("len(\"a\" + t + t) > 0", bound).find("longer than 65536"),
            std::string::npos);
  EXPECT_EQ(eval("false && len(t + t) > 0", bound), value(false));
  const std::string exact(max_text_value_bytes - 40000, 'z');
  EXPECT_EQ(eval("t + z", {{"t", std::string(40000, 'x')}, {"z", exact}}).as_text().size(),
            max_text_value_bytes);
}

}  // namespace
}  // namespace callcenterd::ivr
