#pragma once

// DTMF carried as RTP telephone-events (RFC 4733): the 4-byte payload, a receiver that turns a
// stream of such payloads into one report per key press, and a sender that produces the
// payloads for one key press. No I/O and no clock: the RTP layer hands in timestamps and
// payloads, and asks the sender for the next payload on its own packet timer.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "callcenterd/media/dtmf.hpp"

namespace callcenterd::media {

/// Bytes in one event block of a telephone-event payload.
inline constexpr std::size_t telephone_event_size = 4;

/// The largest duration one event block can carry. At 8000 Hz that is about 8.2 s; longer
/// events are sent as several segments (RFC 4733 §2.5.1.3).
inline constexpr std::uint16_t telephone_event_max_duration = 0xFFFF;

/// One event block (RFC 4733 §2.3): `event(8) | E(1) R(1) volume(6) | duration(16)`. The
/// reserved R bit is dropped when reading and written as zero.
struct telephone_event {
  std::uint8_t event = 0;      ///< event code; 0..15 are the DTMF keys
  bool end = false;            ///< E: this block reports the end of the event
  std::uint8_t volume = 0;     ///< power of the tone in -dBm0, 0..63
  std::uint16_t duration = 0;  ///< since the event's RTP timestamp, in RTP timestamp units

  friend bool operator==(const telephone_event&, const telephone_event&) = default;
};

/// Reads the first event block of a telephone-event payload. The payload must be one or more
/// whole 4-byte blocks (RTP padding already removed); nullopt otherwise. Never reads outside
/// `payload`. Any strand.
std::optional<telephone_event> parse_telephone_event(std::span<const std::uint8_t> payload);

/// Writes `event` as one event block; a volume above 63 is written as 63. Any strand.
void write_telephone_event(const telephone_event& event,
                           std::span<std::uint8_t, telephone_event_size> out);

/// What a telephone_event_receiver reports. Called on the strand that feeds the receiver.
class telephone_event_listener {
 public:
  virtual ~telephone_event_listener() = default;
  /// A key press not reported before, on the first packet of it that arrives.
  /// `rtp_timestamp` is the start of the event and identifies it.
  virtual void on_key_pressed(dtmf_key key, std::uint32_t rtp_timestamp) = 0;
  /// The end of a press reported by on_key_pressed() with the same `rtp_timestamp`, once per
  /// press: on its first end packet, or, when all end packets were lost, as soon as the next
  /// press starts. `duration` in RTP timestamp units, summed over all segments of a long
  /// press; the longest seen when the end was inferred.
  virtual void on_key_released(dtmf_key /*key*/, std::uint32_t /*rtp_timestamp*/,
                               std::uint32_t /*duration*/) {}
};

/// Turns the telephone-event packets of one RTP stream (one SSRC) into one on_key_pressed()
/// per key press. An event is identified by its RTP timestamp, so the updates and the three
/// end packets of one press, its retransmissions and stragglers that arrive after the next
/// press began are all recognised as the same press. The first packet seen of a new event
/// reports it, whether it is the marked start packet, an update (start lost) or an end packet
/// (everything else lost). Events other than DTMF (codes 16 and up) are ignored. Owned by one
/// strand; no allocation after construction.
class telephone_event_receiver {
 public:
  /// `listener` must outlive the receiver.
  explicit telephone_event_receiver(telephone_event_listener& listener);

  /// One telephone-event RTP packet: its timestamp, marker bit and payload (padding removed).
  /// A payload of several blocks is read as consecutive events (RFC 4733 §2.5.1.5), the
  /// first at `rtp_timestamp`. Returns false, and changes nothing, when the payload is not
  /// whole event blocks. Never throws.
  bool on_packet(std::uint32_t rtp_timestamp, bool marker, std::span<const std::uint8_t> payload);

  /// Forgets all events, for a new SSRC or after a long silence. A press in progress is not
  /// released.
  void reset();

 private:
  struct press {
    std::uint32_t start_timestamp = 0;    // the first segment's: what the listener is told
    std::uint32_t segment_timestamp = 0;  // the segment packets now arrive with
    std::uint32_t earlier_segments = 0;   // duration of the segments before this one
    std::uint16_t duration = 0;           // longest seen in this segment
    dtmf_key key = dtmf_key::zero;
    bool released = false;
  };

  void on_block(std::uint32_t timestamp, bool marker, const telephone_event& block);
  bool seen(std::uint32_t timestamp) const;
  void remember(std::uint32_t timestamp);
  void release(press& p);

  telephone_event_listener& listener_;
  std::optional<press> current_;
  // Timestamps of recent events and segments. Eight presses back is far beyond any
  // reordering a jitter buffer lets through.
  std::array<std::uint32_t, 8> recent_{};
  std::size_t recent_count_ = 0;
  std::size_t recent_next_ = 0;
};

/// How a telephone_event_sender paces and shapes one key press.
struct telephone_event_sender_settings {
  /// RTP timestamp units between packets: 160 is 20 ms at 8000 Hz. 0 is taken as 160.
  std::uint32_t packet_interval = 160;
  /// Tone power in -dBm0 written in every packet (RFC 4733 §2.3); above 63 is sent as 63.
  std::uint8_t volume = 10;
  /// How many times the end packet is sent (RFC 4733 §2.5.1.4 recommends three); 0 is 1.
  std::uint8_t end_packets = 3;
};

/// One packet a telephone_event_sender asks to be sent.
struct telephone_event_packet {
  std::uint32_t rtp_timestamp = 0;  ///< the RTP header's timestamp
  bool marker = false;              ///< the RTP header's marker bit: first packet of the press
  bool last = false;                ///< nothing follows; the sender is done

  friend bool operator==(const telephone_event_packet&, const telephone_event_packet&) = default;
};

/// Produces the packets for one key press: the first with the marker bit, then one per
/// packet interval with a growing duration, then the end packet with the E bit, repeated.
/// All packets of a press carry its start timestamp, except that a press longer than
/// telephone_event_max_duration continues in new segments whose timestamp is the previous
/// segment's plus that maximum. Call next() once per packet interval. Owned by one strand; no
/// allocation.
class telephone_event_sender {
 public:
  /// `duration` in RTP timestamp units (8 per millisecond at 8000 Hz).
  telephone_event_sender(dtmf_key key, std::uint32_t start_timestamp, std::uint32_t duration,
                         const telephone_event_sender_settings& settings = {});

  /// Writes the next payload into `payload` and says how to send it; nullopt, writing
  /// nothing, once the last packet has been produced.
  std::optional<telephone_event_packet> next(std::span<std::uint8_t, telephone_event_size> payload);

  /// True once next() has produced the last packet.
  bool done() const { return ends_sent_ >= end_packets_; }

 private:
  dtmf_key key_;
  std::uint8_t volume_;
  std::uint8_t end_packets_;
  std::uint32_t packet_interval_;
  std::uint32_t start_timestamp_;
  std::uint32_t duration_;
  std::uint32_t sent_ = 0;           // duration covered by the packets produced so far
  std::uint32_t segment_start_ = 0;  // where the current segment begins, from the start
  std::uint16_t last_duration_ = 0;  // the duration field of the last packet
  bool started_ = false;
  std::uint8_t ends_sent_ = 0;
};

}  // namespace callcenterd::media
