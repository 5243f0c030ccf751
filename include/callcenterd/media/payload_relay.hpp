#pragma once

// What crosses a bridge from one leg to the other, packet by packet: G.711 audio, converted
// when the legs agreed on different laws (one table lookup per byte), and RFC 4733 events,
// renumbered to the payload type the other leg negotiated. Anything else (comfort noise, a
// codec nobody agreed on) is dropped here rather than sent to a phone that cannot decode it.
// Pure: packets in, packets out through caller buffers; no allocation. One owner, any strand.

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "callcenterd/media/g711.hpp"
#include "callcenterd/media/outgoing_stream.hpp"
#include "callcenterd/media/rtp_packet.hpp"

namespace callcenterd::media {

/// What one leg negotiated in SDP.
struct leg_format {
  g711_law law = g711_law::ulaw;
  /// The dynamic payload type of telephone-event on this leg, if it has one.
  std::optional<std::uint8_t> telephone_event;
};

class payload_relay {
 public:
  /// Relays from a leg that negotiated `from` to one that negotiated `to`, whose stream
  /// `out` is (shared with whatever else feeds that leg).
  payload_relay(leg_format from, leg_format to, outgoing_stream& out);

  struct packet {
    rtp_header header;
    std::span<const std::uint8_t> payload;  ///< in the relay's own buffer, or `in`'s payload
  };

  /// The packet to send the other leg for `in`, received at `now`, or nullopt to drop it.
  /// The payload is valid until the next call.
  std::optional<packet> relay(const rtp_header& in, outgoing_stream::time_point now);

  /// Packets dropped: a payload type the source leg did not negotiate, or an event the other
  /// leg cannot receive.
  [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

 private:
  leg_format from_;
  leg_format to_;
  outgoing_stream& out_;
  std::array<std::uint8_t, 1500> converted_{};
  std::uint64_t dropped_ = 0;
};

}  // namespace callcenterd::media
