#include "resampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace callcenterd::media {
namespace {

constexpr std::uint64_t output_rate = 8000;

// Kaiser-windowed sinc, designed by Kaiser's formulas for this much stopband attenuation.
constexpr double stopband_db = 80.0;
// The pass band ends at this share of the slower side's Nyquist frequency: 3.4 kHz of 4 kHz.
constexpr double pass_share = 0.85;
// The impulse response is tabulated at this many points per input sample and interpolated
// linearly between them; the error that leaves is far below the stopband.
constexpr std::size_t table_steps = 256;

// The modified Bessel function I0 by its power series; the window needs x up to about 8,
// where thirty terms are exact to double precision.
double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  const double quarter_square = x * x / 4.0;
  for (int k = 1; k < 50 && term > sum * 1e-17; ++k) {
    term *= quarter_square / (static_cast<double>(k) * k);
    sum += term;
  }
  return sum;
}

struct lowpass {
  std::size_t half_taps = 0;  // the response is zero this many input samples from the centre
  std::vector<double> table;  // response at i / table_steps input samples from the centre
};

lowpass design(std::uint32_t input_rate) {
  const double rate = input_rate;
  const double nyquist = std::min(rate, static_cast<double>(output_rate)) / 2.0;
  const double pass_edge = pass_share * nyquist;
  const double cutoff = (pass_edge + nyquist) / 2.0 / rate;  // cycles per input sample
  const double transition = (nyquist - pass_edge) / rate;
  const double beta = 0.1102 * (stopband_db - 8.7);
  const double taps = (stopband_db - 8.0) / (2.285 * 2.0 * std::numbers::pi * transition);

  lowpass filter;
  filter.half_taps = static_cast<std::size_t>(std::ceil(taps / 2.0));
  const std::size_t points = filter.half_taps * table_steps;
  filter.table.resize(points + 2, 0.0);  // the last two stay 0, past the window's end
  const double window_norm = bessel_i0(beta);
  for (std::size_t i = 0; i < points; ++i) {
    const double t = static_cast<double>(i) / table_steps;
    const double x = t / static_cast<double>(filter.half_taps);
    const double window = bessel_i0(beta * std::sqrt(1.0 - x * x)) / window_norm;
    const double sinc =
        i == 0 ? 2.0 * cutoff
               : std::sin(2.0 * std::numbers::pi * cutoff * t) / (std::numbers::pi * t);
    filter.table[i] = sinc * window;
  }
  return filter;
}

double response(const lowpass& filter, double distance) {
  const double position = distance * table_steps;
  const auto index = static_cast<std::size_t>(position);
  if (index + 1 >= filter.table.size()) return 0.0;
  const double fraction = position - static_cast<double>(index);
  return filter.table[index] + fraction * (filter.table[index + 1] - filter.table[index]);
}

}  // namespace

std::vector<std::int16_t> resample_to_8000(std::span<const std::int16_t> input,
                                           std::uint32_t input_rate) {
  if (input_rate == 0) return {};
  if (input_rate == output_rate) return {input.begin(), input.end()};

  const auto filter = design(input_rate);
  const auto half = static_cast<std::int64_t>(filter.half_taps);
  const auto size = static_cast<std::int64_t>(input.size());
  std::vector<std::int16_t> output(input.size() * output_rate / input_rate);
  for (std::size_t j = 0; j < output.size(); ++j) {
    // Output sample j lies at j * input_rate / 8000 input samples; kept as an integer and a
    // remainder so that a long prompt does not drift.
    const std::uint64_t exact = j * std::uint64_t{input_rate};
    const auto base = static_cast<std::int64_t>(exact / output_rate);
    const double fraction = static_cast<double>(exact % output_rate) / output_rate;
    const std::int64_t first = std::max<std::int64_t>(0, base - half + 1);
    const std::int64_t last = std::min<std::int64_t>(size - 1, base + half);
    double sum = 0.0;
    for (std::int64_t k = first; k <= last; ++k) {
      const double distance = std::abs(static_cast<double>(k - base) - fraction);
      sum += input[static_cast<std::size_t>(k)] * response(filter, distance);
    }
    output[j] = static_cast<std::int16_t>(std::clamp(std::lround(sum), -32768L, 32767L));
  }
  return output;
}

}  // namespace callcenterd::media
