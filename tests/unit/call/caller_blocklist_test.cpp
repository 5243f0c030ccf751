#include "callcenterd/call/caller_blocklist.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call {
namespace {

caller_blocklist sample() {
  return caller_blocklist({{"8613800000000", "abusive"},
                           {"8615*", "spam range"},
                           {"861590*", "a narrower range"},
                           {"*", "no digits: skipped"}});
}

TEST(caller_blocklist, a_number_is_matched_by_its_digits_whatever_its_punctuation) {
  const auto list = sample();
  ASSERT_TRUE(list.find("+86 138-0000-0000"));
  EXPECT_EQ(list.find("8613800000000")->reason, "abusive");
  EXPECT_FALSE(list.find("86138000000001"));  // a longer number is another number
  EXPECT_FALSE(list.find("861380000000"));
}

TEST(caller_blocklist, prefixes_match_and_the_longest_wins) {
  const auto list = sample();
  EXPECT_EQ(list.find("8615012345678")->pattern, "8615*");
  EXPECT_EQ(list.find("8615901234567")->pattern, "861590*");
  EXPECT_FALSE(list.find("8616012345678"));
}

TEST(caller_blocklist, callers_without_digits_and_patterns_without_digits_never_match) {
  const auto list = sample();
  EXPECT_EQ(list.size(), 3u);
  EXPECT_FALSE(list.find("anonymous"));
  EXPECT_FALSE(list.find(""));
  EXPECT_FALSE(caller_blocklist().find("8613800000000"));
}

}  // namespace
}  // namespace callcenterd::call
