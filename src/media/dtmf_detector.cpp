#include "callcenterd/media/dtmf_detector.hpp"

#include <cmath>
#include <numbers>

namespace callcenterd::media {
namespace {

// Why 111 samples (13.9 ms):
//  - Any 40 ms tone, however it falls on the block grid, covers one whole block and at least
//    94 % of a neighbouring one ((320 - 111) / 2 samples), and both pass: Q.24 asks that
//    such tones be accepted.
//  - A 20 ms tone can cover two consecutive blocks by at most 80 / 111 = 72 % each, and the
//    evenness check below rejects a block a tone covers by less than about 74 %.
//  - Bins are 72 Hz wide, so the nearest neighbour of any tone (697 and 770 Hz) falls close
//    to the first null of its filter.
//  - 111 is three parts of 37 for the evenness check.
// Frequencies need not fall on bin centres: each filter is tuned to its exact frequency.
constexpr std::size_t part_size = dtmf_detector::block_size / 3;
static_assert(part_size * 3 == dtmf_detector::block_size);

// Q.23: rows (low group) first, then columns (high group).
constexpr std::array<double, 8> tone_hz = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
constexpr std::size_t group_size = 4;

constexpr std::array<std::array<dtmf_key, group_size>, group_size> keypad = {{
    {dtmf_key::one, dtmf_key::two, dtmf_key::three, dtmf_key::a},
    {dtmf_key::four, dtmf_key::five, dtmf_key::six, dtmf_key::b},
    {dtmf_key::seven, dtmf_key::eight, dtmf_key::nine, dtmf_key::c},
    {dtmf_key::star, dtmf_key::zero, dtmf_key::hash, dtmf_key::d},
}};

// Peak of a 0 dBm0 sine in 16-bit PCM: the mu-law overload point (8159 in 14 bits) is
// +3.17 dBm0 (G.711).
constexpr double full_scale = 8159.0 * 4;
constexpr double overload_dbm0 = 3.17;

// Every other tone of the group at least this far below the strongest one. For a true key
// the others stay 12 dB down, 9 dB when it is 1.5 % off frequency; speech and music rarely
// keep one partial that far above its neighbours.
constexpr double min_peak_over_group_db = 8.0;
// The two tones must carry this share of the block's energy. A clean key scores above 0.9;
// one 1.5 % off frequency with 4 dB of reverse twist 0.7, one with both tones 3.5 % off
// (which Q.24 says to reject) below 0.5. Voices and noise spread their energy over many
// frequencies.
constexpr double min_tone_share = 0.6;
// Each third of the block must hold at least this share of a third of the block's energy.
// The beat of two steady tones leaves every third above 0.76; a block whose start or end the
// tone misses is uneven, and fails once the tone covers less than about 74 % of it.
constexpr double min_part_share = 0.6;

constexpr std::size_t blocks_to_press = 2;
constexpr std::size_t blocks_to_release = 2;

double from_db(double db) { return std::pow(10.0, db / 10.0); }

const double min_peak_ratio = from_db(min_peak_over_group_db);

// What the filters score for a sine of `dbm0`: its energy in one block, (peak^2 / 2) * N.
double tone_power(double dbm0) {
  const double peak = full_scale * std::pow(10.0, (dbm0 - overload_dbm0) / 20.0);
  return peak * peak / 2.0 * dtmf_detector::block_size;
}

struct goertzel_coefficients {
  std::array<double, tone_hz.size()> value{};
  goertzel_coefficients() {
    for (std::size_t i = 0; i < tone_hz.size(); ++i) {
      value[i] = 2.0 * std::cos(2.0 * std::numbers::pi * tone_hz[i] / dtmf_detector::sample_rate);
    }
  }
};
const goertzel_coefficients coefficients;

}  // namespace

dtmf_detector::dtmf_detector(dtmf_detector_listener& listener,
                             const dtmf_detector_settings& settings)
    : listener_(listener),
      min_tone_power_(tone_power(settings.min_tone_level_dbm0)),
      max_normal_twist_(from_db(settings.max_normal_twist_db)),
      max_reverse_twist_(from_db(settings.max_reverse_twist_db)) {}

void dtmf_detector::feed(std::span<const std::int16_t> samples) {
  for (const auto sample : samples) {
    const double x = sample;
    part_energy_[fill_ / part_size] += x * x;
    for (std::size_t i = 0; i < tone_count; ++i) {
      const double s0 = x + coefficients.value[i] * s1_[i] - s2_[i];
      s2_[i] = s1_[i];
      s1_[i] = s0;
    }
    if (++fill_ == block_size) end_block();
  }
}

void dtmf_detector::reset() {
  s1_ = {};
  s2_ = {};
  part_energy_ = {};
  fill_ = 0;
  last_block_key_.reset();
  same_blocks_ = 0;
  down_.reset();
  blocks_without_down_ = 0;
}

void dtmf_detector::end_block() {
  const auto key = classify();
  s1_ = {};
  s2_ = {};
  part_energy_ = {};
  fill_ = 0;
  on_block_result(key);
}

std::optional<dtmf_key> dtmf_detector::classify() const {
  double energy = 0;
  for (const auto e : part_energy_) energy += e;
  if (energy <= 0) return std::nullopt;

  // Squared magnitude at each tone, scaled so that a sine at that frequency scores its own
  // energy in the block, comparable with `energy`.
  std::array<double, tone_count> power{};
  for (std::size_t i = 0; i < tone_count; ++i) {
    const double magnitude2 =
        s1_[i] * s1_[i] + s2_[i] * s2_[i] - coefficients.value[i] * s1_[i] * s2_[i];
    power[i] = magnitude2 * 2.0 / block_size;
  }
  const auto strongest = [&](std::size_t first) {
    std::size_t best = first;
    for (std::size_t i = first + 1; i < first + group_size; ++i) {
      if (power[i] > power[best]) best = i;
    }
    return best;
  };
  const auto row = strongest(0);
  const auto column = strongest(group_size);
  const double low = power[row];
  const double high = power[column];

  if (low < min_tone_power_ || high < min_tone_power_) return std::nullopt;
  if (low > high * max_normal_twist_ || high > low * max_reverse_twist_) return std::nullopt;

  for (std::size_t i = 0; i < tone_count; ++i) {
    if (i == row || i == column) continue;
    const double peak = i < group_size ? low : high;
    if (power[i] * min_peak_ratio > peak) return std::nullopt;
  }
  if (low + high < min_tone_share * energy) return std::nullopt;
  for (const auto e : part_energy_) {
    if (e * part_count < min_part_share * energy) return std::nullopt;
  }
  return keypad[row][column - group_size];
}

void dtmf_detector::on_block_result(std::optional<dtmf_key> key) {
  same_blocks_ = key && key == last_block_key_ ? same_blocks_ + 1 : (key ? 1 : 0);
  last_block_key_ = key;

  // One block without the key is a dropout, not a release, so a held key stays one press.
  if (down_ && key != down_) {
    if (++blocks_without_down_ >= blocks_to_release) down_.reset();
  } else {
    blocks_without_down_ = 0;
  }
  if (key && same_blocks_ >= blocks_to_press && key != down_) {
    down_ = key;
    blocks_without_down_ = 0;
    listener_.on_dtmf(*key);
  }
}

}  // namespace callcenterd::media
