#include "callcenterd/media/g711.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

namespace callcenterd::media {
namespace {

// A second G.711 coder, written from the Recommendation's segment tables (where each segment
// starts, how wide its steps are, a step decoding to its middle) and searched step by step,
// so it shares no arithmetic with the bit-twiddling coder under test. Levels are in the law's
// own units: 14-bit for µ-law, 13-bit for A-law.
struct law_shape {
  std::array<int, 8> segment_start;  // lower edge of the segment's first step
  std::array<int, 8> step_width;
  int max_magnitude;  // the largest magnitude before clipping
  int unit;           // 16-bit LSBs per unit of the law
  bool ulaw;
};

// µ-law's first step is [0, 1) decoding to 0; writing its lower edge as -1 gives segment 0
// equal steps throughout, and magnitudes are never negative anyway.
constexpr law_shape ulaw_shape{
    {-1, 31, 95, 223, 479, 991, 2015, 4063}, {2, 4, 8, 16, 32, 64, 128, 256}, 8158, 4, true};
constexpr law_shape alaw_shape{
    {0, 32, 64, 128, 256, 512, 1024, 2048}, {2, 2, 4, 8, 16, 32, 64, 128}, 4095, 8, false};

// Step `index` (0..127, counted up from the smallest magnitude) with its sign, as sent on the
// wire: µ-law inverts every bit and marks negatives with a 0 sign bit, A-law inverts the even
// bits and marks negatives with a 0 sign bit too.
std::uint8_t wire_byte(const law_shape& law, int index, bool negative) {
  if (law.ulaw) return static_cast<std::uint8_t>((negative ? 0x7F : 0xFF) - index);
  return static_cast<std::uint8_t>(((negative ? 0 : 0x80) + index) ^ 0x55);
}

int lower_edge(const law_shape& law, int index) {
  return law.segment_start.at(index / 16) + (index % 16) * law.step_width.at(index / 16);
}

int width(const law_shape& law, int index) { return law.step_width.at(index / 16); }

// The middle of the step, in 16-bit terms.
int reference_level(const law_shape& law, int index) {
  return (lower_edge(law, index) + width(law, index) / 2) * law.unit;
}

struct step_ref {
  int index;
  bool negative;
};

step_ref find_step(const law_shape& law, std::uint8_t byte) {
  for (int index = 0; index < 128; ++index) {
    if (wire_byte(law, index, false) == byte) return {index, false};
    if (wire_byte(law, index, true) == byte) return {index, true};
  }
  ADD_FAILURE() << "no step for byte " << int{byte};
  return {0, false};
}

int reference_decode(const law_shape& law, std::uint8_t byte) {
  const auto step = find_step(law, byte);
  const int level = reference_level(law, step.index);
  return step.negative ? -level : level;
}

std::uint8_t reference_encode(const law_shape& law, int sample) {
  const bool negative = sample < 0;
  // A negative sample x is quantised as the magnitude -1 - x (the G.191 convention).
  const int magnitude = std::min((negative ? -1 - sample : sample) / law.unit, law.max_magnitude);
  for (int index = 0; index < 128; ++index) {
    const int low = index == 0 ? 0 : lower_edge(law, index);
    if (magnitude >= low && magnitude < lower_edge(law, index) + width(law, index)) {
      return wire_byte(law, index, negative);
    }
  }
  ADD_FAILURE() << "no step for sample " << sample;
  return 0;
}

// Half the width of the step `byte` decodes from, in 16-bit terms.
int half_step(const law_shape& law, std::uint8_t byte) {
  return width(law, find_step(law, byte).index) * law.unit / 2;
}

// Every code of a law from the most negative level to the most positive.
std::vector<std::uint8_t> codes_in_level_order(const law_shape& law) {
  std::vector<std::uint8_t> codes;
  codes.reserve(256);
  for (int index = 127; index >= 0; --index) codes.push_back(wire_byte(law, index, true));
  for (int index = 0; index < 128; ++index) codes.push_back(wire_byte(law, index, false));
  return codes;
}

constexpr int int16_min = std::numeric_limits<std::int16_t>::min();
constexpr int int16_max = std::numeric_limits<std::int16_t>::max();

TEST(g711_ulaw, decodes_every_code_as_the_reference_does) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(decode_ulaw(byte), reference_decode(ulaw_shape, byte)) << "code " << code;
  }
}

