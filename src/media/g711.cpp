#include "callcenterd/media/g711.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>

namespace callcenterd::media {
namespace {

// µ-law quantises 14-bit magnitudes with 33 added, which makes every segment start at a power
// of two; 0x84 is that bias in 16-bit terms (33 << 2). The clip keeps a biased magnitude
// within 15 bits, at the top of segment 7.
constexpr unsigned ulaw_bias = 0x84;
constexpr unsigned ulaw_clip = 32635;

// G.711 has µ-law send every bit inverted and A-law every even bit, so that quiet signals,
// whose codes are mostly zeros, still put enough ones on the line.
constexpr unsigned ulaw_inversion = 0xFF;
constexpr unsigned alaw_inversion = 0x55;

constexpr unsigned sign_bit = 0x80;

// A 16-bit sample x stands for [x, x + 1), whose mirror image is [-x - 1, -x): quantising a
// negative sample as ~x keeps both laws symmetric and leaves no overflow at -32768.
constexpr unsigned magnitude_of(std::int16_t sample) {
  return static_cast<unsigned>(sample < 0 ? ~sample : sample);
}

constexpr std::uint8_t ulaw_code(std::int16_t sample) {
  const unsigned biased = std::min(magnitude_of(sample), ulaw_clip) + ulaw_bias;
  // biased lies in [128, 32768): bit 7 set means segment 0, bit 14 segment 7.
  const int segment = static_cast<int>(std::bit_width(biased)) - 8;
  const unsigned step = (biased >> (segment + 3)) & 0x0F;
  const unsigned code = (sample < 0 ? sign_bit : 0U) | (static_cast<unsigned>(segment) << 4) | step;
  return static_cast<std::uint8_t>(code ^ ulaw_inversion);
}

constexpr std::int16_t ulaw_level(std::uint8_t code) {
  const unsigned bits = code ^ ulaw_inversion;
  const unsigned segment = (bits >> 4) & 0x07;
  const unsigned step = bits & 0x0F;
  // The middle of the step, biased like the encoder's input; then the bias comes off again.
  const int magnitude =
      static_cast<int>(((step << 3) + ulaw_bias) << segment) - static_cast<int>(ulaw_bias);
  return static_cast<std::int16_t>((bits & sign_bit) != 0 ? -magnitude : magnitude);
}

constexpr std::uint8_t alaw_code(std::int16_t sample) {
  // In units of the smallest step (16 in 16-bit terms): segments 0 and 1 share that step and
  // cover [0, 32); segment s > 1 covers [16 << (s - 1), 16 << s) with steps 1 << (s - 1).
  const unsigned level = magnitude_of(sample) >> 4;
  const int segment = level < 16 ? 0 : static_cast<int>(std::bit_width(level)) - 4;
  const unsigned step = segment == 0 ? level : (level >> (segment - 1)) & 0x0F;
  // The inversion leaves the sign bit alone, so it is set here for positive samples, as it is
  // on the wire in both laws.
  const unsigned code = (sample < 0 ? 0U : sign_bit) | (static_cast<unsigned>(segment) << 4) | step;
  return static_cast<std::uint8_t>(code ^ alaw_inversion);
}

constexpr std::int16_t alaw_level(std::uint8_t code) {
  const unsigned bits = code ^ alaw_inversion;
  const unsigned segment = (bits >> 4) & 0x07;
  const unsigned step = bits & 0x0F;
  // The middle of the step: half a step (8) above its start, and for segment s > 0 the
  // segment's start (256 << (s - 1)) as well.
  const unsigned magnitude =
      segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x100 + 8) << (segment - 1);
  const int level = static_cast<int>(magnitude);
  return static_cast<std::int16_t>((bits & sign_bit) != 0 ? level : -level);
}

template <typename T, typename F>
constexpr std::array<T, 256> table_of(F entry) {
  std::array<T, 256> table{};
  for (std::size_t code = 0; code < table.size(); ++code) {
    table[code] = entry(static_cast<std::uint8_t>(code));
  }
  return table;
}

constexpr auto ulaw_levels = table_of<std::int16_t>(ulaw_level);
constexpr auto alaw_levels = table_of<std::int16_t>(alaw_level);
constexpr auto ulaw_to_alaw_codes =
    table_of<std::uint8_t>([](std::uint8_t code) { return alaw_code(ulaw_levels[code]); });
constexpr auto alaw_to_ulaw_codes =
    table_of<std::uint8_t>([](std::uint8_t code) { return ulaw_code(alaw_levels[code]); });

// The ends of both scales and the silence codes, checked while compiling.
static_assert(ulaw_levels[0x00] == -32124 && ulaw_levels[0x80] == 32124);
static_assert(ulaw_levels[0x7F] == 0 && ulaw_levels[0xFF] == 0);
static_assert(alaw_levels[0x2A] == -32256 && alaw_levels[0xAA] == 32256);
static_assert(alaw_levels[0x55] == -8 && alaw_levels[0xD5] == 8);
static_assert(ulaw_code(silence_linear) == silence_byte(g711_law::ulaw));
static_assert(alaw_code(silence_linear) == silence_byte(g711_law::alaw));

template <typename F>
void encode_each(std::span<const std::int16_t> in, std::span<std::uint8_t> out, F code_of) {
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = code_of(in[i]);
}

// Indexing rather than iterators, so that reading in[i] before writing out[i] makes the
// in-place case safe.
template <typename T>
void look_up_each(const std::array<T, 256>& table, std::span<const std::uint8_t> in,
                  std::span<T> out) {
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = table[in[i]];
}

}  // namespace

std::uint8_t encode_ulaw(std::int16_t sample) noexcept { return ulaw_code(sample); }
std::int16_t decode_ulaw(std::uint8_t code) noexcept { return ulaw_levels[code]; }
std::uint8_t encode_alaw(std::int16_t sample) noexcept { return alaw_code(sample); }
std::int16_t decode_alaw(std::uint8_t code) noexcept { return alaw_levels[code]; }
std::uint8_t ulaw_to_alaw(std::uint8_t code) noexcept { return ulaw_to_alaw_codes[code]; }
std::uint8_t alaw_to_ulaw(std::uint8_t code) noexcept { return alaw_to_ulaw_codes[code]; }

void decode(g711_law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept {
  assert(out.size() >= in.size());
  look_up_each(law == g711_law::ulaw ? ulaw_levels : alaw_levels, in, out);
}

void encode(g711_law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept {
  assert(out.size() >= in.size());
  // One loop per law, so the per-sample coder inlines instead of being called through a
  // pointer.
  if (law == g711_law::ulaw) {
    encode_each(in, out, [](std::int16_t sample) { return ulaw_code(sample); });
  } else {
    encode_each(in, out, [](std::int16_t sample) { return alaw_code(sample); });
  }
}

void transcode(g711_law from, g711_law to, std::span<const std::uint8_t> in,
               std::span<std::uint8_t> out) noexcept {
  assert(out.size() >= in.size());
  if (from == to) {
    if (in.data() != out.data()) std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  look_up_each(from == g711_law::ulaw ? ulaw_to_alaw_codes : alaw_to_ulaw_codes, in, out);
}

}  // namespace callcenterd::media
