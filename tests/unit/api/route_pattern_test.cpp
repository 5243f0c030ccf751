#include "route_pattern.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callcenterd::api::detail {
namespace {

route_pattern pattern(std::string_view text) {
  std::string why;
  auto parsed = parse_route_pattern(text, why);
  EXPECT_TRUE(parsed) << text << ": " << why;
  return parsed.value_or(route_pattern{});
}

std::vector<std::string> segments(std::string_view target) {
  const auto parsed = parse_target(target);
  EXPECT_TRUE(parsed) << target;
  return parsed ? parsed->segments : std::vector<std::string>{};
}

TEST(route_pattern, rejects_malformed_patterns) {
  std::string why;
  for (const char* bad : {"", "relative", "/a/{", "/a/{}", "/a/x{id}", "/a/{id}x", "/{a-b}",
                          "/{rest*}/more", "/{id}/{id}", "/a?b", "/a%20b"}) {
    EXPECT_FALSE(parse_route_pattern(bad, why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(route_pattern, splits_targets_into_decoded_segments) {
  EXPECT_EQ(segments("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(segments("/api/v1"), (std::vector<std::string>{"api", "v1"}));
  EXPECT_EQ(segments("/api/v1/"), (std::vector<std::string>{"api", "v1", ""}));
  EXPECT_EQ(segments("/a%20b/c%2Fd?x=1"), (std::vector<std::string>{"a b", "c/d"}));
  EXPECT_EQ(segments("http://host:8080/x/y?z"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(segments("http://host"), (std::vector<std::string>{""}));
  EXPECT_FALSE(parse_target("*"));
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("no-slash"));
  EXPECT_FALSE(parse_target("/bad%2"));
  EXPECT_FALSE(parse_target("/bad%g0"));
  EXPECT_FALSE(parse_target("/nul%00byte"));
}

TEST(route_pattern, parses_query_parameters) {
  const auto parsed = parse_target("/s?q=a+b%26c&flag&&empty=&q=second");
  ASSERT_TRUE(parsed);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"q", "a b&c"}, {"flag", ""}, {"empty", ""}, {"q", "second"}};
  EXPECT_EQ(parsed->query, expected);
  EXPECT_FALSE(parse_target("/s?bad=%zz"));
}

TEST(route_pattern, matches_literals_params_and_rest) {
  path_params params;
  EXPECT_TRUE(match_route(pattern("/healthz"), segments("/healthz"), params));
  EXPECT_FALSE(match_route(pattern("/healthz"), segments("/healthz/"), params));
  EXPECT_FALSE(match_route(pattern("/healthz"), segments("/health"), params));

  EXPECT_TRUE(match_route(pattern("/agents/{id}/state"), segments("/agents/a%2Fb/state"), params));
  EXPECT_EQ(params.at("id"), "a/b");
  EXPECT_FALSE(match_route(pattern("/agents/{id}"), segments("/agents/"), params));
  EXPECT_FALSE(match_route(pattern("/agents/{id}"), segments("/agents/1/2"), params));

  EXPECT_TRUE(match_route(pattern("/static/{path*}"), segments("/static/css/a.css"), params));
  EXPECT_EQ(params.at("path"), "css/a.css");
  EXPECT_TRUE(match_route(pattern("/static/{path*}"), segments("/static"), params));
  EXPECT_EQ(params.at("path"), "");
  EXPECT_FALSE(match_route(pattern("/static/{path*}"), segments("/other/x"), params));
  EXPECT_TRUE(match_route(pattern("/"), segments("/"), params));
}

TEST(route_pattern, specificity_prefers_literals_then_params_then_rest) {
  EXPECT_GT(compare_specificity(pattern("/agents/me"), pattern("/agents/{id}")), 0);
  EXPECT_LT(compare_specificity(pattern("/agents/{id}"), pattern("/agents/me")), 0);
  EXPECT_GT(compare_specificity(pattern("/a/{id}"), pattern("/a/{rest*}")), 0);
  EXPECT_GT(compare_specificity(pattern("/a/b/{rest*}"), pattern("/a/{rest*}")), 0);
  EXPECT_EQ(compare_specificity(pattern("/a/{x}"), pattern("/a/{y}")), 0);
  EXPECT_NE(compare_specificity(pattern("/a/b"), pattern("/a/c")), 0);
}

}  // namespace
}  // namespace callcenterd::api::detail
