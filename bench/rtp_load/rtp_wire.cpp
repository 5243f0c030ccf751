#include "rtp_wire.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numbers>

namespace callcenterd::bench::rtp_load {
namespace {

constexpr std::array<std::uint8_t, 4> pattern_magic = {'r', 'l', 'd', '1'};
constexpr std::size_t pattern_filler_offset = 20;

void put16(std::uint8_t* out, std::uint16_t value) {
  out[0] = static_cast<std::uint8_t>(value >> 8);
  out[1] = static_cast<std::uint8_t>(value);
}

void put32(std::uint8_t* out, std::uint32_t value) {
  put16(out, static_cast<std::uint16_t>(value >> 16));
  put16(out + 2, static_cast<std::uint16_t>(value));
}

std::uint16_t get16(const std::uint8_t* in) {
  return static_cast<std::uint16_t>((in[0] << 8) | in[1]);
}

std::uint32_t get32(const std::uint8_t* in) {
  return (static_cast<std::uint32_t>(get16(in)) << 16) | get16(in + 2);
}

// The filler depends on the stamp, so a payload cut, shifted or swapped with another
// packet's fails the check, while computing it stays one add per byte.
std::uint8_t filler_seed(const pattern_stamp& stamp) {
  return static_cast<std::uint8_t>(stamp.stream_tag * 31U + stamp.counter * 7U);
}

// G.711 encoders after ITU-T G.711's segment tables: the exponent is the position of the
// highest set bit of the biased magnitude, the mantissa the four bits below it.
std::uint8_t encode_ulaw(int sample) {
  constexpr int bias = 0x84;
  constexpr int clip = 32635;
  const int sign = sample < 0 ? 0x80 : 0;
  int magnitude = std::min(sample < 0 ? -sample : sample, clip) + bias;
  int exponent = 7;
  while (exponent > 0 && (magnitude & (0x80 << exponent)) == 0) --exponent;
  const int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::uint8_t encode_alaw(int sample) {
  // A-law works on 13 bits and marks positive samples with the sign bit set; even bits are
  // inverted on the wire (the 0x55 mask).
  const int sign = sample >= 0 ? 0x80 : 0;
  int magnitude = (sample >= 0 ? sample : -sample - 1) >> 3;
  int code = 0;
  if (magnitude < 32) {
    code = magnitude >> 1;
  } else {
    int exponent = 1;
    while (exponent < 7 && magnitude >= (32 << exponent)) ++exponent;
    code = (exponent << 4) | ((magnitude >> exponent) & 0x0f);
  }
  return static_cast<std::uint8_t>((sign | code) ^ 0x55);
}

int decode_ulaw(std::uint8_t code) {
  const int x = static_cast<std::uint8_t>(~code);
  const int magnitude = ((((x & 0x0f) << 3) + 0x84) << ((x >> 4) & 7)) - 0x84;
  return (x & 0x80) != 0 ? -magnitude : magnitude;
}

int decode_alaw(std::uint8_t code) {
  const int x = code ^ 0x55;
  const int exponent = (x >> 4) & 7;
  const int mantissa = (x & 0x0f) << 4;
  const int magnitude = exponent == 0 ? mantissa + 8 : (mantissa + 0x108) << (exponent - 1);
  return (x & 0x80) != 0 ? magnitude : -magnitude;
}

constexpr double tone_amplitude = 8000;
// At the tone's level both laws quantise in steps of 256, so an encoding is off by 128 at
// most; a conversion between the laws can add most of a step on top.
constexpr int tone_tolerance = 600;

int tone_sample(std::size_t i) {
  const double phase = 2 * std::numbers::pi * static_cast<double>(i % 8) / 8;
  return static_cast<int>(std::lround(tone_amplitude * std::sin(phase)));
}

}  // namespace

void write_rtp_header(const rtp_fields& fields, std::span<std::uint8_t, rtp_header_size> out) {
  out[0] = 0x80;  // version 2
  out[1] = static_cast<std::uint8_t>((fields.marker ? 0x80 : 0) | (fields.payload_type & 0x7f));
  put16(&out[2], fields.sequence);
  put32(&out[4], fields.timestamp);
  put32(&out[8], fields.ssrc);
}

std::optional<rtp_fields> parse_rtp(std::span<const std::uint8_t> packet) {
  if (packet.size() < rtp_header_size || (packet[0] >> 6) != 2) return std::nullopt;
  if (looks_like_rtcp(packet)) return std::nullopt;
  rtp_fields fields;
  fields.marker = (packet[1] & 0x80) != 0;
  fields.payload_type = packet[1] & 0x7f;
  fields.sequence = get16(&packet[2]);
  fields.timestamp = get32(&packet[4]);
  fields.ssrc = get32(&packet[8]);
  std::size_t begin = rtp_header_size + 4 * static_cast<std::size_t>(packet[0] & 0x0f);
  if ((packet[0] & 0x10) != 0) {  // header extension: 4-byte header, then length words
    if (packet.size() < begin + 4) return std::nullopt;
    begin += 4 + 4 * static_cast<std::size_t>(get16(&packet[begin + 2]));
  }
  std::size_t end = packet.size();
  if ((packet[0] & 0x20) != 0) {  // padding: its length is the last byte
    const std::size_t padding = packet.back();
    if (padding == 0 || padding > end) return std::nullopt;
    end -= padding;
  }
  if (begin > end) return std::nullopt;
  fields.payload = packet.subspan(begin, end - begin);
  return fields;
}

bool looks_like_rtcp(std::span<const std::uint8_t> packet) {
  return packet.size() >= 8 && (packet[0] >> 6) == 2 && packet[1] >= 192 && packet[1] <= 223;
}

void fill_tone(std::span<std::uint8_t> out, bool alaw) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = alaw ? encode_alaw(tone_sample(i)) : encode_ulaw(tone_sample(i));
}

bool is_tone(std::span<const std::uint8_t> payload, bool alaw) {
  // The tone repeats every 8 samples; decoding through 8 expected values keeps this cheap.
  static const auto expected = [] {
    std::array<int, 8> samples{};
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = tone_sample(i);
    return samples;
  }();
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const int sample = alaw ? decode_alaw(payload[i]) : decode_ulaw(payload[i]);
    if (std::abs(sample - expected[i % 8]) > tone_tolerance) return false;
  }
  return !payload.empty();
}