TEST(g711_ulaw, encodes_every_sample_as_the_reference_does) {
  for (int sample = int16_min; sample <= int16_max; ++sample) {
    ASSERT_EQ(encode_ulaw(static_cast<std::int16_t>(sample)), reference_encode(ulaw_shape, sample))
        << "sample " << sample;
  }
}

TEST(g711_ulaw, known_levels) {
  EXPECT_EQ(decode_ulaw(0x00), -32124);
  EXPECT_EQ(decode_ulaw(0x80), 32124);
  EXPECT_EQ(decode_ulaw(0xFF), 0);
  EXPECT_EQ(decode_ulaw(0x7F), 0);
  EXPECT_EQ(decode_ulaw(0xFE), 8);
  EXPECT_EQ(decode_ulaw(0x7E), -8);
  EXPECT_EQ(decode_ulaw(0xEF), 132);  // first step of segment 1
  EXPECT_EQ(encode_ulaw(0), 0xFF);
  EXPECT_EQ(encode_ulaw(3), 0xFF);
  EXPECT_EQ(encode_ulaw(4), 0xFE);
  EXPECT_EQ(encode_ulaw(-1), 0x7F);
  EXPECT_EQ(encode_ulaw(-4), 0x7F);
  EXPECT_EQ(encode_ulaw(-5), 0x7E);
}

TEST(g711_ulaw, round_trips_every_code_but_negative_zero) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    // 0x7F and 0xFF both mean zero; encoding zero gives the positive one.
    const std::uint8_t expected = byte == 0x7F ? 0xFF : byte;
    EXPECT_EQ(encode_ulaw(decode_ulaw(byte)), expected) << "code " << code;
  }
}

TEST(g711_ulaw, levels_rise_with_the_code_order) {
  const auto codes = codes_in_level_order(ulaw_shape);
  for (std::size_t i = 1; i < codes.size(); ++i) {
    const bool zeros = codes[i - 1] == 0x7F && codes[i] == 0xFF;
    if (zeros) {
      EXPECT_EQ(decode_ulaw(codes[i - 1]), decode_ulaw(codes[i]));
    } else {
      EXPECT_LT(decode_ulaw(codes[i - 1]), decode_ulaw(codes[i])) << "at " << i;
    }
  }
}

TEST(g711_ulaw, clips_beyond_32635) {
  EXPECT_EQ(encode_ulaw(32635), 0x80);
  EXPECT_EQ(encode_ulaw(32636), 0x80);
  EXPECT_EQ(encode_ulaw(int16_max), 0x80);
  EXPECT_EQ(encode_ulaw(-32636), 0x00);
  EXPECT_EQ(encode_ulaw(int16_min), 0x00);
  // The top step starts at 31612; just below it is the step before.
  EXPECT_EQ(encode_ulaw(31612), 0x80);
  EXPECT_EQ(encode_ulaw(31611), 0x81);
}

TEST(g711_ulaw, error_stays_within_half_a_step_below_the_clip) {
  for (int sample = -32636; sample <= 32635; ++sample) {
    const auto code = encode_ulaw(static_cast<std::int16_t>(sample));
    ASSERT_LE(std::abs(decode_ulaw(code) - sample), half_step(ulaw_shape, code))
        << "sample " << sample;
  }
}

TEST(g711_alaw, decodes_every_code_as_the_reference_does) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(decode_alaw(byte), reference_decode(alaw_shape, byte)) << "code " << code;
  }
}

TEST(g711_alaw, encodes_every_sample_as_the_reference_does) {
  for (int sample = int16_min; sample <= int16_max; ++sample) {
    ASSERT_EQ(encode_alaw(static_cast<std::int16_t>(sample)), reference_encode(alaw_shape, sample))
        << "sample " << sample;
  }
}

TEST(g711_alaw, known_levels) {
  EXPECT_EQ(decode_alaw(0xD5), 8);
  EXPECT_EQ(decode_alaw(0x55), -8);
  EXPECT_EQ(decode_alaw(0x2A), -32256);
  EXPECT_EQ(decode_alaw(0xAA), 32256);
  EXPECT_EQ(decode_alaw(0xC5), 264);  // first step of segment 1
  EXPECT_EQ(encode_alaw(0), 0xD5);
  EXPECT_EQ(encode_alaw(15), 0xD5);
  EXPECT_EQ(encode_alaw(16), 0xD4);
  EXPECT_EQ(encode_alaw(-1), 0x55);
  EXPECT_EQ(encode_alaw(-16), 0x55);
  EXPECT_EQ(encode_alaw(-17), 0x54);
}

