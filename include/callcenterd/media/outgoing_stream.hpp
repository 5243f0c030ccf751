#pragma once

// The RTP stream a leg hears, as one continuous stream whatever feeds it: packets relayed
// from the other leg (whose SSRC changes on a transfer or re-INVITE), then a prompt or music
// we generate, then the other leg again. Phones and their jitter buffers want one SSRC, a
// sequence that counts up by one, and timestamps that follow real time; a jump or a reset is
// heard as a click or a gap, or dropped outright. This rewrites every header to keep that
// promise and sets the marker bit where the audio really starts anew (RFC 3550 §5.1,
// RFC 3551 §4.1). Pure: headers and time in, headers out; one owner, any strand.

#include <chrono>
#include <cstdint>
#include <optional>

#include "callcenterd/media/rtp_packet.hpp"

namespace callcenterd::media {

class outgoing_stream {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// Our SSRC for the leg, and random starting sequence and timestamp (RFC 3550 §5.1).
  outgoing_stream(std::uint32_t ssrc, std::uint16_t first_sequence, std::uint32_t first_timestamp,
                  std::uint32_t clock_rate = 8000);

  /// The header to send for `in`, relayed from another leg at `now` (payload type and
  /// marker carried over; SSRC, sequence and timestamp ours). The first packet of a new
  /// source (or after generated audio) continues our timestamps by the time that passed and
  /// carries the marker; later ones keep the source's own spacing.
  rtp_header relay(const rtp_header& in, time_point now);

  /// The header for a frame of `samples` samples we generate ourselves at `now` (prompt,
  /// music, tone, comfort silence), with payload type `payload_type`. Consecutive frames are
  /// exactly `samples` apart; the first after relayed audio continues by the time that passed
  /// and carries the marker.
  rtp_header generated(std::uint8_t payload_type, std::uint32_t samples, time_point now);

  /// The RTP timestamp a telephone-event starting at `now` carries: where the stream's
  /// audio stands then.
  [[nodiscard]] std::uint32_t event_timestamp(time_point now) const {
    return continued_timestamp(now);
  }
  /// The header of one RFC 4733 packet, sent between the audio packets: the next sequence
  /// number and `timestamp` (the event's start, constant over its packets). The audio's
  /// timeline is left as it was, so the audio after the event continues undisturbed.
  rtp_header event(std::uint8_t payload_type, bool marker, std::uint32_t timestamp);

  [[nodiscard]] std::uint32_t ssrc() const { return ssrc_; }

 private:
  // Where the next timestamp goes after a switch: the last one plus the time since it,
  // at least one sample on, so timestamps never repeat or run backwards.
  std::uint32_t continued_timestamp(time_point now) const;
  rtp_header next_header(std::uint8_t payload_type, bool marker, std::uint32_t timestamp,
                         time_point now);

  std::uint32_t ssrc_;
  std::uint16_t next_sequence_;
  std::uint32_t clock_rate_;
  std::uint32_t last_timestamp_;
  std::optional<time_point> last_sent_at_;

  enum class feed : std::uint8_t { none, relayed, generated };
  feed last_feed_ = feed::none;
  std::uint32_t relayed_ssrc_ = 0;
  std::uint32_t offset_ = 0;  // ours minus the relayed source's timestamps
  std::uint32_t last_generated_size_ = 0;
};

}  // namespace callcenterd::media
