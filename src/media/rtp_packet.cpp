#include "callcenterd/media/rtp_packet.hpp"

#include <cstring>

#include "wire.hpp"

namespace callcenterd::media {
namespace {

using wire::read_u16;
using wire::read_u32;
using wire::write_u16;
using wire::write_u32;

constexpr std::uint8_t rtp_version = 2;
constexpr std::size_t csrc_size = 4;
constexpr std::size_t extension_header_size = 4;

// Minimum sizes classify() insists on: STUN's message header (RFC 5389 §6), a DTLS record
// header (RFC 6347 §4.1), and an RTCP SR or RR, which every compound packet starts with.
constexpr std::size_t stun_header_size = 20;
constexpr std::size_t dtls_record_header_size = 13;
constexpr std::size_t rtcp_min_size = 8;

}  // namespace

std::optional<rtp_header> parse_rtp(std::span<const std::uint8_t> packet) {
  if (packet.size() < rtp_fixed_header_size) return std::nullopt;
  rtp_header header;
  header.version = static_cast<std::uint8_t>(packet[0] >> 6);
  if (header.version != rtp_version) return std::nullopt;
  header.padding = (packet[0] & 0x20) != 0;
  header.extension = (packet[0] & 0x10) != 0;
  header.csrc_count = packet[0] & 0x0f;
  header.marker = (packet[1] & 0x80) != 0;
  header.payload_type = packet[1] & 0x7f;
  header.sequence = read_u16(packet, 2);
  header.timestamp = read_u32(packet, 4);
  header.ssrc = read_u32(packet, 8);

  std::size_t offset = rtp_fixed_header_size;
  if (packet.size() - offset < header.csrc_count * csrc_size) return std::nullopt;
  for (std::size_t i = 0; i < header.csrc_count; ++i, offset += csrc_size) {
    header.csrcs[i] = read_u32(packet, offset);
  }

  if (header.extension) {
    if (packet.size() - offset < extension_header_size) return std::nullopt;
    header.extension_profile = read_u16(packet, offset);
    // The length counts 32-bit words after the extension's own header, so zero is legal.
    const std::size_t size = std::size_t{read_u16(packet, offset + 2)} * 4;
    offset += extension_header_size;
    if (packet.size() - offset < size) return std::nullopt;
    header.extension_data = packet.subspan(offset, size);
    offset += size;
  }

  std::size_t end = packet.size();
  if (header.padding) {
    // The count includes its own octet, so zero cannot be right; and padding that would
    // swallow part of the headers means the packet is damaged, not merely empty.
    const std::size_t count = packet.back();
    if (count == 0 || count > end - offset) return std::nullopt;
    end -= count;
  }
  header.payload = packet.subspan(offset, end - offset);
  return header;
}

std::size_t write_rtp(const rtp_header& header, std::span<const std::uint8_t> payload,
                      std::span<std::uint8_t> out) {
  if (header.payload_type > 0x7f || out.size() < rtp_fixed_header_size ||
      out.size() - rtp_fixed_header_size < payload.size()) {
    return 0;
  }
  // Move the payload before writing the header: it may overlap either region of `out`.
  if (!payload.empty()) {
    std::memmove(out.data() + rtp_fixed_header_size, payload.data(), payload.size());
  }
  out[0] = rtp_version << 6;
  out[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0) | header.payload_type);
  write_u16(out, 2, header.sequence);
  write_u32(out, 4, header.timestamp);
  write_u32(out, 8, header.ssrc);
  return rtp_fixed_header_size + payload.size();
}

packet_kind classify(std::span<const std::uint8_t> packet) {
  if (packet.empty()) return packet_kind::unknown;
  const std::uint8_t first = packet[0];
  if (first <= 3) {
    return packet.size() >= stun_header_size ? packet_kind::stun : packet_kind::unknown;
  }
  if (first >= 20 && first <= 63) {
    return packet.size() >= dtls_record_header_size ? packet_kind::dtls : packet_kind::unknown;
  }
  if (first < 128 || first > 191 || packet.size() < 2) return packet_kind::unknown;
  // RFC 5761 keeps RTP payload types 64..95 free so that, with the marker bit, the second
  // byte of RTCP (its packet type, 192..223) never looks like RTP.
  if (packet[1] >= 192 && packet[1] <= 223) {
    return packet.size() >= rtcp_min_size ? packet_kind::rtcp : packet_kind::unknown;
  }
  return packet.size() >= rtp_fixed_header_size ? packet_kind::rtp : packet_kind::unknown;
}

}  // namespace callcenterd::media