TEST(g711_alaw, round_trips_every_code) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(encode_alaw(decode_alaw(byte)), byte) << "code " << code;
  }
}

TEST(g711_alaw, levels_rise_with_the_code_order) {
  const auto codes = codes_in_level_order(alaw_shape);
  for (std::size_t i = 1; i < codes.size(); ++i) {
    EXPECT_LT(decode_alaw(codes[i - 1]), decode_alaw(codes[i])) << "at " << i;
  }
}

TEST(g711_alaw, extremes_take_the_outermost_codes) {
  EXPECT_EQ(encode_alaw(int16_max), 0xAA);
  EXPECT_EQ(encode_alaw(int16_min), 0x2A);
  // The top step starts at 31744.
  EXPECT_EQ(encode_alaw(31744), 0xAA);
  EXPECT_EQ(encode_alaw(31743), 0xAB);
}

TEST(g711_alaw, error_stays_within_half_a_step) {
  for (int sample = int16_min; sample <= int16_max; ++sample) {
    const auto code = encode_alaw(static_cast<std::int16_t>(sample));
    ASSERT_LE(std::abs(decode_alaw(code) - sample), half_step(alaw_shape, code))
        << "sample " << sample;
  }
}

TEST(g711_silence, encodes_and_decodes_as_silence) {
  EXPECT_EQ(silence_byte(g711_law::ulaw), 0xFF);
  EXPECT_EQ(silence_byte(g711_law::alaw), 0xD5);
  EXPECT_EQ(encode_ulaw(silence_linear), silence_byte(g711_law::ulaw));
  EXPECT_EQ(encode_alaw(silence_linear), silence_byte(g711_law::alaw));
  EXPECT_EQ(decode_ulaw(silence_byte(g711_law::ulaw)), silence_linear);
  // A-law has no zero: its silence is the smallest positive level.
  EXPECT_EQ(decode_alaw(silence_byte(g711_law::alaw)), 8);
}

TEST(g711_transcode, tables_equal_decoding_then_encoding) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    EXPECT_EQ(ulaw_to_alaw(byte), encode_alaw(decode_ulaw(byte))) << "code " << code;
    EXPECT_EQ(alaw_to_ulaw(byte), encode_ulaw(decode_alaw(byte))) << "code " << code;
  }
}

TEST(g711_transcode, ulaw_through_alaw_and_back_is_within_one_step) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    const int original = decode_ulaw(byte);
    const int back = decode_ulaw(alaw_to_ulaw(ulaw_to_alaw(byte)));
    EXPECT_LE(std::abs(back - original), 2 * half_step(ulaw_shape, byte)) << "code " << code;
    EXPECT_EQ(back < 0, original < 0) << "code " << code;
  }
}

// Around 8000 µ-law's steps are twice as wide as A-law's, so the drift there is bounded by the
// µ-law step the level passed through rather than by the A-law one.
TEST(g711_transcode, alaw_through_ulaw_and_back_is_within_the_coarser_step) {
  for (int code = 0; code < 256; ++code) {
    const auto byte = static_cast<std::uint8_t>(code);
    const auto via = alaw_to_ulaw(byte);
    const int original = decode_alaw(byte);
    const int back = decode_alaw(ulaw_to_alaw(via));
    const int step = 2 * std::max(half_step(alaw_shape, byte), half_step(ulaw_shape, via));
    EXPECT_LE(std::abs(back - original), step) << "code " << code;
    EXPECT_EQ(back < 0, original < 0) << "code " << code;
  }
}

TEST(g711_transcode, silence_and_extremes) {
  EXPECT_EQ(ulaw_to_alaw(0xFF), 0xD5);
  EXPECT_EQ(ulaw_to_alaw(0x7F), 0xD5);
  // A-law silence is +8, which µ-law can carry exactly.
  EXPECT_EQ(alaw_to_ulaw(0xD5), 0xFE);
  EXPECT_EQ(alaw_to_ulaw(0x55), 0x7E);
  EXPECT_EQ(ulaw_to_alaw(0x80), 0xAA);  // +32124 lies in A-law's top step
  EXPECT_EQ(ulaw_to_alaw(0x00), 0x2A);
  EXPECT_EQ(alaw_to_ulaw(0xAA), 0x80);  // +32256 clips to µ-law's top
  EXPECT_EQ(alaw_to_ulaw(0x2A), 0x00);
}

