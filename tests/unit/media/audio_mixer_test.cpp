#include "callcenterd/media/audio_mixer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

namespace callcenterd::media {
namespace {

constexpr std::size_t frame = 160;
constexpr std::size_t customer = 0;
constexpr std::size_t agent = 1;
constexpr std::size_t supervisor = 2;

// The mixer is about 46 KB: kept off the test's stack, as a call would keep it.
std::unique_ptr<audio_mixer> mixer_with(std::size_t parties) {
  auto mixer = std::make_unique<audio_mixer>();
  for (std::size_t party = 0; party < parties; ++party) EXPECT_TRUE(mixer->add(party));
  return mixer;
}

std::vector<std::int16_t> constant(std::int16_t level, std::size_t samples = frame) {
  return std::vector<std::int16_t>(samples, level);
}

std::vector<std::int16_t> sine(double hz, double amplitude, std::size_t samples = frame) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(std::lround(
        amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / 8000)));
  }
  return out;
}

std::vector<std::int16_t> heard(const audio_mixer& mixer, std::size_t party) {
  const auto span = mixer.heard(party);
  return {span.begin(), span.end()};
}

// The customer says 100, the agent 20 and the supervisor 3, in one frame; then each must
// hear the level given for it, in every sample.
void expect_three_hear(audio_mixer& mixer, std::int16_t customer_hears, std::int16_t agent_hears,
                       std::int16_t supervisor_hears) {
  mixer.push(customer, constant(100));
  mixer.push(agent, constant(20));
  mixer.push(supervisor, constant(3));
  mixer.mix(frame);
  EXPECT_EQ(heard(mixer, customer), constant(customer_hears));
  EXPECT_EQ(heard(mixer, agent), constant(agent_hears));
  EXPECT_EQ(heard(mixer, supervisor), constant(supervisor_hears));
}

// What `listener` should hear, summed the slow way and clipped.
std::vector<std::int16_t> expected_sum(const std::vector<std::vector<std::int16_t>>& frames,
                                       std::size_t samples) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    std::int32_t sum = 0;
    for (const auto& f : frames) sum += f[i];
    out[i] = static_cast<std::int16_t>(std::clamp<std::int32_t>(sum, -32768, 32767));
  }
  return out;
}

TEST(audio_mixer, three_parties_each_hear_the_other_two_and_never_themselves) {
  auto mixer = mixer_with(3);
  ASSERT_TRUE(mixer->push(0, constant(1000)));
  ASSERT_TRUE(mixer->push(1, constant(200)));
  ASSERT_TRUE(mixer->push(2, constant(30)));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 0), constant(230));
  EXPECT_EQ(heard(*mixer, 1), constant(1030));
  EXPECT_EQ(heard(*mixer, 2), constant(1200));
  for (std::size_t party = 0; party < 3; ++party) {
    EXPECT_FALSE(mixer->silent(party));
    EXPECT_FALSE(mixer->hears(party, party));
  }
  EXPECT_EQ(mixer->frames_mixed(), 1U);
  EXPECT_EQ(mixer->frames_missing(), 0U);
  EXPECT_EQ(mixer->frames_dropped(), 0U);
}

TEST(audio_mixer, three_sines_mix_sample_by_sample) {
  auto mixer = mixer_with(3);
  const auto a = sine(440, 8000);
  const auto b = sine(1000, 6000);
  const auto c = sine(1633, 4000);
  mixer->push(0, a);
  mixer->push(1, b);
  mixer->push(2, c);
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 0), expected_sum({b, c}, frame));
  EXPECT_EQ(heard(*mixer, 1), expected_sum({a, c}, frame));
  EXPECT_EQ(heard(*mixer, 2), expected_sum({a, b}, frame));
  // The signals are not constant, so a wrong sample offset would show.
  EXPECT_NE(heard(*mixer, 0)[1], heard(*mixer, 0)[2]);
}

