#include "callcenterd/media/spoken_text.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;

constexpr auto en = speech_language::english;
constexpr auto zh = speech_language::mandarin;

TEST(spoken_number, english_stays_in_digits_for_espeak_to_read) {
  EXPECT_EQ(spoken_number(0, en), "0");
  EXPECT_EQ(spoken_number(3, en), "3");
  EXPECT_EQ(spoken_number(1001, en), "1001");
  EXPECT_EQ(spoken_number(-5, en), "-5");
  EXPECT_EQ(spoken_number(2, en, number_form::counting), "2");
  EXPECT_EQ(spoken_number(std::numeric_limits<std::int64_t>::min(), en), "-9223372036854775808");
}

TEST(spoken_number, mandarin_small_numbers) {
  EXPECT_EQ(spoken_number(0, zh), "零");
  EXPECT_EQ(spoken_number(1, zh), "一");
  EXPECT_EQ(spoken_number(3, zh), "三");
  EXPECT_EQ(spoken_number(10, zh), "十");
  EXPECT_EQ(spoken_number(15, zh), "十五");
  EXPECT_EQ(spoken_number(20, zh), "二十");
  EXPECT_EQ(spoken_number(99, zh), "九十九");
}

TEST(spoken_number, mandarin_places_and_zeros) {
  EXPECT_EQ(spoken_number(100, zh), "一百");
  EXPECT_EQ(spoken_number(101, zh), "一百零一");
  EXPECT_EQ(spoken_number(110, zh), "一百一十");  // 一十 is only shortened at the start
  EXPECT_EQ(spoken_number(1001, zh), "一千零一");
  EXPECT_EQ(spoken_number(1010, zh), "一千零一十");
  EXPECT_EQ(spoken_number(1100, zh), "一千一百");
  EXPECT_EQ(spoken_number(9999, zh), "九千九百九十九");
}

TEST(spoken_number, mandarin_sections_of_wan_and_yi) {
  EXPECT_EQ(spoken_number(10000, zh), "一万");
  EXPECT_EQ(spoken_number(12345, zh), "一万二千三百四十五");
  EXPECT_EQ(spoken_number(10001, zh), "一万零一");
  EXPECT_EQ(spoken_number(100010, zh), "十万零一十");
  EXPECT_EQ(spoken_number(200300, zh), "二十万零三百");
  EXPECT_EQ(spoken_number(1000000, zh), "一百万");
  EXPECT_EQ(spoken_number(100000000, zh), "一亿");
  EXPECT_EQ(spoken_number(100000010, zh), "一亿零一十");
  EXPECT_EQ(spoken_number(123456789, zh), "一亿二千三百四十五万六千七百八十九");
  EXPECT_EQ(spoken_number(1000000000000, zh), "一万亿");
}

TEST(spoken_number, mandarin_negative_and_extremes) {
  EXPECT_EQ(spoken_number(-5, zh), "负五");
  EXPECT_EQ(spoken_number(-10, zh), "负十");
  EXPECT_EQ(spoken_number(std::numeric_limits<std::int64_t>::max(), zh),
            "九百二十二亿三千三百七十二万零三百六十八亿五千四百七十七万五千八百零七");
  EXPECT_EQ(spoken_number(std::numeric_limits<std::int64_t>::min(), zh),
            "负九百二十二亿三千三百七十二万零三百六十八亿五千四百七十七万五千八百零八");
}

TEST(spoken_number, mandarin_counting_says_liang) {
  const auto count = [](std::int64_t n) { return spoken_number(n, zh, number_form::counting); };
  EXPECT_EQ(count(2), "两");
  EXPECT_EQ(count(200), "两百");
  EXPECT_EQ(count(2000), "两千");
  EXPECT_EQ(count(20000), "两万");
  EXPECT_EQ(count(200000000), "两亿");
  EXPECT_EQ(count(20), "二十");  // never 两十
  EXPECT_EQ(count(22), "二十二");
  EXPECT_EQ(count(12), "十二");
  EXPECT_EQ(count(1200), "一千二百");
  EXPECT_EQ(count(-2), "负二");
  EXPECT_EQ(spoken_number(2, zh), "二");
}

