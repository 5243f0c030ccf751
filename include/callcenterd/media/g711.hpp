#pragma once

// G.711 companding (ITU-T G.711): µ-law (PCMU) and A-law (PCMA) to and from 16-bit linear
// samples, and straight from one law to the other. Pure functions on plain values: no state,
// no allocation, no exceptions, so they are callable from any strand.

#include <cstdint>
#include <optional>
#include <span>

namespace callcenterd::media {

/// The two G.711 companding laws.
enum class g711_law : std::uint8_t { ulaw, alaw };

/// The RFC 3551 static RTP payload type of `law`: 0 (PCMU) or 8 (PCMA). Any strand.
constexpr std::uint8_t payload_type(g711_law law) noexcept { return law == g711_law::ulaw ? 0 : 8; }

/// The law of static payload type `pt`: 0 is µ-law, 8 is A-law, anything else nullopt
/// (a dynamic payload type names its codec through a=rtpmap instead). Any strand.
constexpr std::optional<g711_law> law_of_payload_type(int pt) noexcept {
  if (pt == 0) return g711_law::ulaw;
  if (pt == 8) return g711_law::alaw;
  return std::nullopt;
}

/// The linear level of silence; encoding it gives silence_byte() in either law.
inline constexpr std::int16_t silence_linear = 0;

/// The code to send for silence: 0xFF in µ-law (its positive zero) and 0xD5 in A-law, which
/// has no code for zero and decodes this, its smallest positive level, to +8. Any strand.
constexpr std::uint8_t silence_byte(g711_law law) noexcept {
  return law == g711_law::ulaw ? 0xFF : 0xD5;
}

/// Encodes one full-scale 16-bit sample as µ-law. The law sees the top 14 bits; magnitudes
/// above 32635 clip to the largest code. A negative sample x is quantised as the magnitude
/// -1 - x, so the quantiser is symmetric and -32768 needs no special case (the convention of
/// the ITU-T G.191 reference coder). Any strand.
std::uint8_t encode_ulaw(std::int16_t sample) noexcept;
/// Decodes a µ-law code to its G.711 output level (the middle of its step), in 16-bit terms:
/// 0x00 is -32124, 0x80 is +32124, and both 0x7F and 0xFF are 0. Table lookup. Any strand.
std::int16_t decode_ulaw(std::uint8_t code) noexcept;

/// Encodes one 16-bit sample as A-law (top 13 bits, even bits inverted on the wire). The whole
/// int16 range fits the law, so nothing clips; negatives are mirrored as in encode_ulaw().
/// Any strand.
std::uint8_t encode_alaw(std::int16_t sample) noexcept;
/// Decodes an A-law code to its G.711 output level (the middle of its step), in 16-bit terms:
/// 0xD5 is +8, 0x55 is -8, 0xAA is +32256 and 0x2A is -32256. Table lookup. Any strand.
std::int16_t decode_alaw(std::uint8_t code) noexcept;

/// Converts a µ-law code to A-law with one table lookup. The result is exactly
/// encode_alaw(decode_ulaw(code)), so relaying between a PCMU and a PCMA leg gives the same
/// bytes as decoding and re-encoding would. Any strand.
std::uint8_t ulaw_to_alaw(std::uint8_t code) noexcept;
/// Converts an A-law code to µ-law; exactly encode_ulaw(decode_alaw(code)). Any strand.
std::uint8_t alaw_to_ulaw(std::uint8_t code) noexcept;

/// Decodes in.size() codes of `law` into the start of `out`, which must be at least as long
/// (asserted); the rest of `out` is left alone. Any strand.
void decode(g711_law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out) noexcept;

/// Encodes in.size() samples as `law` into the start of `out`, which must be at least as long
/// (asserted); the rest of `out` is left alone. Any strand.
void encode(g711_law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out) noexcept;

/// Converts in.size() codes from one law to the other (or copies them when the laws match)
/// into the start of `out`, which must be at least as long (asserted). `in` and `out` may be
/// the same buffer, for converting a payload in place; otherwise they must not overlap.
/// Any strand.
void transcode(g711_law from, g711_law to, std::span<const std::uint8_t> in,
               std::span<std::uint8_t> out) noexcept;

}  // namespace callcenterd::media
