#include "callcenterd/media/payload_relay.hpp"

namespace callcenterd::media {

payload_relay::payload_relay(leg_format from, leg_format to, outgoing_stream& out)
    : from_(from), to_(to), out_(out) {}

std::optional<payload_relay::packet> payload_relay::relay(const rtp_header& in,
                                                          outgoing_stream::time_point now) {
  if (in.payload_type == payload_type(from_.law)) {
    if (in.payload.size() > converted_.size()) {
      ++dropped_;
      return std::nullopt;
    }
    auto header = out_.relay(in, now);
    header.payload_type = payload_type(to_.law);
    if (from_.law == to_.law) return packet{header, in.payload};
    const auto converted = std::span(converted_).first(in.payload.size());
    transcode(from_.law, to_.law, in.payload, converted);
    return packet{header, converted};
  }
  if (from_.telephone_event && in.payload_type == *from_.telephone_event && to_.telephone_event) {
    auto header = out_.relay(in, now);
    header.payload_type = *to_.telephone_event;
    return packet{header, in.payload};
  }
  // An event the other leg cannot take would need in-band tones, which the mixer makes;
  // anything else was never agreed on.
  ++dropped_;
  return std::nullopt;
}

}  // namespace callcenterd::media
