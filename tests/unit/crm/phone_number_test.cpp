// E.164 normalisation and search prefixes for the numbers agents and trunks write.
#include "callcenterd/crm/phone_number.hpp"

#include <gtest/gtest.h>

#include <string>

namespace callcenterd::crm {
namespace {

TEST(normalize_e164, international_forms_keep_their_country_code) {
  EXPECT_EQ(normalize_e164("+86 138-0013-8000", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("+8613800138000", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("0086 138 0013 8000", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("+1 (212) 555-0100", "86"), "+12125550100");
  EXPECT_EQ(normalize_e164("0044 20 7946 0000", "86"), "+442079460000");
}

TEST(normalize_e164, a_trunk_zero_in_parentheses_after_the_country_code_is_dropped) {
  EXPECT_EQ(normalize_e164("+44 (0)20 7946 0000", "86"), "+442079460000");
}

TEST(normalize_e164, national_numbers_get_the_site_country_code) {
  EXPECT_EQ(normalize_e164("13800138000", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("138.0013.8000", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("01088886666", "86"), "+861088886666");
  EXPECT_EQ(normalize_e164("(010) 8888 6666", "86"), "+861088886666");
  EXPECT_EQ(normalize_e164("010/8888-6666", "86"), "+861088886666");
}

TEST(normalize_e164, north_american_numbers_may_carry_their_trunk_one) {
  EXPECT_EQ(normalize_e164("2125550100", "1"), "+12125550100");
  EXPECT_EQ(normalize_e164("1 212 555 0100", "1"), "+12125550100");
}

TEST(normalize_e164, full_width_input_from_chinese_keyboards_is_accepted) {
  EXPECT_EQ(normalize_e164("＋８６ １３８００１３８０００", "86"), "+8613800138000");
  EXPECT_EQ(normalize_e164("（０１０）８８８８\xE3\x80\x80"
                           "６６６６",
                           "86"),
            "+861088886666");
}

TEST(normalize_e164, letters_and_extensions_are_refused) {
  EXPECT_EQ(normalize_e164("1-800-FLOWERS", "1"), std::nullopt);
  EXPECT_EQ(normalize_e164("13800138000 ext 12", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("13800138000#12", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("*86", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("张伟", "86"), std::nullopt);
}

TEST(normalize_e164, plus_signs_and_parentheses_must_be_where_they_belong) {
  EXPECT_EQ(normalize_e164("86+13800138000", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("++8613800138000", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("(010 8888 6666", "86"), std::nullopt);
}

TEST(normalize_e164, lengths_follow_e164) {
  EXPECT_EQ(normalize_e164("", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("   ", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("+", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("+1234", "86"), std::nullopt);                   // 4 digits
  EXPECT_EQ(normalize_e164("+12345", "86"), "+12345");                      // 5 digits
  EXPECT_EQ(normalize_e164("+123456789012345", "86"), "+123456789012345");  // 15
  EXPECT_EQ(normalize_e164("+1234567890123456", "86"), std::nullopt);       // 16
  // National numbers count with the country code added.
  EXPECT_EQ(normalize_e164("1234567890123", "86"), "+861234567890123");
  EXPECT_EQ(normalize_e164("12345678901234", "86"), std::nullopt);
  // A country code cannot start with 0.
  EXPECT_EQ(normalize_e164("+0123456789", "86"), std::nullopt);
  EXPECT_EQ(normalize_e164("000123456789", "86"), std::nullopt);
}

TEST(normalize_e164, a_bad_country_code_normalises_nothing) {
  EXPECT_EQ(normalize_e164("+8613800138000", ""), std::nullopt);
  EXPECT_EQ(normalize_e164("13800138000", "086"), std::nullopt);
  EXPECT_EQ(normalize_e164("13800138000", "8a"), std::nullopt);
  EXPECT_EQ(normalize_e164("13800138000", "8686"), std::nullopt);
}

TEST(normalize_e164, every_byte_inside_a_number_is_a_digit_a_separator_or_a_refusal) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const std::string raw = "138" + std::string(1, c) + "00138000";
    const auto result = normalize_e164(raw, "86");
    if (c >= '0' && c <= '9') {
      EXPECT_EQ(result, "+86138" + std::string(1, c) + "00138000");
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/') {
      EXPECT_EQ(result, "+8613800138000") << b;
    } else {
      EXPECT_EQ(result, std::nullopt) << b;
    }
  }
  EXPECT_EQ(normalize_e164(std::string("\xff\xfe", 2), "86"), std::nullopt);
}

TEST(e164_prefix, completes_partial_numbers_like_whole_ones) {
  EXPECT_EQ(e164_prefix("138", "86"), "+86138");
  EXPECT_EQ(e164_prefix("138 0013", "86"), "+861380013");
  EXPECT_EQ(e164_prefix("010 88", "86"), "+861088");
  EXPECT_EQ(e164_prefix("+861", "86"), "+861");
  EXPECT_EQ(e164_prefix("0086138", "86"), "+86138");
  EXPECT_EQ(e164_prefix("13", "86"), std::nullopt);
  EXPECT_EQ(e164_prefix("张伟", "86"), std::nullopt);
  EXPECT_EQ(e164_prefix("abc123", "86"), std::nullopt);
}

}  // namespace
}  // namespace callcenterd::crm
