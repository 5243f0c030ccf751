#include <argon2.h>
#include <gtest/gtest.h>

#include "blocklist_routes.hpp"
#include "password_hash.hpp"

namespace callcenterd::app {
namespace {

TEST(blocklist_pattern, keeps_the_digits_of_a_number_however_it_is_written) {
  EXPECT_EQ(normalized_block_pattern("+86 (138) 0000-1111"), "8613800001111");
  EXPECT_EQ(normalized_block_pattern("0755.8888"), "07558888");
  EXPECT_EQ(normalized_block_pattern("1003"), "1003");
}

TEST(blocklist_pattern, a_trailing_star_makes_a_prefix) {
  EXPECT_EQ(normalized_block_pattern("+86 755*"), "86755*");
  EXPECT_EQ(normalized_block_pattern("9*"), "9*");
}

TEST(blocklist_pattern, refuses_what_no_caller_could_match) {
  for (const char* text : {"", "*", "+", "12a4", "12*3", "1**", "1003#", "sip:1003", " - "}) {
    EXPECT_FALSE(normalized_block_pattern(text)) << text;
  }
  EXPECT_TRUE(normalized_block_pattern(std::string(20, '7')));
  EXPECT_FALSE(normalized_block_pattern(std::string(21, '7')));
  EXPECT_TRUE(normalized_block_pattern(std::string(20, '7') + "*"));
}

TEST(password_hash, is_argon2id_with_the_login_cost_and_a_fresh_salt) {
  const auto first = hash_password("correct horse");
  const auto second = hash_password("correct horse");
  EXPECT_EQ(first.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0U) << first;
  EXPECT_NE(first, second);  // salted
  EXPECT_EQ(argon2id_verify(first.c_str(), "correct horse", 13), ARGON2_OK);
  EXPECT_NE(argon2id_verify(first.c_str(), "correct horsE", 13), ARGON2_OK);
  EXPECT_EQ(first.find('\0'), std::string::npos);
}

}  // namespace
}  // namespace callcenterd::app
