#pragma once

// RTP bytes as rtp_load writes and reads them: the fixed header (fields byte by byte, no
// struct overlays), a 1 kHz G.711 tone, and the checkable `pattern` payload. Pure functions on
// caller-owned bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callcenterd::bench::rtp_load {

inline constexpr std::size_t rtp_header_size = 12;

struct rtp_fields {
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::span<const std::uint8_t> payload;  // set by parse_rtp() only
};

// Writes the 12-byte header (version 2, no padding, extension or CSRCs) at the start of `out`.
void write_rtp_header(const rtp_fields& fields, std::span<std::uint8_t, rtp_header_size> out);

// The header of an RTP packet, or nullopt for anything else: too short, not version 2, RTCP
// multiplexed on the port (RFC 5761 payload types 72..76 with the marker), or a CSRC list,
// extension or padding that does not fit.
std::optional<rtp_fields> parse_rtp(std::span<const std::uint8_t> packet);

// True when the datagram looks like RTCP (version 2, packet type 192..223).
bool looks_like_rtcp(std::span<const std::uint8_t> packet);

// Fills `out` with a 1 kHz sine at about -12 dBFS, 8 kHz, in PCMU (`alaw` false) or PCMA. The
// period is 8 samples, so every packet of a whole number of milliseconds is the same.
void fill_tone(std::span<std::uint8_t> out, bool alaw);
// True when `payload` decodes to that tone within the error of two G.711 quantisations, so a
// relay that converted between the laws passes while anything else fails.
bool is_tone(std::span<const std::uint8_t> payload, bool alaw);

// What a `pattern` payload carries besides the filler the sink checks.
struct pattern_stamp {
  std::uint32_t stream_tag = 0;  // the sending stream's number within its rtp_load
  std::uint32_t counter = 0;     // packets that stream sent before this one
  std::int64_t sent_ns = 0;      // CLOCK_REALTIME when the packet was built
};
inline constexpr std::size_t pattern_min_size = 24;

// Writes `stamp` and a filler derived from it into `out` (at least pattern_min_size bytes).
void write_pattern(const pattern_stamp& stamp, std::span<std::uint8_t> out);
// The stamp of an intact pattern payload; nullopt when the magic or any filler byte is wrong
// or the payload is too short.
std::optional<pattern_stamp> read_pattern(std::span<const std::uint8_t> payload);

}  // namespace callcenterd::bench::rtp_load
