#include "callcenterd/media/rtcp_packet.hpp"

#include <algorithm>

#include "wire.hpp"

namespace callcenterd::media {
namespace {

using wire::read_u16;
using wire::read_u24;
using wire::read_u32;

constexpr std::uint8_t rtcp_version = 2;
constexpr std::uint8_t type_sr = 200;
constexpr std::uint8_t type_rr = 201;
constexpr std::uint8_t type_sdes = 202;
constexpr std::uint8_t type_bye = 203;
constexpr std::uint8_t sdes_end = 0;
constexpr std::uint8_t sdes_cname = 1;

constexpr std::size_t header_size = 4;
constexpr std::size_t ssrc_size = 4;
constexpr std::size_t sender_info_size = 20;
constexpr std::size_t block_size = 24;
constexpr std::size_t bye_size = header_size + ssrc_size;

// Seconds from the NTP epoch (1900-01-01) to the Unix epoch that system_clock counts from.
constexpr std::uint64_t ntp_unix_offset = 2'208'988'800;

constexpr std::int32_t max_cumulative_lost = 0x7fffff;
constexpr std::int32_t min_cumulative_lost = -0x800000;

// Appends big-endian fields; the caller has checked the total size beforehand.
class field_writer {
 public:
  explicit field_writer(std::span<std::uint8_t> out) : out_(out) {}

  void u8(std::uint8_t value) { out_[at_++] = value; }
  void u16(std::uint16_t value) {
    u8(static_cast<std::uint8_t>(value >> 8));
    u8(static_cast<std::uint8_t>(value));
  }
  void u24(std::uint32_t value) {
    u8(static_cast<std::uint8_t>(value >> 16));
    u16(static_cast<std::uint16_t>(value));
  }
  void u32(std::uint32_t value) {
    u16(static_cast<std::uint16_t>(value >> 16));
    u16(static_cast<std::uint16_t>(value));
  }
  void zeros(std::size_t count) {
    std::fill_n(out_.begin() + static_cast<std::ptrdiff_t>(at_), count, std::uint8_t{0});
    at_ += count;
  }
  // `size` is the whole packet in octets, a multiple of four; the length field counts words
  // minus one so that an empty packet is representable.
  void header(std::size_t count, std::uint8_t type, std::size_t size) {
    u8(static_cast<std::uint8_t>((rtcp_version << 6) | count));
    u8(type);
    u16(static_cast<std::uint16_t>(size / 4 - 1));
  }
  std::size_t written() const { return at_; }