void write_pattern(const pattern_stamp& stamp, std::span<std::uint8_t> out) {
  std::copy(pattern_magic.begin(), pattern_magic.end(), out.begin());
  put32(&out[4], stamp.stream_tag);
  put32(&out[8], stamp.counter);
  const auto sent = static_cast<std::uint64_t>(stamp.sent_ns);
  put32(&out[12], static_cast<std::uint32_t>(sent >> 32));
  put32(&out[16], static_cast<std::uint32_t>(sent));
  std::uint8_t value = filler_seed(stamp);
  for (std::size_t i = pattern_filler_offset; i < out.size(); ++i) out[i] = value++;
}

std::optional<pattern_stamp> read_pattern(std::span<const std::uint8_t> payload) {
  if (payload.size() < pattern_min_size) return std::nullopt;
  if (!std::equal(pattern_magic.begin(), pattern_magic.end(), payload.begin())) return std::nullopt;
  pattern_stamp stamp;
  stamp.stream_tag = get32(&payload[4]);
  stamp.counter = get32(&payload[8]);
  stamp.sent_ns = static_cast<std::int64_t>(
      (static_cast<std::uint64_t>(get32(&payload[12])) << 32) | get32(&payload[16]));
  std::uint8_t value = filler_seed(stamp);
  for (std::size_t i = pattern_filler_offset; i < payload.size(); ++i) {
    if (payload[i] != value++) return std::nullopt;
  }
  return stamp;
}

}  // namespace callcenterd::bench::rtp_load
