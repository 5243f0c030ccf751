#include "callcenterd/media/payload_relay.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;
const outgoing_stream::time_point t0 = outgoing_stream::time_point{} + 10s;

rtp_header packet_of(std::uint8_t payload_type, std::span<const std::uint8_t> payload,
                     std::uint16_t sequence = 1) {
  rtp_header h;
  h.ssrc = 0x77;
  h.payload_type = payload_type;
  h.sequence = sequence;
  h.timestamp = sequence * 160U;
  h.payload = payload;
  return h;
}

std::vector<std::uint8_t> bytes_of(std::span<const std::uint8_t> span) {
  return {span.begin(), span.end()};
}

TEST(payload_relay, the_same_law_passes_unchanged_under_the_other_legs_stream) {
  outgoing_stream out(0xAB, 100, 5000);
  payload_relay relay({g711_law::ulaw, 101}, {g711_law::ulaw, 101}, out);
  const std::vector<std::uint8_t> audio{0x00, 0x7F, 0xFF, 0x80};
  const auto sent = relay.relay(packet_of(0, audio), t0);
  ASSERT_TRUE(sent);
  EXPECT_EQ(bytes_of(sent->payload), audio);
  EXPECT_EQ(sent->header.payload_type, 0);
  EXPECT_EQ(sent->header.ssrc, 0xABU);
  EXPECT_EQ(sent->header.sequence, 100);
}

TEST(payload_relay, a_pcmu_leg_is_transcoded_for_a_pcma_leg) {
  outgoing_stream out(1, 1, 0);
  payload_relay relay({g711_law::ulaw, std::nullopt}, {g711_law::alaw, std::nullopt}, out);
  std::vector<std::uint8_t> audio;
  for (int code = 0; code < 256; ++code) audio.push_back(static_cast<std::uint8_t>(code));
  const auto sent = relay.relay(packet_of(0, audio), t0);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->header.payload_type, 8);
  ASSERT_EQ(sent->payload.size(), audio.size());
  for (std::size_t i = 0; i < audio.size(); ++i) {
    EXPECT_EQ(sent->payload[i], ulaw_to_alaw(audio[i])) << i;
  }
}

TEST(payload_relay, events_are_renumbered_and_dropped_where_the_other_leg_has_none) {
  outgoing_stream out(1, 1, 0);
  const std::vector<std::uint8_t> event{5, 0x8A, 0x03, 0x20};
  payload_relay to_phone({g711_law::alaw, 101}, {g711_law::ulaw, 96}, out);
  const auto sent = to_phone.relay(packet_of(101, event), t0);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->header.payload_type, 96);
  EXPECT_EQ(bytes_of(sent->payload), event);

  payload_relay to_old_phone({g711_law::alaw, 101}, {g711_law::alaw, std::nullopt}, out);
  EXPECT_FALSE(to_old_phone.relay(packet_of(101, event), t0 + 20ms));
  EXPECT_EQ(to_old_phone.dropped(), 1U);
}

TEST(payload_relay, payload_types_the_leg_never_negotiated_are_dropped) {
  outgoing_stream out(1, 1, 0);
  payload_relay relay({g711_law::ulaw, 101}, {g711_law::ulaw, 101}, out);
  const std::vector<std::uint8_t> noise{0x40};
  EXPECT_FALSE(relay.relay(packet_of(13, noise), t0));  // comfort noise
  EXPECT_FALSE(relay.relay(packet_of(8, noise), t0));   // PCMA on a PCMU leg
  EXPECT_EQ(relay.dropped(), 2U);
  // Dropped packets leave no hole in what the other leg hears.
  const auto next = relay.relay(packet_of(0, noise, 2), t0 + 20ms);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->header.sequence, 1);
}

}  // namespace
}  // namespace callcenterd::media
