#include "callcenterd/media/tones.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace callcenterd::media {

namespace {

constexpr double sample_rate = 8000.0;

// Adds `seconds` of the sum of `frequencies` at `amplitude` (of full scale, split between
// them), with raised-cosine edges of `fade` seconds so notes start and stop without clicks.
void add_tone(std::vector<std::int16_t>& out, std::initializer_list<double> frequencies,
              double seconds, double amplitude, double fade) {
  const auto count = static_cast<std::size_t>(seconds * sample_rate);
  const auto fade_samples = static_cast<std::size_t>(fade * sample_rate);
  const double each = amplitude * 32767.0 / static_cast<double>(frequencies.size());
  for (std::size_t i = 0; i < count; ++i) {
    double value = 0;
    for (const double f : frequencies) {
      value += std::sin(2 * std::numbers::pi * f * static_cast<double>(i) / sample_rate);
    }
    double gain = 1.0;
    const std::size_t from_end = count - 1 - i;
    if (fade_samples > 0 && (i < fade_samples || from_end < fade_samples)) {
      const double edge =
          static_cast<double>(std::min(i, from_end)) / static_cast<double>(fade_samples);
      gain = 0.5 - 0.5 * std::cos(std::numbers::pi * edge);
    }
    out.push_back(static_cast<std::int16_t>(std::lround(value * each * gain)));
  }
}

void add_silence(std::vector<std::int16_t>& out, double seconds) {
  out.insert(out.end(), static_cast<std::size_t>(seconds * sample_rate), 0);
}

}  // namespace

std::shared_ptr<const prompt> make_ringback() {
  std::vector<std::int16_t> samples;
  add_tone(samples, {440.0, 480.0}, 2.0, 0.12, 0.005);
  add_silence(samples, 4.0);
  return prompt::from_samples(std::move(samples));
}

std::shared_ptr<const prompt> make_hold_tune() {
  // C major, A minor, F major, G major arpeggios; each note a fifth of a second plus a rest.
  static constexpr std::array<std::array<double, 4>, 4> chords{{
      {261.63, 329.63, 392.00, 523.25},
      {220.00, 261.63, 329.63, 440.00},
      {174.61, 220.00, 261.63, 349.23},
      {196.00, 246.94, 293.66, 392.00},
  }};
  std::vector<std::int16_t> samples;
  for (const auto& chord : chords) {
    for (int round = 0; round < 2; ++round) {
      for (const double note : chord) {
        add_tone(samples, {note, note * 2}, 0.2, 0.15, 0.03);
        add_silence(samples, 0.05);
      }
    }
  }
  return prompt::from_samples(std::move(samples));
}

}  // namespace callcenterd::media
