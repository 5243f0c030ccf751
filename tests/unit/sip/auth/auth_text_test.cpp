#include "auth_text.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip::auth_detail {
namespace {

TEST(auth_text, base64url_round_trip_every_length) {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 40; ++n) {
    auto text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = base64url_decode(text);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 250));
  }
}

TEST(auth_text, base64url_known_and_refused) {
  EXPECT_EQ(base64url_encode({0xfb, 0xff}), "-_8");
  EXPECT_FALSE(base64url_decode("A"));     // half a byte
  EXPECT_FALSE(base64url_decode("-_9"));   // stray low bits: a second spelling of -_8
  EXPECT_FALSE(base64url_decode("ab+/"));  // the other alphabet
  EXPECT_FALSE(base64url_decode("abc="));  // padding
}

TEST(auth_text, helpers) {
  EXPECT_TRUE(iequals("Digest", "dIGEST"));
  EXPECT_FALSE(iequals("Digest", "Digests"));
  EXPECT_EQ(to_lower("AbC-9"), "abc-9");
  EXPECT_TRUE(has_control_char("a\r\nb"));
  EXPECT_TRUE(has_control_char("\x7f"));
  EXPECT_FALSE(has_control_char("a\tb \xc3\xa9"));
  const unsigned char raw[] = {0x00, 0x9f, 0xff};
  EXPECT_EQ(to_hex(raw, 3), "009fff");
}

}  // namespace
}  // namespace callcenterd::sip::auth_detail