TEST(audio_mixer, sums_clip_at_the_int16_limits) {
  auto mixer = mixer_with(3);
  mixer->push(0, constant(30000));
  mixer->push(1, constant(30000));
  mixer->push(2, constant(-30000));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 2), constant(32767));
  EXPECT_EQ(heard(*mixer, 0), constant(0));
  EXPECT_EQ(heard(*mixer, 1), constant(0));

  mixer->push(0, constant(-32768));
  mixer->push(1, constant(-32768));
  mixer->push(2, constant(32767));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 2), constant(-32768));
  EXPECT_EQ(heard(*mixer, 0), constant(-1));
}

TEST(audio_mixer, clipping_happens_once_after_the_sum_not_on_the_way) {
  // Four parties: each listener hears three, so the total-minus-own path is taken, and the
  // total passes through values no int16 can hold while the answers all fit.
  auto mixer = mixer_with(4);
  mixer->push(0, constant(30000));
  mixer->push(1, constant(30000));
  mixer->push(2, constant(-30000));
  mixer->push(3, constant(-25000));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 0), constant(-25000));
  EXPECT_EQ(heard(*mixer, 1), constant(-25000));
  EXPECT_EQ(heard(*mixer, 2), constant(32767));  // 35000, clipped
  EXPECT_EQ(heard(*mixer, 3), constant(30000));
}

TEST(audio_mixer, a_silent_monitor_hears_both_sides_and_nobody_hears_it) {
  auto mixer = mixer_with(3);
  ASSERT_TRUE(mixer->set_role(supervisor, party_role::listen));
  EXPECT_TRUE(mixer->hears(supervisor, customer));
  EXPECT_TRUE(mixer->hears(supervisor, agent));
  EXPECT_FALSE(mixer->hears(customer, supervisor));
  EXPECT_FALSE(mixer->hears(agent, supervisor));

  // The supervisor coughs on a line its role mutes.
  expect_three_hear(*mixer, 20, 100, 120);
}

TEST(audio_mixer, a_whisper_reaches_only_the_agent) {
  auto mixer = mixer_with(3);
  ASSERT_TRUE(mixer->set_role(supervisor, party_role::whisper, agent));
  expect_three_hear(*mixer, 20, 103, 120);
}

TEST(audio_mixer, a_barge_makes_the_supervisor_heard_by_all) {
  auto mixer = mixer_with(3);
  ASSERT_TRUE(mixer->set_role(supervisor, party_role::listen));
  ASSERT_TRUE(mixer->set_role(supervisor, party_role::full));
  expect_three_hear(*mixer, 23, 103, 120);
}

TEST(audio_mixer, a_whisper_needs_another_present_target) {
  auto mixer = mixer_with(3);
  EXPECT_FALSE(mixer->set_role(supervisor, party_role::whisper));
  EXPECT_FALSE(mixer->set_role(supervisor, party_role::whisper, supervisor));
  EXPECT_FALSE(mixer->set_role(supervisor, party_role::whisper, 5));
  EXPECT_FALSE(mixer->set_role(5, party_role::listen));
  // Nothing changed: the supervisor is still heard by both.
  EXPECT_TRUE(mixer->hears(customer, supervisor));
  EXPECT_TRUE(mixer->hears(agent, supervisor));
}

TEST(audio_mixer, a_whisper_whose_agent_left_is_heard_by_nobody_not_by_the_next_leg) {
  auto mixer = mixer_with(3);
  ASSERT_TRUE(mixer->set_role(supervisor, party_role::whisper, agent));
  mixer->remove(agent);
  ASSERT_TRUE(mixer->add(agent));  // a new leg under the old number
  EXPECT_FALSE(mixer->hears(agent, supervisor));
  EXPECT_FALSE(mixer->hears(customer, supervisor));
  EXPECT_TRUE(mixer->hears(supervisor, agent));
  EXPECT_TRUE(mixer->hears(agent, customer));
}

