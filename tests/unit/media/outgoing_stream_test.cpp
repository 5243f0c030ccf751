#include "callcenterd/media/outgoing_stream.hpp"

#include <gtest/gtest.h>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;
const outgoing_stream::time_point t0 = outgoing_stream::time_point{} + 100s;

rtp_header from(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp,
                bool marker = false) {
  rtp_header h;
  h.ssrc = ssrc;
  h.sequence = sequence;
  h.timestamp = timestamp;
  h.marker = marker;
  h.payload_type = 0;
  return h;
}

TEST(outgoing_stream, relayed_packets_keep_their_spacing_under_our_ssrc_and_sequence) {
  outgoing_stream out(0xCAFE, 65534, 1000);
  const auto a = out.relay(from(0x1, 7, 50000), t0);
  const auto b = out.relay(from(0x1, 8, 50160), t0 + 20ms);
  const auto c = out.relay(from(0x1, 10, 50480), t0 + 60ms);  // 9 lost on the way
  EXPECT_EQ(a.ssrc, 0xCAFEU);
  EXPECT_EQ(a.sequence, 65534);
  EXPECT_EQ(b.sequence, 65535);
  EXPECT_EQ(c.sequence, 0);  // wraps, one per packet we send
  EXPECT_EQ(a.timestamp, 1000U);
  EXPECT_EQ(b.timestamp, 1160U);
  EXPECT_EQ(c.timestamp, 1480U);  // the source's gap stays a gap
  EXPECT_TRUE(a.marker);          // the stream starts
  EXPECT_FALSE(b.marker);
  EXPECT_FALSE(c.marker);
}

TEST(outgoing_stream, a_prompt_between_two_sources_keeps_time_running) {
  outgoing_stream out(0xCAFE, 1, 0xFFFFFF00);
  out.relay(from(0x1, 1, 0), t0);
  out.relay(from(0x1, 2, 160), t0 + 20ms);  // ours: 0xFFFFFFA0
  // The other leg goes on hold: we play music, frames of 160 samples, 50 ms after the last
  // relayed packet.
  const auto m1 = out.generated(8, 160, t0 + 70ms);
  const auto m2 = out.generated(8, 160, t0 + 90ms);
  EXPECT_TRUE(m1.marker);
  EXPECT_FALSE(m2.marker);
  EXPECT_EQ(m1.payload_type, 8);
  EXPECT_EQ(m1.timestamp, 0xFFFFFFA0U + 400U);  // 50 ms at 8 kHz, across the wrap
  EXPECT_EQ(m2.timestamp, m1.timestamp + 160U);
  // The call is taken off hold by a new phone (new SSRC, its own random timestamps).
  const auto r1 = out.relay(from(0x2, 900, 123456), t0 + 130ms);
  const auto r2 = out.relay(from(0x2, 901, 123616), t0 + 150ms);
  EXPECT_TRUE(r1.marker);
  EXPECT_EQ(r1.timestamp, m2.timestamp + 320U);  // 40 ms later
  EXPECT_EQ(r2.timestamp, r1.timestamp + 160U);
  EXPECT_EQ(r2.sequence, m1.sequence + 3);
}

TEST(outgoing_stream, timestamps_never_repeat_on_a_switch_within_the_same_instant) {
  outgoing_stream out(1, 1, 5000);
  const auto g = out.generated(0, 160, t0);
  const auto r = out.relay(from(0x3, 1, 42), t0);  // switched at the same instant
  EXPECT_GT(r.timestamp, g.timestamp);
}

TEST(outgoing_stream, the_source_marker_passes_through) {
  outgoing_stream out(1, 1, 0);
  out.relay(from(0x1, 1, 0), t0);
  EXPECT_TRUE(out.relay(from(0x1, 2, 8000, true), t0 + 1s).marker);  // a new talkspurt
}

}  // namespace
}  // namespace callcenterd::media
