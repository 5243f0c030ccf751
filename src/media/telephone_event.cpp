#include "callcenterd/media/telephone_event.hpp"

#include <algorithm>

#include "wire.hpp"

namespace callcenterd::media {
namespace {

constexpr std::uint8_t end_bit = 0x80;
constexpr std::uint8_t volume_mask = 0x3F;
constexpr std::uint32_t default_packet_interval = 160;

// A segment of a long press starts where the previous one reached the maximum duration.
// Senders that roll over on a packet boundary start a little earlier; one second of slack
// (at 8000 Hz) covers any packet interval in use.
constexpr std::uint32_t segment_slack = 8000;

// RTP timestamps wrap; `a` is before `b` when the forward distance from `a` to `b` is less
// than half the number space (RFC 3550 serial arithmetic).
std::uint32_t distance(std::uint32_t from, std::uint32_t to) { return to - from; }
bool before(std::uint32_t a, std::uint32_t b) { return a != b && distance(a, b) < 0x80000000U; }

}  // namespace

std::optional<telephone_event> parse_telephone_event(std::span<const std::uint8_t> payload) {
  if (payload.empty() || payload.size() % telephone_event_size != 0) return std::nullopt;
  telephone_event block;
  block.event = payload[0];
  block.end = (payload[1] & end_bit) != 0;
  block.volume = static_cast<std::uint8_t>(payload[1] & volume_mask);
  block.duration = wire::read_u16(payload, 2);
  return block;
}

void write_telephone_event(const telephone_event& event,
                           std::span<std::uint8_t, telephone_event_size> out) {
  out[0] = event.event;
  out[1] = static_cast<std::uint8_t>((event.end ? end_bit : 0) |
                                     std::min<std::uint8_t>(event.volume, volume_mask));
  wire::write_u16(out, 2, event.duration);
}

telephone_event_receiver::telephone_event_receiver(telephone_event_listener& listener)
    : listener_(listener) {}

bool telephone_event_receiver::on_packet(std::uint32_t rtp_timestamp, bool marker,
                                         std::span<const std::uint8_t> payload) {
  if (!parse_telephone_event(payload)) return false;
  // Packed events follow one another without a pause, so each starts where the one before it
  // ended; only the first can be the start of a burst and carry the marker.
  auto timestamp = rtp_timestamp;
  for (std::size_t at = 0; at < payload.size(); at += telephone_event_size) {
    const auto block = parse_telephone_event(payload.subspan(at, telephone_event_size));
    on_block(timestamp, marker && at == 0, *block);
    timestamp += block->duration;
  }
  return true;
}

void telephone_event_receiver::reset() {
  current_.reset();
  recent_count_ = 0;
  recent_next_ = 0;
}

void telephone_event_receiver::on_block(std::uint32_t timestamp, bool marker,
                                        const telephone_event& block) {
  const auto key = dtmf_key_from_event_code(block.event);
  if (!key) return;

  if (current_ && timestamp == current_->segment_timestamp) {
    // An update or end of the press in progress, or a copy of one that came late.
    if (current_->released || current_->key != *key) return;
    current_->duration = std::max(current_->duration, block.duration);
    if (block.end) release(*current_);
    return;
  }
  // Any other timestamp seen before belongs to a press already released: the one before the
  // current press, or an earlier segment of it. Its end copies may trail the next press.
  if (seen(timestamp)) return;
  remember(timestamp);

  if (current_ && !current_->released && !marker && current_->key == *key) {
    const auto gap = distance(current_->segment_timestamp, timestamp);
    if (gap <= telephone_event_max_duration &&
        gap + segment_slack >= telephone_event_max_duration) {
      // The next segment of a press longer than one block can describe (§2.5.1.3).
      current_->earlier_segments += gap;
      current_->segment_timestamp = timestamp;
      current_->duration = block.duration;
      if (block.end) release(*current_);
      return;
    }
  }

  if (current_ && !current_->released && before(timestamp, current_->segment_timestamp) &&
      distance(timestamp, current_->segment_timestamp) <= telephone_event_max_duration) {
    // A press that began before the one in progress, of which nothing arrived until now:
    // late, but every key must reach the call. It is over by now.
    press late{timestamp, timestamp, 0, block.duration, *key, false};
    listener_.on_key_pressed(*key, timestamp);
    release(late);
    return;
  }

  // A new press. The one before it has ended even if none of its end packets came.
  if (current_ && !current_->released) release(*current_);
  current_ = press{timestamp, timestamp, 0, block.duration, *key, false};
  listener_.on_key_pressed(*key, timestamp);
  if (block.end) release(*current_);
}

bool telephone_event_receiver::seen(std::uint32_t timestamp) const {
  const auto used = std::span(recent_).first(recent_count_);
  return std::find(used.begin(), used.end(), timestamp) != used.end();
}

void telephone_event_receiver::remember(std::uint32_t timestamp) {
  recent_[recent_next_] = timestamp;
  recent_next_ = (recent_next_ + 1) % recent_.size();
  recent_count_ = std::min(recent_count_ + 1, recent_.size());
}

void telephone_event_receiver::release(press& p) {
  p.released = true;
  listener_.on_key_released(p.key, p.start_timestamp, p.earlier_segments + p.duration);
}

telephone_event_sender::telephone_event_sender(dtmf_key key, std::uint32_t start_timestamp,
                                               std::uint32_t duration,
                                               const telephone_event_sender_settings& settings)
    : key_(key),
      volume_(std::min<std::uint8_t>(settings.volume, volume_mask)),
      end_packets_(std::max<std::uint8_t>(settings.end_packets, 1)),
      packet_interval_(
          settings.packet_interval == 0
              ? default_packet_interval
              : std::min<std::uint32_t>(settings.packet_interval, telephone_event_max_duration)),
      start_timestamp_(start_timestamp),
      duration_(duration) {}

std::optional<telephone_event_packet> telephone_event_sender::next(
    std::span<std::uint8_t, telephone_event_size> payload) {
  if (done()) return std::nullopt;
  telephone_event_packet packet;
  packet.rtp_timestamp = start_timestamp_ + segment_start_;
  packet.marker = !started_;
  started_ = true;

  telephone_event block;
  block.event = to_event_code(key_);
  block.volume = volume_;
  if (ends_sent_ > 0) {
    // A copy of the end packet, so that losing one or two of them loses nothing.
    block.end = true;
    ++ends_sent_;
  } else {
    // 64 bits: a duration near the top of the 32-bit range plus an interval must not wrap.
    const auto elapsed =
        std::min<std::uint64_t>(std::uint64_t{sent_} + packet_interval_, duration_);
    const auto in_segment = elapsed - segment_start_;
    if (elapsed == duration_ && in_segment <= telephone_event_max_duration) {
      block.end = true;
      last_duration_ = static_cast<std::uint16_t>(in_segment);
      ends_sent_ = 1;
    } else if (in_segment >= telephone_event_max_duration) {
      // The segment is full. The press goes on in a new one that starts where this one ends,
      // so the next packet's duration counts from there and stays true to the clock.
      last_duration_ = telephone_event_max_duration;
      segment_start_ += telephone_event_max_duration;
    } else {
      last_duration_ = static_cast<std::uint16_t>(in_segment);
    }
    sent_ = static_cast<std::uint32_t>(elapsed);
  }
  block.duration = last_duration_;
  packet.last = done();
  write_telephone_event(block, payload);
  return packet;
}

}  // namespace callcenterd::media
