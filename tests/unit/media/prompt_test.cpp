#include "callcenterd/media/prompt.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace callcenterd::media {
namespace {

// A ramp, so every sample is told apart after encoding.
std::vector<std::int16_t> ramp(std::size_t n) {
  std::vector<std::int16_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::int16_t>(i * 64);
  return out;
}

TEST(prompt, is_encoded_once_in_each_law) {
  const auto audio = prompt::from_samples(ramp(400));
  ASSERT_EQ(audio->samples(), 400U);
  for (std::size_t i = 0; i < 400; ++i) {
    const auto sample = static_cast<std::int16_t>(i * 64);
    EXPECT_EQ(audio->encoded(g711_law::ulaw)[i], encode_ulaw(sample));
    EXPECT_EQ(audio->encoded(g711_law::alaw)[i], encode_alaw(sample));
  }
}

TEST(prompt_player, plays_whole_frames_then_pads_the_last_with_silence) {
  const auto audio = prompt::from_samples(ramp(400));  // 2.5 frames of 160
  prompt_player player(audio, g711_law::alaw);
  const auto source = audio->encoded(g711_law::alaw);
  for (std::size_t frame = 0; frame < 2; ++frame) {
    const auto got = player.next_frame();
    ASSERT_TRUE(got);
    ASSERT_EQ(got->size(), 160U);
    EXPECT_TRUE(std::equal(got->begin(), got->end(), source.begin() + frame * 160));
  }
  const auto last = player.next_frame();
  ASSERT_TRUE(last);
  EXPECT_TRUE(std::equal(last->begin(), last->begin() + 80, source.begin() + 320));
  EXPECT_TRUE(
      std::all_of(last->begin() + 80, last->end(), [](std::uint8_t b) { return b == 0xD5; }));
  EXPECT_TRUE(player.done());
  EXPECT_FALSE(player.next_frame());
}

TEST(prompt_player, music_on_hold_starts_over_within_a_frame) {
  const auto audio = prompt::from_samples(ramp(100));
  prompt_player player(audio, g711_law::ulaw, true);
  const auto source = audio->encoded(g711_law::ulaw);
  const auto first = player.next_frame();  // samples 0..99, then 0..59
  ASSERT_TRUE(first);
  EXPECT_TRUE(std::equal(first->begin(), first->begin() + 100, source.begin()));
  EXPECT_TRUE(std::equal(first->begin() + 100, first->end(), source.begin()));
  const auto second = player.next_frame();  // 60..99, 0..99, 0..19
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)[0], source[60]);
  EXPECT_EQ((*second)[40], source[0]);
  EXPECT_EQ((*second)[140], source[0]);
  EXPECT_FALSE(player.done());
}

TEST(prompt_player, listeners_share_the_audio_and_keep_their_own_place) {
  const auto audio = prompt::from_samples(ramp(320));
  prompt_player early(audio, g711_law::ulaw);
  prompt_player late(audio, g711_law::ulaw);
  early.next_frame();
  const auto a = early.next_frame();
  const auto b = late.next_frame();
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*a)[0], audio->encoded(g711_law::ulaw)[160]);
  EXPECT_EQ((*b)[0], audio->encoded(g711_law::ulaw)[0]);
  EXPECT_EQ(audio.use_count(), 3);  // one copy of the audio, three holders
}

TEST(prompt_player, a_key_stops_the_prompt) {
  prompt_player player(prompt::from_samples(ramp(1600)), g711_law::ulaw);
  EXPECT_TRUE(player.next_frame());
  player.stop();
  EXPECT_TRUE(player.done());
  EXPECT_FALSE(player.next_frame());
}

TEST(prompt_player, an_empty_prompt_plays_nothing) {
  prompt_player player(prompt::from_samples({}), g711_law::ulaw, true);
  EXPECT_TRUE(player.done());
  EXPECT_FALSE(player.next_frame());
}

}  // namespace
}  // namespace callcenterd::media