std::vector<std::uint8_t> all_codes() {
  std::vector<std::uint8_t> codes;
  codes.reserve(256);
  for (int code = 0; code < 256; ++code) codes.push_back(static_cast<std::uint8_t>(code));
  return codes;
}

TEST(g711_span, decode_matches_per_sample_and_leaves_the_tail) {
  const auto codes = all_codes();
  for (const auto law : {g711_law::ulaw, g711_law::alaw}) {
    std::vector<std::int16_t> out(codes.size() + 2, 1234);
    decode(law, codes, out);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const auto expected = law == g711_law::ulaw ? decode_ulaw(codes[i]) : decode_alaw(codes[i]);
      ASSERT_EQ(out[i], expected) << "code " << i;
    }
    EXPECT_EQ(out[codes.size()], 1234);
    EXPECT_EQ(out[codes.size() + 1], 1234);
  }
}

TEST(g711_span, encode_matches_per_sample_and_leaves_the_tail) {
  std::vector<std::int16_t> samples;
  for (int sample = int16_min; sample <= int16_max; sample += 7) {
    samples.push_back(static_cast<std::int16_t>(sample));
  }
  samples.push_back(int16_max);
  for (const auto law : {g711_law::ulaw, g711_law::alaw}) {
    std::vector<std::uint8_t> out(samples.size() + 1, 0x42);
    encode(law, samples, out);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto expected =
          law == g711_law::ulaw ? encode_ulaw(samples[i]) : encode_alaw(samples[i]);
      ASSERT_EQ(out[i], expected) << "sample " << samples[i];
    }
    EXPECT_EQ(out.back(), 0x42);
  }
}

TEST(g711_span, transcode_matches_per_sample_in_every_direction) {
  const auto codes = all_codes();
  std::vector<std::uint8_t> out(codes.size());
  transcode(g711_law::ulaw, g711_law::alaw, codes, out);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(out[i], ulaw_to_alaw(codes[i]));
  transcode(g711_law::alaw, g711_law::ulaw, codes, out);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(out[i], alaw_to_ulaw(codes[i]));
  for (const auto law : {g711_law::ulaw, g711_law::alaw}) {
    std::vector<std::uint8_t> copy(codes.size());
    transcode(law, law, codes, copy);
    EXPECT_EQ(copy, codes);
  }
}

TEST(g711_span, transcode_in_place) {
  const auto codes = all_codes();
  auto buffer = codes;
  transcode(g711_law::ulaw, g711_law::alaw, buffer, buffer);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(buffer[i], ulaw_to_alaw(codes[i]));
  auto back = buffer;
  transcode(g711_law::alaw, g711_law::ulaw, back, back);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(back[i], alaw_to_ulaw(buffer[i]));
  auto same = codes;
  transcode(g711_law::alaw, g711_law::alaw, same, same);
  EXPECT_EQ(same, codes);
}

TEST(g711_span, empty_input_writes_nothing) {
  std::array<std::uint8_t, 2> bytes{0x11, 0x22};
  std::array<std::int16_t, 2> samples{5, 6};
  decode(g711_law::ulaw, {}, samples);
  encode(g711_law::alaw, {}, bytes);
  transcode(g711_law::ulaw, g711_law::alaw, {}, bytes);
  EXPECT_EQ(samples, (std::array<std::int16_t, 2>{5, 6}));
  EXPECT_EQ(bytes, (std::array<std::uint8_t, 2>{0x11, 0x22}));
}

TEST(g711_payload, static_types_map_both_ways) {
  static_assert(payload_type(g711_law::ulaw) == 0);
  static_assert(payload_type(g711_law::alaw) == 8);
  EXPECT_EQ(law_of_payload_type(0), g711_law::ulaw);
  EXPECT_EQ(law_of_payload_type(8), g711_law::alaw);
  for (const auto law : {g711_law::ulaw, g711_law::alaw}) {
    EXPECT_EQ(law_of_payload_type(payload_type(law)), law);
  }
  for (const int pt : {-1, 1, 3, 7, 9, 18, 96, 127, 256, 264}) {
    EXPECT_FALSE(law_of_payload_type(pt)) << "pt " << pt;
  }
}

}  // namespace
}  // namespace callcenterd::media
