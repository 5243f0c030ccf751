#include "query_reading.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace callcenterd::app {
namespace {

api::request_context with_query(std::vector<std::pair<std::string, std::string>> query) {
  api::request_context ctx;
  ctx.query_params = std::move(query);
  return ctx;
}

std::string code_of(const std::optional<api::response>& refused) {
  if (!refused) return "";
  return nlohmann::json::parse(refused->body())["error"]["code"].get<std::string>();
}

TEST(read_page, takes_defaults_and_bounded_values) {
  page p;
  EXPECT_FALSE(read_page(with_query({}), p, 20, 100));
  EXPECT_EQ(p.limit, 20);
  EXPECT_EQ(p.offset, 0);
  EXPECT_FALSE(read_page(with_query({{"limit", "100"}, {"offset", "40"}}), p, 20, 100));
  EXPECT_EQ(p.limit, 100);
  EXPECT_EQ(p.offset, 40);
  for (const char* bad : {"0", "101", "-1", "ten", "5x", ""}) {
    EXPECT_EQ(code_of(read_page(with_query({{"limit", bad}}), p, 20, 100)), "bad_query") << bad;
  }
  EXPECT_EQ(code_of(read_page(with_query({{"offset", "-5"}}), p)), "bad_query");
}

TEST(read_text, refuses_long_or_broken_utf8) {
  std::optional<std::string> out;
  EXPECT_FALSE(read_text(with_query({{"q", "张伟"}}), "q", out));
  EXPECT_EQ(out, "张伟");
  EXPECT_FALSE(read_text(with_query({}), "q", out));
  EXPECT_FALSE(out);
  EXPECT_EQ(code_of(read_text(with_query({{"q", std::string(201, 'a')}}), "q", out)), "bad_query");
  EXPECT_EQ(code_of(read_text(with_query({{"q", "\xff"}}), "q", out)), "bad_query");
}

TEST(is_valid_utf8, accepts_well_formed_text_only) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("您前面还有 3 位客户"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));   // an emoji: four bytes
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xE5\xBC"));          // cut short
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));
}

}  // namespace
}  // namespace callcenterd::app
