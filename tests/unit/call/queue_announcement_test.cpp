// What a waiting caller is told of their place and wait, in English and Mandarin.
#include "queue_announcement.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call::detail {
namespace {

using std::chrono::seconds;

queue_treatment in(media::speech_language language, bool position = true, bool wait = true) {
  queue_treatment t;
  t.language = language;
  t.announce_position = position;
  t.announce_wait = wait;
  return t;
}

constexpr auto en = media::speech_language::english;
constexpr auto zh = media::speech_language::mandarin;

TEST(queue_announcement, says_the_place_and_the_wait_rounded_up_to_whole_minutes) {
  EXPECT_EQ(queue_announcement({.position = 3, .ewt = seconds(61)}, in(en)),
            "You are caller number 3. Your estimated wait is about 2 minutes.");
  EXPECT_EQ(queue_announcement({.position = 3, .ewt = seconds(120)}, in(en)),
            "You are caller number 3. Your estimated wait is about 2 minutes.");
  EXPECT_EQ(queue_announcement({.position = 1, .ewt = seconds(20)}, in(en)),
            "You are next in line. Your wait should be less than a minute.");
}

TEST(queue_announcement, says_it_in_mandarin_counting_the_callers_ahead) {
  EXPECT_EQ(queue_announcement({.position = 3, .ewt = seconds(110)}, in(zh)),
            "您前面还有两位客户。预计等待约两分钟。");
  EXPECT_EQ(queue_announcement({.position = 1, .ewt = seconds(30)}, in(zh)),
            "您是下一位。预计等待不到一分钟。");
}

TEST(queue_announcement, leaves_out_what_the_queue_does_not_say_or_does_not_know) {
  EXPECT_EQ(queue_announcement({.position = 4, .ewt = std::nullopt}, in(en)),
            "You are caller number 4.");
  EXPECT_EQ(queue_announcement({.position = 4, .ewt = seconds(0)}, in(en)),
            "You are caller number 4.");
  EXPECT_EQ(queue_announcement({.position = 4, .ewt = seconds(300)}, in(en, false)),
            "Your estimated wait is about 5 minutes.");
  EXPECT_EQ(queue_announcement({.position = 4, .ewt = seconds(300)}, in(en, false, false)), "");
}

TEST(queue_lines, fields_are_filled_in_and_unknown_ones_left_empty) {
  const auto value_of = [](std::string_view name) -> std::string {
    if (name == "queue") return "support";
    if (name == "agent") return "1001";
    return {};
  };
  EXPECT_EQ(fill_fields("工号 {agent} 为您服务", value_of), "工号 1001 为您服务");
  EXPECT_EQ(fill_fields("{queue}: {choice}.", value_of), "support: .");
  EXPECT_EQ(fill_fields("no fields", value_of), "no fields");
  EXPECT_EQ(fill_fields("{agent}{agent}", value_of), "10011001");
  EXPECT_EQ(fill_fields("open {agent", value_of), "open {agent");  // said as written
  EXPECT_EQ(fill_fields("", value_of), "");
}

TEST(queue_lines, a_line_with_chinese_characters_is_said_in_mandarin) {
  EXPECT_EQ(spoken_language_of("工号 {agent} 为您服务"), media::speech_language::mandarin);
  EXPECT_EQ(spoken_language_of("Agent {agent} speaking"), media::speech_language::english);
}

}  // namespace
}  // namespace callcenterd::call::detail
