#include "resampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

namespace callcenterd::media {
namespace {

std::vector<std::int16_t> tone(double frequency, double amplitude, std::uint32_t rate,
                               double seconds) {
  std::vector<std::int16_t> out(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    out[i] = static_cast<std::int16_t>(
        std::lround(amplitude * std::sin(2.0 * std::numbers::pi * frequency * t)));
  }
  return out;
}

// The amplitude of the `frequency` component of `samples` (Goertzel), for a block holding a
// whole number of its periods.
double goertzel_amplitude(std::span<const std::int16_t> samples, double frequency,
                          std::uint32_t rate) {
  const double coefficient = 2.0 * std::cos(2.0 * std::numbers::pi * frequency / rate);
  double s1 = 0.0;
  double s2 = 0.0;
  for (const auto x : samples) {
    const double s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return 2.0 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(samples.size());
}

double rms(std::span<const std::int16_t> samples) {
  double sum = 0.0;
  for (const auto x : samples) sum += static_cast<double>(x) * x;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

// Skips the filter's run-in and run-out at both ends: 100 ms, a multiple of 1 kHz's period.
std::span<const std::int16_t> middle(const std::vector<std::int16_t>& samples) {
  return std::span(samples).subspan(800, samples.size() - 1600);
}

std::size_t zero_crossings(std::span<const std::int16_t> samples) {
  std::size_t count = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if ((samples[i - 1] < 0) != (samples[i] < 0)) ++count;
  }
  return count;
}

TEST(resampler, output_length_follows_the_rate) {
  EXPECT_EQ(resample_to_8000(std::vector<std::int16_t>(22050), 22050).size(), 8000U);
  EXPECT_EQ(resample_to_8000(std::vector<std::int16_t>(44100), 44100).size(), 8000U);
  EXPECT_EQ(resample_to_8000(std::vector<std::int16_t>(1000), 16000).size(), 500U);
  EXPECT_EQ(resample_to_8000(std::vector<std::int16_t>(3), 22050).size(), 1U);
  EXPECT_TRUE(resample_to_8000({}, 22050).empty());
  EXPECT_TRUE(resample_to_8000(std::vector<std::int16_t>(100), 0).empty());
}

TEST(resampler, eight_kilohertz_is_copied) {
  const auto input = tone(1000, 8000, 8000, 0.1);
  EXPECT_EQ(resample_to_8000(input, 8000), input);
}

TEST(resampler, keeps_a_1khz_tone_at_its_frequency_and_level) {
  for (const std::uint32_t rate : {22050U, 44100U, 48000U, 16000U, 11025U}) {
    SCOPED_TRACE(rate);
    const auto output = resample_to_8000(tone(1000, 10000, rate, 1.0), rate);
    ASSERT_EQ(output.size(), 8000U);
    const auto steady = middle(output);
    EXPECT_NEAR(goertzel_amplitude(steady, 1000, 8000), 10000, 50);  // within 0.5 %
    EXPECT_NEAR(rms(steady), 10000 / std::sqrt(2.0), 50);            // and nothing else
    // 1 kHz crosses zero 2000 times a second; the block is 0.8 s.
    EXPECT_NEAR(static_cast<double>(zero_crossings(steady)), 1600, 2);
  }
}

TEST(resampler, keeps_the_telephone_band) {
  for (const double frequency : {300.0, 2000.0, 3400.0}) {
    SCOPED_TRACE(frequency);
    const auto output = resample_to_8000(tone(frequency, 10000, 22050, 1.0), 22050);
    EXPECT_NEAR(rms(middle(output)), 10000 / std::sqrt(2.0), 10000 / std::sqrt(2.0) * 0.01);
  }
}

TEST(resampler, removes_what_would_fold_back) {
  // At 8 kHz a 6 kHz tone would alias to 2 kHz, right in the band; 4.2 kHz to 3.8 kHz.
  for (const double frequency : {6000.0, 4200.0, 9000.0}) {
    SCOPED_TRACE(frequency);
    const auto output = resample_to_8000(tone(frequency, 10000, 22050, 1.0), 22050);
    const auto steady = middle(output);
    EXPECT_LT(rms(steady), 2.0);  // from 7071: better than -70 dB, i.e. rounding noise
    EXPECT_LT(goertzel_amplitude(steady, 8000 - frequency, 8000), 1.0);
  }
}

TEST(resampler, interpolates_from_a_lower_rate) {
  const auto output = resample_to_8000(tone(1000, 10000, 6000, 1.0), 6000);
  ASSERT_EQ(output.size(), 8000U);
  EXPECT_NEAR(goertzel_amplitude(middle(output), 1000, 8000), 10000, 50);
  EXPECT_NEAR(rms(middle(output)), 10000 / std::sqrt(2.0), 50);
}

TEST(resampler, clips_overshoot_instead_of_wrapping) {
  // A full-scale square wave (edges every 1000 input samples) rings past full scale beside
  // each edge once band-limited; wrapped, those samples would flip sign.
  std::vector<std::int16_t> square(22050);
  for (std::size_t i = 0; i < square.size(); ++i) {
    square[i] = (i / 1000) % 2 == 0 ? std::int16_t{32767} : std::int16_t{-32767};
  }
  const auto output = resample_to_8000(square, 22050);
  bool clipped = false;
  for (std::size_t j = 0; j + 50 < output.size(); ++j) {
    const double position = static_cast<double>(j) * 22050 / 8000;  // in input samples
    const double from_edge = std::fmod(position, 1000.0);
    if (from_edge < 6 || from_edge > 994) continue;  // the edge itself: two output samples
    const bool high = static_cast<std::size_t>(position / 1000) % 2 == 0;
    EXPECT_GT(high ? output[j] : -output[j], 20000) << "at " << j;
    clipped = clipped || output[j] == 32767;
  }
  EXPECT_TRUE(clipped);
}

}  // namespace
}  // namespace callcenterd::media