TEST(spoken_digits, english_reads_each_digit_as_a_word) {
  EXPECT_EQ(spoken_digits("1001", en), "one zero zero one");
  EXPECT_EQ(spoken_digits("0123456789", en), "zero one two three four five six seven eight nine");
  EXPECT_EQ(spoken_digits("+1 (555) 010-9*#", en),
            "plus one five five five zero one zero nine star hash");
  EXPECT_EQ(spoken_digits("", en), "");
  EXPECT_EQ(spoken_digits("abc", en), "");
}

TEST(spoken_digits, mandarin_reads_each_digit_as_a_character) {
  EXPECT_EQ(spoken_digits("1001", zh), "一 零 零 一");
  EXPECT_EQ(spoken_digits("2", zh), "二");
  EXPECT_EQ(spoken_digits("138-0013-8000", zh), "一 三 八 零 零 一 三 八 零 零 零");
  EXPECT_EQ(spoken_digits("*9#", zh), "星号 九 井号");
}

TEST(spoken_duration, english_under_ten_minutes_is_exact) {
  EXPECT_EQ(spoken_duration(0s, en), "0 seconds");
  EXPECT_EQ(spoken_duration(-5s, en), "0 seconds");
  EXPECT_EQ(spoken_duration(1s, en), "1 second");
  EXPECT_EQ(spoken_duration(45s, en), "45 seconds");
  EXPECT_EQ(spoken_duration(60s, en), "1 minute");
  EXPECT_EQ(spoken_duration(90s, en), "1 minute 30 seconds");
  EXPECT_EQ(spoken_duration(121s, en), "2 minutes 1 second");
  EXPECT_EQ(spoken_duration(2min, en), "2 minutes");
  EXPECT_EQ(spoken_duration(599s, en), "9 minutes 59 seconds");
}

TEST(spoken_duration, english_rounds_to_minutes_beyond_ten) {
  EXPECT_EQ(spoken_duration(10min, en), "10 minutes");
  EXPECT_EQ(spoken_duration(12min + 29s, en), "12 minutes");
  EXPECT_EQ(spoken_duration(12min + 30s, en), "13 minutes");
  EXPECT_EQ(spoken_duration(59min + 30s, en), "1 hour");
  EXPECT_EQ(spoken_duration(1h, en), "1 hour");
  EXPECT_EQ(spoken_duration(1h + 5min + 10s, en), "1 hour 5 minutes");
  EXPECT_EQ(spoken_duration(2h + 59min + 45s, en), "3 hours");
  EXPECT_EQ(spoken_duration(26h, en), "26 hours");
}

TEST(spoken_duration, mandarin) {
  EXPECT_EQ(spoken_duration(0s, zh), "零秒");
  EXPECT_EQ(spoken_duration(2s, zh), "两秒");
  EXPECT_EQ(spoken_duration(30s, zh), "三十秒");
  EXPECT_EQ(spoken_duration(60s, zh), "一分钟");
  EXPECT_EQ(spoken_duration(2min, zh), "两分钟");
  EXPECT_EQ(spoken_duration(90s, zh), "一分三十秒");
  EXPECT_EQ(spoken_duration(150s, zh), "两分三十秒");
  EXPECT_EQ(spoken_duration(10min, zh), "十分钟");
  EXPECT_EQ(spoken_duration(22min, zh), "二十二分钟");
  EXPECT_EQ(spoken_duration(1h, zh), "一小时");
  EXPECT_EQ(spoken_duration(1h + 5min, zh), "一小时五分钟");
  EXPECT_EQ(spoken_duration(2h + 20min, zh), "两小时二十分钟");
}

TEST(spoken_text, builds_a_queue_announcement) {
  const std::string english =
      "you are caller number " + spoken_number(3, en) + ", about " + spoken_duration(2min, en);
  EXPECT_EQ(english, "you are caller number 3, about 2 minutes");
  const std::string mandarin = "您前面还有" + spoken_number(3, zh, number_form::counting) +
                               "位客户，预计等待" + spoken_duration(2min, zh);
  EXPECT_EQ(mandarin, "您前面还有三位客户，预计等待两分钟");
}

}  // namespace
}  // namespace callcenterd::media
