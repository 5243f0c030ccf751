#pragma once

// RTP data packets (RFC 3550 §5.1) and the first-byte demultiplexing of everything that may
// share a media port (RFC 7983, RFC 5761). Pure functions on caller-owned bytes: nothing here
// allocates, throws or keeps state, so any strand may call them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace callcenterd::media {

/// Size of the fixed RTP header, before any CSRC list or header extension.
inline constexpr std::size_t rtp_fixed_header_size = 12;
/// The 4-bit CC field allows at most this many contributing sources.
inline constexpr std::size_t rtp_max_csrcs = 15;

/// One RTP packet as parse_rtp() read it. The spans point into the bytes that were parsed and
/// stay valid only as long as those bytes do.
struct rtp_header {
  std::uint8_t version = 2;
  bool padding = false;    ///< P bit; the padding is already cut from `payload`
  bool extension = false;  ///< X bit; the extension is in extension_profile/extension_data
  std::uint8_t csrc_count = 0;
  bool marker = false;
  std::uint8_t payload_type = 0;  ///< 0..127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::array<std::uint32_t, rtp_max_csrcs> csrcs{};  ///< the first csrc_count are set
  std::uint16_t extension_profile = 0;  ///< the 16 "defined by profile" bits of the extension
  std::span<const std::uint8_t> extension_data;  ///< extension words after their 4-byte header
  std::span<const std::uint8_t> payload;         ///< between the headers and any padding
};

/// Parses an RTP packet. Refuses (nullopt) a version other than 2, a packet too short for its
/// CSRC list or header extension, and a padding count of zero or one that reaches into the
/// headers. Does not look at the payload type: on a port shared with RTCP, call classify()
/// first. Never reads outside `packet`; any strand.
std::optional<rtp_header> parse_rtp(std::span<const std::uint8_t> packet);

/// Writes a 12-byte RTP header from `header` (version 2, marker, payload type, sequence,
/// timestamp and SSRC; never padding, CSRCs or an extension, whatever `header` says) and then
/// `payload` into `out`. `payload` may already sit anywhere inside `out`, typically at
/// rtp_fixed_header_size where an encoder wrote it. Returns the bytes written, or 0 when `out`
/// is too small or the payload type is above 127. Any strand.
std::size_t write_rtp(const rtp_header& header, std::span<const std::uint8_t> payload,
                      std::span<std::uint8_t> out);

/// What arrived on a media port.
enum class packet_kind : std::uint8_t { rtp, rtcp, stun, dtls, unknown };

/// Sorts a datagram by its first byte as RFC 7983 §7 lays out (0..3 STUN, 20..63 DTLS,
/// 128..191 RTP or RTCP) and, for RTP versus RTCP, by the second byte as RFC 5761 §4 does
/// (192..223 is RTCP). ZRTP, TURN channel data, other versions and datagrams shorter than the
/// fixed header of their kind (20 bytes STUN, 13 DTLS, 12 RTP, 8 RTCP) are `unknown`. Looks at
/// two bytes at most; any strand.
packet_kind classify(std::span<const std::uint8_t> packet);

}  // namespace callcenterd::media
