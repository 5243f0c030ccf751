#pragma once

// RTCP compound packets (RFC 3550 §6): a writer for what a media stream sends (SR or RR, SDES
// CNAME, optionally BYE) and a validating reader for what it receives, plus the NTP time
// arithmetic behind LSR, DLSR and round-trip time. Pure functions on caller-owned bytes:
// nothing here allocates, throws or keeps state, so any strand may call them.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace callcenterd::media {

/// The 5-bit report count allows at most this many report blocks in one SR or RR.
inline constexpr std::size_t rtcp_max_report_blocks = 31;
/// An SDES item's length is one octet.
inline constexpr std::size_t rtcp_max_cname_size = 255;

/// A 64-bit NTP timestamp (RFC 5905): seconds since 1900 (wrapping into era 1 in 2036) and
/// the fraction of a second in units of 2^-32 s.
struct ntp_timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;

  friend bool operator==(const ntp_timestamp&, const ntp_timestamp&) = default;
};

/// The wall-clock time `t` as an NTP timestamp. Any strand.
ntp_timestamp to_ntp_timestamp(std::chrono::system_clock::time_point t);

/// The middle 32 bits of `t` (16.16 fixed point seconds): the form of LSR, and of the arrival
/// time a round-trip calculation needs. Any strand.
std::uint32_t ntp_middle_32(ntp_timestamp t);

/// The sender information of an SR (RFC 3550 §6.4.1).
struct sender_info {
  ntp_timestamp ntp;
  std::uint32_t rtp_timestamp = 0;  ///< the same instant as `ntp`, on the RTP clock
  std::uint32_t packet_count = 0;   ///< RTP packets sent since the stream started
  std::uint32_t octet_count = 0;    ///< RTP payload octets sent since the stream started

  friend bool operator==(const sender_info&, const sender_info&) = default;
};

/// One reception report block (RFC 3550 §6.4.1): how well `ssrc` reaches the reporter.
struct report_block {
  std::uint32_t ssrc = 0;
  std::uint8_t fraction_lost = 0;  ///< lost/expected since the previous report, times 256
  /// Expected minus received since the start; negative with duplicates. 24 bits on the wire:
  /// the writer clamps to -8388608..8388607.
  std::int32_t cumulative_lost = 0;
  std::uint32_t extended_highest_sequence = 0;  ///< sequence wraps in the top 16 bits
  std::uint32_t jitter = 0;                     ///< interarrival jitter in RTP timestamp units
  std::uint32_t last_sr = 0;                    ///< middle 32 bits of the last SR's NTP time, or 0
  std::uint32_t delay_since_last_sr = 0;        ///< units of 1/65536 s; 0 without an SR

  friend bool operator==(const report_block&, const report_block&) = default;
};

/// Round-trip time from a report block about one of our streams that arrived at `arrival`
/// (RFC 3550 §6.4.1: A - LSR - DLSR). nullopt when the peer has had no SR from us (LSR 0) or
/// the figures cannot be right (the peer claims to have held our SR longer than it has been
/// away, or for more than half the 16.16 range). Any strand.
std::optional<std::chrono::microseconds> round_trip_time(const report_block& block,
                                                         ntp_timestamp arrival);

/// What write_rtcp_compound() sends: an SR when `sender` is set, otherwise an RR, carrying
/// `blocks`; an SDES packet with `cname`; and a BYE last when `bye` is set.
struct rtcp_report {
  std::uint32_t ssrc = 0;
  std::optional<sender_info> sender;
  std::span<const report_block> blocks;  ///< at most rtcp_max_report_blocks
  std::string_view cname;                ///< 1..rtcp_max_cname_size octets
  bool bye = false;
};

/// The size of the compound packet write_rtcp_compound() would write, or 0 when `report`
/// cannot be sent (too many blocks, empty or overlong CNAME). Any strand.
std::size_t rtcp_compound_size(const rtcp_report& report);

/// Writes `report` into `out` as one compound packet without padding. Returns its size, or 0
/// (with `out` possibly half written) when `report` cannot be sent or `out` is too small.
/// Any strand.
std::size_t write_rtcp_compound(const rtcp_report& report, std::span<std::uint8_t> out);

/// What parse_rtcp_compound() found, in fixed storage so that reading a packet allocates
/// nothing. Owns its data: nothing points back into the packet.
struct rtcp_compound {
  std::uint32_t sender_ssrc = 0;      ///< SSRC of the SR or RR that opens the compound
  std::optional<sender_info> sender;  ///< set when that packet is an SR
  /// Report blocks of every SR and RR in the compound, in order, up to the capacity.
  std::array<report_block, rtcp_max_report_blocks> blocks{};
  std::size_t block_count = 0;
  bool blocks_truncated = false;  ///< more blocks arrived than `blocks` holds
  bool has_cname = false;         ///< an SDES CNAME item was present
  std::uint32_t cname_ssrc = 0;   ///< the chunk the first CNAME came from
  std::array<char, rtcp_max_cname_size> cname_bytes{};
  std::size_t cname_size = 0;
  bool bye = false;  ///< a BYE packet was present

  /// The report blocks that were read.
  std::span<const report_block> report_blocks() const { return {blocks.data(), block_count}; }
  /// The first CNAME, empty when there was none.
  std::string_view cname() const { return {cname_bytes.data(), cname_size}; }
};

/// Reads a compound RTCP packet after the checks of RFC 3550 Appendix A.2: every packet is
/// version 2; the first is an SR or RR and unpadded; only the last may be padded, by a count
/// that fits; the length fields add up to exactly the datagram. SR, RR, SDES and BYE bodies
/// must fit their packets; other packet types (APP, feedback, XR) are skipped. nullopt for
/// anything else, reduced-size RTCP (RFC 5506) included. Any strand.
std::optional<rtcp_compound> parse_rtcp_compound(std::span<const std::uint8_t> packet);

}  // namespace callcenterd::media