TEST(audio_mixer, a_removed_party_neither_hears_nor_is_heard) {
  auto mixer = mixer_with(3);
  mixer->push(2, constant(7));  // queued, then thrown away with the party
  mixer->remove(2);
  EXPECT_FALSE(mixer->present(2));
  EXPECT_FALSE(mixer->push(2, constant(7)));
  EXPECT_FALSE(mixer->hears(0, 2));
  mixer->push(0, constant(100));
  mixer->push(1, constant(20));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 0), constant(20));
  EXPECT_EQ(heard(*mixer, 1), constant(100));
  EXPECT_TRUE(mixer->heard(2).empty());
  EXPECT_TRUE(mixer->silent(2));
  EXPECT_EQ(mixer->frames_missing(), 0U);

  // Back under the same number, it starts clean: nothing queued, nothing heard yet.
  ASSERT_TRUE(mixer->add(2));
  EXPECT_FALSE(mixer->add(2));
  EXPECT_EQ(mixer->queued(2), 0U);
  EXPECT_EQ(heard(*mixer, 2), constant(0));
  EXPECT_TRUE(mixer->hears(0, 2));
  EXPECT_TRUE(mixer->hears(2, 0));
}

TEST(audio_mixer, a_party_that_sent_nothing_is_silence_and_counted_missing) {
  auto mixer = mixer_with(3);
  mixer->push(0, constant(100));
  mixer->push(2, constant(3));
  mixer->mix(frame);  // party 1 lost its packet
  EXPECT_EQ(heard(*mixer, 0), constant(3));
  EXPECT_EQ(heard(*mixer, 1), constant(103));
  EXPECT_EQ(heard(*mixer, 2), constant(100));
  EXPECT_EQ(mixer->frames_missing(), 1U);

  mixer->push(0, constant(100));
  mixer->mix(frame);  // only party 0 speaks: it alone hears nothing
  EXPECT_TRUE(mixer->silent(0));
  EXPECT_EQ(heard(*mixer, 0), constant(0));
  EXPECT_FALSE(mixer->silent(1));
  EXPECT_FALSE(mixer->silent(2));
  EXPECT_EQ(mixer->frames_missing(), 3U);

  mixer->mix(frame);  // everybody on hold
  for (std::size_t party = 0; party < 3; ++party) {
    EXPECT_TRUE(mixer->silent(party));
    EXPECT_EQ(heard(*mixer, party), constant(0));
  }
  EXPECT_EQ(mixer->frames_missing(), 6U);
  EXPECT_EQ(mixer->frames_mixed(), 3U);
}

TEST(audio_mixer, a_party_nobody_hears_is_not_counted_missing) {
  auto mixer = mixer_with(3);
  mixer->set_role(supervisor, party_role::listen);
  mixer->push(customer, constant(1));
  mixer->push(agent, constant(1));
  mixer->mix(frame);
  EXPECT_EQ(mixer->frames_missing(), 0U);
}

TEST(audio_mixer, two_pushes_in_one_frame_queue_into_the_next_mix) {
  auto mixer = mixer_with(3);
  mixer->push(0, constant(100));
  mixer->push(0, constant(200));
  EXPECT_EQ(mixer->queued(0), 2U);
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 1), constant(100));
  EXPECT_EQ(mixer->queued(0), 1U);
  mixer->mix(frame);  // nothing new arrived: the queued frame fills the gap
  EXPECT_EQ(heard(*mixer, 1), constant(200));
  EXPECT_EQ(mixer->queued(0), 0U);
  EXPECT_EQ(mixer->frames_dropped(), 0U);
}

TEST(audio_mixer, a_full_queue_drops_its_oldest_frame_and_counts_it) {
  auto mixer = mixer_with(2);
  for (std::int16_t level = 1; level <= 6; ++level) ASSERT_TRUE(mixer->push(0, constant(level)));
  EXPECT_EQ(mixer->queued(0), audio_mixer::queue_frames);
  EXPECT_EQ(mixer->frames_dropped(), 2U);
  for (std::int16_t level = 3; level <= 6; ++level) {
    mixer->mix(frame);
    EXPECT_EQ(heard(*mixer, 1), constant(level));
  }
  mixer->mix(frame);
  EXPECT_TRUE(mixer->silent(1));
  EXPECT_EQ(heard(*mixer, 1), constant(0));
}