 private:
  std::span<std::uint8_t> out_;
  std::size_t at_ = 0;
};

std::size_t report_size(const rtcp_report& report) {
  return header_size + ssrc_size + (report.sender ? sender_info_size : 0) +
         block_size * report.blocks.size();
}

// One chunk: SSRC, the CNAME item, and at least one null octet ending the item list, padded
// to a 32-bit boundary.
std::size_t sdes_size(std::string_view cname) {
  const std::size_t items = 2 + cname.size() + 1;
  return header_size + ssrc_size + (items + 3) / 4 * 4;
}

std::uint32_t encode_cumulative_lost(std::int32_t lost) {
  const auto clamped = std::clamp(lost, min_cumulative_lost, max_cumulative_lost);
  return static_cast<std::uint32_t>(clamped) & 0xffffff;
}

std::int32_t decode_cumulative_lost(std::uint32_t wire) {
  // Sign-extend the 24-bit two's complement value.
  return (wire & 0x800000) != 0 ? static_cast<std::int32_t>(wire) - 0x1000000
                                : static_cast<std::int32_t>(wire);
}

void write_block(field_writer& w, const report_block& block) {
  w.u32(block.ssrc);
  w.u8(block.fraction_lost);
  w.u24(encode_cumulative_lost(block.cumulative_lost));
  w.u32(block.extended_highest_sequence);
  w.u32(block.jitter);
  w.u32(block.last_sr);
  w.u32(block.delay_since_last_sr);
}

report_block read_block(std::span<const std::uint8_t> body, std::size_t at) {
  report_block block;
  block.ssrc = read_u32(body, at);
  block.fraction_lost = body[at + 4];
  block.cumulative_lost = decode_cumulative_lost(read_u24(body, at + 5));
  block.extended_highest_sequence = read_u32(body, at + 8);
  block.jitter = read_u32(body, at + 12);
  block.last_sr = read_u32(body, at + 16);
  block.delay_since_last_sr = read_u32(body, at + 20);
  return block;
}

// Reads SR and RR bodies (everything after the common header). Only the opening packet names
// the reporter; later RRs carry the blocks that did not fit the first one.
bool read_report(bool is_sr, std::size_t count, std::span<const std::uint8_t> body, bool opening,
                 rtcp_compound& out) {
  const std::size_t fixed = ssrc_size + (is_sr ? sender_info_size : 0);
  if (body.size() < fixed + count * block_size) return false;
  if (opening) {
    out.sender_ssrc = read_u32(body, 0);
    if (is_sr) {
      out.sender = sender_info{{read_u32(body, 4), read_u32(body, 8)},
                               read_u32(body, 12),
                               read_u32(body, 16),
                               read_u32(body, 20)};
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (out.block_count == out.blocks.size()) {
      out.blocks_truncated = true;
      break;
    }
    out.blocks[out.block_count++] = read_block(body, fixed + i * block_size);
  }
  return true;
}

// Walks `count` SDES chunks; each must end its item list with a null octet inside the packet.
bool read_sdes(std::size_t count, std::span<const std::uint8_t> body, rtcp_compound& out) {
  std::size_t at = 0;
  for (std::size_t chunk = 0; chunk < count; ++chunk) {
    if (body.size() - at < ssrc_size) return false;
    const std::uint32_t ssrc = read_u32(body, at);
    at += ssrc_size;
    while (true) {
      if (at >= body.size()) return false;
      const std::uint8_t type = body[at];
      if (type == sdes_end) break;
      if (body.size() - at < 2 || body.size() - at - 2 < body[at + 1]) return false;
      const std::size_t length = body[at + 1];
      if (type == sdes_cname && !out.has_cname) {
        out.has_cname = true;
        out.cname_ssrc = ssrc;
        out.cname_size = length;
        std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(at + 2), length,
                    out.cname_bytes.begin());
      }
      at += 2 + length;
    }
    // The null octet and whatever follows it up to the next 32-bit boundary; the body starts
    // on a boundary, so body offsets align like packet offsets.
    at = (at + 1 + 3) / 4 * 4;
    if (at > body.size()) return false;
  }
  return true;
}

bool read_packet(std::uint8_t type, std::size_t count, std::span<const std::uint8_t> body,
                 bool opening, rtcp_compound& out) {
  switch (type) {
    case type_sr:
    case type_rr:
      return read_report(type == type_sr, count, body, opening, out);
    case type_sdes:
      return read_sdes(count, body, out);
    case type_bye:
      // SSRC/CSRC list, then an optional reason we have no use for.
      if (body.size() < count * ssrc_size) return false;
      out.bye = true;
      return true;
    default:
      return true;
  }
}

}  // namespace

ntp_timestamp to_ntp_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto since_epoch = t.time_since_epoch();
  const auto whole = floor<seconds>(since_epoch);
  const auto rest = duration_cast<nanoseconds>(since_epoch - whole);  // within [0, 1 s)
  ntp_timestamp ntp;
  // Truncating to 32 bits moves 2036 and later into NTP era 1, as RFC 5905 intends.
  ntp.seconds =
      static_cast<std::uint32_t>(static_cast<std::uint64_t>(whole.count()) + ntp_unix_offset);
  ntp.fraction =
      static_cast<std::uint32_t>((static_cast<std::uint64_t>(rest.count()) << 32) / 1'000'000'000);
  return ntp;
}

std::uint32_t ntp_middle_32(ntp_timestamp t) { return (t.seconds << 16) | (t.fraction >> 16); }

std::optional<std::chrono::microseconds> round_trip_time(const report_block& block,
                                                         ntp_timestamp arrival) {
  if (block.last_sr == 0) return std::nullopt;
  // Modular subtraction keeps this right across the 16-bit seconds wrap of the compact form.
  const std::uint32_t since_sr = ntp_middle_32(arrival) - block.last_sr;
  if (since_sr >= 0x8000'0000U || block.delay_since_last_sr > since_sr) return std::nullopt;
  const std::uint64_t units = since_sr - block.delay_since_last_sr;
  return std::chrono::microseconds(static_cast<std::int64_t>(units * 1'000'000 / 65536));
}

std::size_t rtcp_compound_size(const rtcp_report& report) {
  if (report.blocks.size() > rtcp_max_report_blocks || report.cname.empty() ||
      report.cname.size() > rtcp_max_cname_size) {
    return 0;
  }
  return report_size(report) + sdes_size(report.cname) + (report.bye ? bye_size : 0);
}

std::size_t write_rtcp_compound(const rtcp_report& report, std::span<std::uint8_t> out) {
  const std::size_t total = rtcp_compound_size(report);
  if (total == 0 || out.size() < total) return 0;
  field_writer w(out);

  w.header(report.blocks.size(), report.sender ? type_sr : type_rr, report_size(report));
  w.u32(report.ssrc);
  if (report.sender) {
    w.u32(report.sender->ntp.seconds);
    w.u32(report.sender->ntp.fraction);
    w.u32(report.sender->rtp_timestamp);
    w.u32(report.sender->packet_count);
    w.u32(report.sender->octet_count);
  }
  for (const auto& block : report.blocks) write_block(w, block);

  const std::size_t sdes = sdes_size(report.cname);
  w.header(1, type_sdes, sdes);
  w.u32(report.ssrc);
  w.u8(sdes_cname);
  w.u8(static_cast<std::uint8_t>(report.cname.size()));
  for (const char c : report.cname) w.u8(static_cast<std::uint8_t>(c));
  w.zeros(sdes - header_size - ssrc_size - 2 - report.cname.size());

  if (report.bye) {
    w.header(1, type_bye, bye_size);
    w.u32(report.ssrc);
  }
  return w.written();
}

std::optional<rtcp_compound> parse_rtcp_compound(std::span<const std::uint8_t> packet) {
  rtcp_compound out;
  std::size_t at = 0;
  bool opening = true;
  while (at < packet.size()) {
    if (packet.size() - at < header_size) return std::nullopt;
    const std::uint8_t first = packet[at];
    const bool padded = (first & 0x20) != 0;
    const std::size_t count = first & 0x1f;
    const std::uint8_t type = packet[at + 1];
    const std::size_t size = (std::size_t{read_u16(packet, at + 2)} + 1) * 4;
    if ((first >> 6) != rtcp_version || size > packet.size() - at) return std::nullopt;
    if (opening && (padded || (type != type_sr && type != type_rr))) return std::nullopt;
    const bool last = size == packet.size() - at;
    if (padded && !last) return std::nullopt;

    auto body = packet.subspan(at + header_size, size - header_size);
    if (padded) {
      const std::size_t padding = body.empty() ? 0 : body.back();
      if (padding == 0 || padding > body.size()) return std::nullopt;
      body = body.first(body.size() - padding);
    }
    if (!read_packet(type, count, body, opening, out)) return std::nullopt;
    opening = false;
    at += size;
  }
  if (opening) return std::nullopt;  // an empty datagram
  return out;
}

}  // namespace callcenterd::media
