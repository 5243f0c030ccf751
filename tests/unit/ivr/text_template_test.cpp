#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "callcenterd/ivr/expression.hpp"
#include "variables_for_test.hpp"

namespace callcenterd::ivr {
namespace {

using test::context_of;
using test::vars;

text_template parsed(std::string_view text) {
  auto result = text_template::parse(text);
  if (const auto* error = std::get_if<parse_error>(&result)) {
    ADD_FAILURE() << "'" << text << "' does not parse: " << error->reason << " at "
                  << error->offset;
    return {};
  }
  return std::get<text_template>(result);
}

std::string render(std::string_view text, const vars& bound = {}) {
  auto result = parsed(text).render(context_of(bound));
  if (const auto* error = std::get_if<evaluation_error>(&result)) {
    ADD_FAILURE() << "'" << text << "' fails: " << error->reason;
    return {};
  }
  return std::get<std::string>(result);
}

std::string render_error(std::string_view text, const vars& bound = {}) {
  auto result = parsed(text).render(context_of(bound));
  if (const auto* out = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "'" << text << "' renders as '" << *out << "'";
    return {};
  }
  return std::get<evaluation_error>(result).reason;
}

parse_error parse_fail(std::string_view text) {
  auto result = text_template::parse(text);
  if (std::holds_alternative<text_template>(result)) {
    ADD_FAILURE() << "'" << text << "' parses";
    return {};
  }
  return std::get<parse_error>(result);
}

using names = std::vector<std::string>;

TEST(text_template, replaces_parts_with_their_values) {
  const auto t = parsed("Your balance is ${balance} yuan");
  EXPECT_FALSE(t.is_constant());
  EXPECT_EQ(t.names(), names{"balance"});
  const vars bound{{"balance", 12}};
  auto out = t.render(context_of(bound));
  ASSERT_TRUE(std::holds_alternative<std::string>(out));
  EXPECT_EQ(std::get<std::string>(out), "Your balance is 12 yuan");

  EXPECT_EQ(render("${a}${b}", {{"a", 1}, {"b", "2"}}), "12");
  EXPECT_EQ(render("${true} ${null} ${-5} ${\"t\"}"), "true  -5 t");
  EXPECT_EQ(render("Hi ${unset}!"), "Hi !");
  EXPECT_EQ(render("${ 1 + 2 * 3 }"), "7");
  EXPECT_EQ(render("wait ${format_duration(125)}, ${customer.name}", {{"customer.name", "Wang"}}),
            "wait 2:05, Wang");
  EXPECT_EQ(render("${now()}"), "1700000000");
  EXPECT_EQ(render("日本 ${x} é", {{"x", "語"}}), "日本 語 é");
}

TEST(text_template, without_parts_is_constant) {
  for (const char* text : {"", "hello", "cost: 5$", "$$", "$${x}", "{x}", "}", "$ {x}"}) {
    const auto t = parsed(text);
    EXPECT_TRUE(t.is_constant()) << text;
    EXPECT_TRUE(t.names().empty()) << text;
  }
  EXPECT_TRUE(text_template{}.is_constant());
  auto empty = text_template{}.render({});
  EXPECT_EQ(std::get<std::string>(empty), "");
}

TEST(text_template, reads_dollar_escapes) {
  EXPECT_EQ(render("$$"), "$");
  EXPECT_EQ(render("$${x}", {{"x", 1}}), "${x}");
  EXPECT_EQ(render("$$${x}", {{"x", 1}}), "$1");
  EXPECT_EQ(render("$$$"), "$$");
  EXPECT_EQ(render("$"), "$");
  EXPECT_EQ(render("5$"), "5$");
  EXPECT_EQ(render("$a $1 $ {x}"), "$a $1 $ {x}");
  EXPECT_EQ(render("a$$$${x}b"), "a$${x}b");
  EXPECT_EQ(render("}{"), "}{");
}

TEST(text_template, finds_the_closing_brace_by_lexing) {
  EXPECT_EQ(render("${\"a}b\"}"), "a}b");
  EXPECT_EQ(render("${'}'}"), "}");
  EXPECT_EQ(render("[${\"}\" + '}' + \"\\\"}\"}]"), "[}}\"}]");
  EXPECT_EQ(render("${x}}", {{"x", 1}}), "1}");
  EXPECT_EQ(render("${len(\"${}\")}"), "3");
}

TEST(text_template, lists_names_of_all_parts_once) {
  EXPECT_EQ(parsed("${a} ${b + a} ${c.d} ${len(b)}").names(), (names{"a", "b", "c.d"}));
  EXPECT_EQ(parsed("$${a} ${now()}").names(), names{});
}

struct error_case {
  const char* text;
  std::size_t offset;
  const char* reason;
};

TEST(text_template, reports_errors_at_offsets_into_the_whole_text) {
  const error_case cases[] = {
      {"${x", 0, "'${' is not closed by '}'"},
      {"ab${", 2, "'${' is not closed by '}'"},
      {"Hi ${x", 3, "'${' is not closed by '}'"},
      {"${a} and ${b", 9, "not closed"},
      {"${'a}", 2, "unterminated string"},
      {"ab ${\"unterminated}", 5, "unterminated string"},
      {"${x + }", 6, "unexpected end of expression"},
      {"Hello ${len(x, y)}", 8, "'len' takes 1 argument, got 2"},
      {"${}", 2, "empty expression"},
      {"${  }", 4, "empty expression"},
      {"${a @ b}", 4, "unexpected character '@'"},
      {"${ {1} }", 3, "unexpected character '{'"},
      {"${\"\\q\"}", 3, "unknown escape 'q'"},
      {"x ${lenght(a)}", 4, "unknown function 'lenght' (did you mean 'len'?)"},
      // Offsets the reason names are into the whole text too.
      {"${(1}", 4, "expected ')' to close '(' at 2"},
      {"ab ${len(1 2)}", 11, "expected ',' or ')' to close 'len(' at 5"},
      {"${1} ${2 3}", 9, "unexpected number 3"},
  };
  for (const auto& c : cases) {
    const auto error = parse_fail(c.text);
    EXPECT_EQ(error.offset, c.offset) << c.text;
    EXPECT_NE(error.reason.find(c.reason), std::string::npos)
        << c.text << " gives: " << error.reason;
  }
}

TEST(text_template, passes_evaluation_errors_on) {
  EXPECT_EQ(render_error("a ${1/0} b"), "division by zero");
  EXPECT_EQ(render_error("${1} ${\"a\" - 1}"), "'-' wants integers, not text and integer");
}

TEST(text_template, bounds_hostile_parts) {
  const std::string deep = "${" + std::string(10000, '(') + "1" + std::string(10000, ')') + "}";
  const auto too_long = parse_fail(deep);
  EXPECT_EQ(too_long.offset, 2 + max_expression_bytes);
  EXPECT_NE(too_long.reason.find("longer than 4096 bytes"), std::string::npos);

  const auto too_deep =
      parse_fail("x${" + std::string(100, '(') + "1" + std::string(100, ')') + "}");
  EXPECT_EQ(too_deep.offset, 3u + max_expression_depth);
  EXPECT_NE(too_deep.reason.find("nested too deeply"), std::string::npos);

  const vars bound{{"t", std::string(40000, 'x')}};
  EXPECT_EQ(render("${t}", bound).size(), 40000u);
  EXPECT_NE(render_error("${t}${t}", bound).find("more than 65536 bytes"), std::string::npos);
  EXPECT_NE(render_error("${t + t}", bound).find("longer than 65536"), std::string::npos);

  // Literal text is the author's and not limited; many parts are.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "${\"" + std::string(100, 'a') + "\"}";
  EXPECT_NE(render_error(many).find("more than 65536 bytes"), std::string::npos);
  EXPECT_EQ(render(std::string(100000, 'a')).size(), 100000u);
}

TEST(text_template, copies_share_parts) {
  const auto original = parsed("n=${n}");
  const text_template copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  const vars bound{{"n", 3}};
  EXPECT_EQ(std::get<std::string>(copy.render(context_of(bound))), "n=3");
  EXPECT_EQ(std::get<std::string>(original.render(context_of(bound))), "n=3");
}

}  // namespace
}  // namespace callcenterd::ivr