TEST(audio_mixer, frames_of_the_wrong_size_are_padded_or_refused) {
  auto mixer = mixer_with(2);
  EXPECT_FALSE(mixer->push(0, {}));
  EXPECT_FALSE(mixer->push(0, constant(1, audio_mixer::max_frame_samples + 1)));
  EXPECT_FALSE(mixer->push(7, constant(1)));
  EXPECT_FALSE(mixer->push(audio_mixer::max_parties, constant(1)));
  EXPECT_EQ(mixer->queued(0), 0U);

  // Go once round the queue with loud frames, so that the short one lands on old audio.
  for (std::size_t i = 0; i < audio_mixer::queue_frames; ++i) {
    mixer->push(0, constant(9999));
    mixer->mix(frame);
  }
  ASSERT_TRUE(mixer->push(0, constant(50, 80)));
  mixer->mix(frame);
  auto expected = constant(50, 80);
  expected.resize(frame, 0);
  EXPECT_EQ(heard(*mixer, 1), expected);

  ASSERT_TRUE(mixer->push(0, constant(60, 240)));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 1), constant(60));
}

TEST(audio_mixer, a_custom_matrix_is_honoured_until_a_role_is_set_again) {
  auto mixer = mixer_with(4);
  EXPECT_FALSE(mixer->set_hears(0, 0, true));
  EXPECT_FALSE(mixer->set_hears(0, 6, true));
  ASSERT_TRUE(mixer->set_hears(0, 3, false));
  ASSERT_TRUE(mixer->set_hears(1, 2, false));
  ASSERT_TRUE(mixer->set_hears(1, 3, false));
  mixer->push(0, constant(1000));
  mixer->push(1, constant(200));
  mixer->push(2, constant(30));
  mixer->push(3, constant(4));
  mixer->mix(frame);
  EXPECT_EQ(heard(*mixer, 0), constant(230));
  EXPECT_EQ(heard(*mixer, 1), constant(1000));
  EXPECT_EQ(heard(*mixer, 2), constant(1204));
  EXPECT_EQ(heard(*mixer, 3), constant(1230));

  ASSERT_TRUE(mixer->set_role(3, party_role::full));
  EXPECT_TRUE(mixer->hears(0, 3));
  EXPECT_TRUE(mixer->hears(1, 3));
  EXPECT_FALSE(mixer->hears(1, 2));  // untouched: 3's role does not concern this pair
}

TEST(audio_mixer, encoded_frames_match_the_g711_coder) {
  auto mixer = mixer_with(3);
  mixer->push(0, sine(440, 9000));
  mixer->push(1, sine(700, 5000));
  mixer->mix(frame);
  for (const auto law : {g711_law::ulaw, g711_law::alaw}) {
    const auto mixed = mixer->heard(2);
    std::vector<std::uint8_t> expected(mixed.size());
    encode(law, mixed, expected);
    const auto bytes = mixer->encoded(2, law);
    EXPECT_EQ(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), expected);
  }
  mixer->mix(frame);
  const auto quiet = mixer->encoded(2, g711_law::alaw);
  EXPECT_EQ(std::vector<std::uint8_t>(quiet.begin(), quiet.end()),
            std::vector<std::uint8_t>(frame, silence_byte(g711_law::alaw)));
  EXPECT_TRUE(mixer->encoded(5, g711_law::ulaw).empty());
}

