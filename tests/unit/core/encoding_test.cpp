// Bytes as text: base64url both ways with its refusals, hex, and SHA-256 digests.
#include "callcenterd/core/encoding.hpp"

#include <gtest/gtest.h>

namespace callcenterd::core {
namespace {

TEST(encoding, base64url_round_trip_every_length) {
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

TEST(encoding, base64url_known_and_refused) {
  const std::uint8_t fb_ff[] = {0xfb, 0xff};
  EXPECT_EQ(base64url_encode(fb_ff), "-_8");
  EXPECT_FALSE(base64url_decode("A"));     // half a byte
  EXPECT_FALSE(base64url_decode("-_9"));   // stray low bits: a second spelling of -_8
  EXPECT_FALSE(base64url_decode("ab+/"));  // the other alphabet
  EXPECT_FALSE(base64url_decode("abc="));  // padding
}

TEST(encoding, hex_and_sha256) {
  const std::uint8_t raw[] = {0x00, 0x9f, 0xff};
  EXPECT_EQ(to_hex(raw), "009fff");
  EXPECT_EQ(to_hex({}), "");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace callcenterd::core
