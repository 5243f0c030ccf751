#include "callcenterd/sip/replaces.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip {
namespace {

TEST(replaces, parses_call_id_tags_and_early_only) {
  const auto value = parse_replaces("425928@bobster.example.org;to-tag=7743;from-tag=6472");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->call_id, "425928@bobster.example.org");
  EXPECT_EQ(value->to_tag, "7743");
  EXPECT_EQ(value->from_tag, "6472");
  EXPECT_FALSE(value->early_only);

  const auto early = parse_replaces(" abc ; from-tag=1 ;TO-TAG=2;early-only");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->call_id, "abc");
  EXPECT_EQ(early->to_tag, "2");
  EXPECT_EQ(early->from_tag, "1");
  EXPECT_TRUE(early->early_only);
}

TEST(replaces, refuses_a_value_without_both_tags_or_call_id) {
  EXPECT_FALSE(parse_replaces("abc"));
  EXPECT_FALSE(parse_replaces("abc;to-tag=1"));
  EXPECT_FALSE(parse_replaces("abc;from-tag=1"));
  EXPECT_FALSE(parse_replaces("abc;to-tag=;from-tag=1"));
  EXPECT_FALSE(parse_replaces(";to-tag=1;from-tag=2"));
  EXPECT_FALSE(parse_replaces("a b;to-tag=1;from-tag=2"));
  EXPECT_FALSE(parse_replaces("abc;to-tag=1;;from-tag=2"));
}

TEST(replaces, unescapes_a_value_carried_in_a_uri) {
  EXPECT_EQ(unescape_uri_text("12%40host%3Bto-tag%3Da%3bfrom-tag%3Db"),
            "12@host;to-tag=a;from-tag=b");
  EXPECT_EQ(unescape_uri_text("plain"), "plain");
  EXPECT_FALSE(unescape_uri_text("bad%4"));
  EXPECT_FALSE(unescape_uri_text("bad%zz"));
  const auto uri_value = unescape_uri_text("abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2");
  ASSERT_TRUE(uri_value);
  const auto value = parse_replaces(*uri_value);
  ASSERT_TRUE(value);
  EXPECT_EQ(value->call_id, "abc@h");
}

}  // namespace
}  // namespace callcenterd::sip
