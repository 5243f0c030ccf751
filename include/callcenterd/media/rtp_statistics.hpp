#pragma once

// Receive statistics for one RTP source as RFC 3550 Appendix A describes them: sequence
// validation (A.1), loss accounting (A.3) and interarrival jitter (A.8), turned into RTCP
// report blocks; and a call-quality estimate after the ITU-T G.107 E-model.

#include <chrono>
#include <cstdint>
#include <optional>

#include "callcenterd/media/rtcp_packet.hpp"
#include "callcenterd/media/rtp_packet.hpp"

namespace callcenterd::media {

/// What we know about the stream one SSRC sends us. Time comes in with every call, so tests
/// can drive it with made-up time points. Fixed size; nothing allocates. Not thread-safe: it
/// lives on the strand of the media stream that owns it, and every call runs there.
///
/// One object follows one source at a time. A packet with a different SSRC restarts every
/// figure for that SSRC, so the caller decides whether a new SSRC is a legitimate change (the
/// peer restarted, a re-INVITE moved the stream, the old source has been silent) and drops
/// stray packets before they get here.
class rtp_receive_statistics {
 public:
  /// Sequence numbers ahead of the highest by less than this are accepted as progress.
  static constexpr std::uint16_t max_dropout = 3000;
  /// Sequence numbers behind the highest by at most this are late or duplicate packets.
  static constexpr std::uint16_t max_misorder = 100;
  /// Sequential packets a new source must send before it counts.
  static constexpr std::uint8_t min_sequential = 2;

  /// Records an RTP packet that arrived at `arrival` on a stream whose RTP clock runs at
  /// `clock_rate` Hz (8000 for G.711). Returns true when the packet counts towards the
  /// statistics; false while a new source is on probation and for a packet that jumped far
  /// from the expected sequence (two sequential ones after such a jump restart the
  /// statistics, on the view that the source restarted). Whether to play a packet that does
  /// not count is the caller's choice. A change of `clock_rate` makes this packet the new
  /// reference for jitter, since gaps measured on two different clocks mean nothing.
  bool on_packet(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t rtp_timestamp,
                 std::chrono::steady_clock::time_point arrival, std::uint32_t clock_rate);
  /// on_packet() with the fields of a parsed header.
  bool on_packet(const rtp_header& header, std::chrono::steady_clock::time_point arrival,
                 std::uint32_t clock_rate) {
    return on_packet(header.ssrc, header.sequence, header.timestamp, arrival, clock_rate);
  }

  /// Records the NTP time of an SR the source sent, received at `arrival`, for the LSR and
  /// DLSR of the next report blocks. The caller has matched the SR's SSRC to ssrc().
  void on_sender_report(ntp_timestamp sent, std::chrono::steady_clock::time_point arrival);

  /// The report block about this source for a report sent at `now`, which also starts a new
  /// interval for fraction_lost. nullopt until a source has passed probation.
  std::optional<report_block> take_report_block(std::chrono::steady_clock::time_point now);

  /// True once a source has passed probation (and since its last restart).
  bool valid() const { return has_source_ && probation_ == 0; }
  /// The SSRC being followed; meaningless before the first packet.
  std::uint32_t ssrc() const { return ssrc_; }
  /// Times the sequence number wrapped since the statistics (re)started.
  std::uint32_t cycles() const { return cycles_; }
  /// Wrap count in the top 16 bits and the highest sequence number in the bottom 16.
  std::uint32_t extended_highest_sequence() const;
  /// Packets counted since the statistics (re)started, duplicates included.
  std::int64_t received() const { return received_; }
  /// Packets the sequence numbers say were sent since the statistics (re)started.
  std::int64_t expected() const;
  /// expected() - received(); negative when duplicates outnumber losses.
  std::int64_t cumulative_lost() const { return expected() - received_; }
  /// Interarrival jitter in RTP timestamp units of the current clock rate.
  double jitter() const { return jitter_; }
  /// Interarrival jitter in milliseconds; 0 before any clock rate is known.
  double jitter_ms() const;

 private:
  void start_source(std::uint32_t ssrc, std::uint16_t sequence);
  void restart_sequence(std::uint16_t sequence);
  bool update_sequence(std::uint16_t sequence);
  void update_jitter(std::uint32_t rtp_timestamp, std::chrono::steady_clock::time_point arrival,
                     std::uint32_t clock_rate);

  bool has_source_ = false;
  std::uint32_t ssrc_ = 0;

  // Sequence state of RFC 3550 A.1. bad_seq_ is wider than a sequence number so that its
  // "nothing pending" value matches none.
  std::uint16_t max_seq_ = 0;
  std::uint16_t base_seq_ = 0;
  std::uint32_t bad_seq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint8_t probation_ = 0;
  std::int64_t received_ = 0;
  std::int64_t expected_prior_ = 0;
  std::int64_t received_prior_ = 0;

  // Jitter state of A.8, kept as the previous packet's arrival and timestamp rather than its
  // transit time, so that neither clock needs a common origin.
  bool has_previous_ = false;
  std::chrono::steady_clock::time_point previous_arrival_{};
  std::uint32_t previous_timestamp_ = 0;
  std::uint32_t clock_rate_ = 0;
  double jitter_ = 0;

  bool has_sender_report_ = false;
  std::uint32_t last_sr_ = 0;
  std::chrono::steady_clock::time_point last_sr_arrival_{};
};

/// Estimated listening-and-conversation quality (MOS, 1..4.5) of a G.711 stream from a
/// simplified G.107 E-model: R = 93.2 - Idd - Ie,eff, clamped to 0..100, then G.107's R to
/// MOS mapping. 93.2 is R with every G.107 default (echo well controlled, so only the pure
/// delay term Idd varies). The one-way delay for Idd is round_trip_ms / 2, plus a jitter
/// buffer of 2 * jitter_ms, plus 20 ms packetisation. Ie,eff uses G.711's Ie = 0, random loss
/// (BurstR = 1) and Bpl = 4.3, the figure for no packet loss concealment: we cannot tell
/// whether the listener's side conceals, and the lower figure flags loss earlier. Set
/// `concealment` when the receiver is known to conceal (Bpl = 25.1). `loss_fraction` is
/// 0..1; inputs out of range are clamped. Any strand.
double estimate_mos(double loss_fraction, double jitter_ms, double round_trip_ms,
                    bool concealment = false);

}  // namespace callcenterd::media
