#include "auth_text.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip::auth_detail {
namespace {

TEST(auth_text, helpers) {
  EXPECT_TRUE(iequals("Digest", "dIGEST"));
  EXPECT_FALSE(iequals("Digest", "Digests"));
  EXPECT_EQ(to_lower("AbC-9"), "abc-9");
  EXPECT_TRUE(has_control_char("a\r\nb"));
  EXPECT_TRUE(has_control_char("\x7f"));
  EXPECT_FALSE(has_control_char("a\tb \xc3\xa9"));
}

}  // namespace
}  // namespace callcenterd::sip::auth_detail