TEST(audio_mixer, eight_parties_and_a_silent_monitor) {
  auto mixer = mixer_with(audio_mixer::max_parties);
  ASSERT_TRUE(mixer->set_role(7, party_role::listen));
  std::vector<std::vector<std::int16_t>> frames;
  for (std::size_t party = 0; party < audio_mixer::max_parties; ++party) {
    frames.push_back(sine(300.0 + 170.0 * static_cast<double>(party), 4000));
    mixer->push(party, frames.back());
  }
  mixer->mix(frame);
  for (std::size_t listener = 0; listener < audio_mixer::max_parties; ++listener) {
    std::vector<std::vector<std::int16_t>> others;
    for (std::size_t speaker = 0; speaker < 7; ++speaker) {
      if (speaker != listener) others.push_back(frames[speaker]);
    }
    EXPECT_EQ(heard(*mixer, listener), expected_sum(others, frame)) << listener;
  }
}

TEST(audio_mixer, random_matrices_and_losses_match_a_plain_sum) {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> level(-32768, 32767);
  std::bernoulli_distribution coin(0.5);
  std::bernoulli_distribution mostly(0.85);
  for (int round = 0; round < 200; ++round) {
    auto mixer = std::make_unique<audio_mixer>();
    std::vector<bool> present(audio_mixer::max_parties);
    for (std::size_t party = 0; party < audio_mixer::max_parties; ++party) {
      present[party] = coin(random);
      if (present[party]) mixer->add(party);
    }
    for (std::size_t a = 0; a < audio_mixer::max_parties; ++a) {
      for (std::size_t b = 0; b < audio_mixer::max_parties; ++b) {
        if (a != b && present[a] && present[b]) mixer->set_hears(a, b, mostly(random));
      }
    }
    const std::size_t samples = 1 + static_cast<std::size_t>(round) % 40;
    std::vector<std::vector<std::int16_t>> frames(audio_mixer::max_parties);
    for (std::size_t party = 0; party < audio_mixer::max_parties; ++party) {
      if (!present[party] || !mostly(random)) continue;
      frames[party].resize(samples);
      // Quiet most of the time, so that most sums are exact; loud sometimes, to clip.
      const int scale = coin(random) ? 16 : 1;
      for (auto& s : frames[party]) s = static_cast<std::int16_t>(level(random) / scale);
      mixer->push(party, frames[party]);
    }
    mixer->mix(samples);
    for (std::size_t listener = 0; listener < audio_mixer::max_parties; ++listener) {
      if (!present[listener]) continue;
      std::vector<std::vector<std::int16_t>> heard_frames;
      for (std::size_t speaker = 0; speaker < audio_mixer::max_parties; ++speaker) {
        if (!frames[speaker].empty() && mixer->hears(listener, speaker)) {
          heard_frames.push_back(frames[speaker]);
        }
      }
      EXPECT_EQ(heard(*mixer, listener), expected_sum(heard_frames, samples))
          << "round " << round << " listener " << listener;
      EXPECT_EQ(mixer->silent(listener), heard_frames.empty());
    }
  }
}

class audio_mixer_frame_size : public testing::TestWithParam<std::size_t> {};

TEST_P(audio_mixer_frame_size, every_sample_of_the_frame_is_mixed) {
  const std::size_t samples = GetParam();
  auto mixer = mixer_with(3);
  const auto a = sine(440, 10000, samples);
  const auto b = sine(950, 10000, samples);
  const auto c = constant(-20000, samples);
  mixer->push(0, a);
  mixer->push(1, b);
  mixer->push(2, c);
  mixer->mix(samples);
  ASSERT_EQ(mixer->heard(0).size(), samples);
  EXPECT_EQ(heard(*mixer, 0), expected_sum({b, c}, samples));
  EXPECT_EQ(heard(*mixer, 1), expected_sum({a, c}, samples));
  EXPECT_EQ(heard(*mixer, 2), expected_sum({a, b}, samples));
  EXPECT_EQ(mixer->encoded(2, g711_law::ulaw).size(), samples);
}

INSTANTIATE_TEST_SUITE_P(ptimes, audio_mixer_frame_size, testing::Values(80, 160, 480));

}  // namespace
}  // namespace callcenterd::media
