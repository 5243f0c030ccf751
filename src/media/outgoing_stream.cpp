#include "callcenterd/media/outgoing_stream.hpp"

#include <algorithm>

namespace callcenterd::media {

outgoing_stream::outgoing_stream(std::uint32_t ssrc, std::uint16_t first_sequence,
                                 std::uint32_t first_timestamp, std::uint32_t clock_rate)
    : ssrc_(ssrc),
      next_sequence_(first_sequence),
      clock_rate_(clock_rate),
      last_timestamp_(first_timestamp) {}

std::uint32_t outgoing_stream::continued_timestamp(time_point now) const {
  if (!last_sent_at_) return last_timestamp_;  // the very first packet: our random start
  const auto elapsed = std::max(now - *last_sent_at_, time_point::duration::zero());
  const auto ticks = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() * clock_rate_ /
      1'000'000);
  return last_timestamp_ + static_cast<std::uint32_t>(std::max<std::uint64_t>(ticks, 1));
}

rtp_header outgoing_stream::next_header(std::uint8_t payload_type, bool marker,
                                        std::uint32_t timestamp, time_point now) {
  // An event's header, but audio moves the stream's timeline on.
  auto out = event(payload_type, marker, timestamp);
  last_timestamp_ = timestamp;
  last_sent_at_ = now;
  return out;
}

rtp_header outgoing_stream::event(std::uint8_t payload_type, bool marker, std::uint32_t timestamp) {
  rtp_header out;
  out.marker = marker;
  out.payload_type = payload_type;
  out.sequence = next_sequence_++;
  out.timestamp = timestamp;
  out.ssrc = ssrc_;
  return out;
}

rtp_header outgoing_stream::relay(const rtp_header& in, time_point now) {
  const bool switched = last_feed_ != feed::relayed || in.ssrc != relayed_ssrc_;
  if (switched) {
    offset_ = continued_timestamp(now) - in.timestamp;
    relayed_ssrc_ = in.ssrc;
    last_feed_ = feed::relayed;
  }
  // Unsigned arithmetic wraps exactly as RTP timestamps do.
  return next_header(in.payload_type, in.marker || switched, in.timestamp + offset_, now);
}

rtp_header outgoing_stream::generated(std::uint8_t payload_type, std::uint32_t samples,
                                      time_point now) {
  const bool switched = last_feed_ != feed::generated;
  const auto timestamp =
      switched ? continued_timestamp(now) : last_timestamp_ + last_generated_size_;
  last_feed_ = feed::generated;
  last_generated_size_ = samples;
  return next_header(payload_type, switched, timestamp, now);
}

}  // namespace callcenterd::media
