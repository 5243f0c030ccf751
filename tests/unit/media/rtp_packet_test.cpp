#include "callcenterd/media/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

namespace callcenterd::media {
namespace {

std::vector<std::uint8_t> bytes(std::initializer_list<int> values) {
  std::vector<std::uint8_t> out;
  for (const int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

std::vector<std::uint8_t> to_vector(std::span<const std::uint8_t> span) {
  return {span.begin(), span.end()};
}

// V=2, PT 0, sequence 0x1234, timestamp 0x0a0b0c0d, SSRC 0xdeadbeef; the first byte and the
// tail are up to each test.
std::vector<std::uint8_t> packet(int first, std::initializer_list<int> tail, int second = 0x00) {
  auto out = bytes({first, second, 0x12, 0x34, 0x0a, 0x0b, 0x0c, 0x0d, 0xde, 0xad, 0xbe, 0xef});
  for (const int v : tail) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

TEST(rtp_parse, fixed_header_fields_and_payload) {
  const auto data = packet(0x80, {0x11, 0x22, 0x33});
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->version, 2);
  EXPECT_FALSE(h->padding);
  EXPECT_FALSE(h->extension);
  EXPECT_EQ(h->csrc_count, 0);
  EXPECT_FALSE(h->marker);
  EXPECT_EQ(h->payload_type, 0);
  EXPECT_EQ(h->sequence, 0x1234);
  EXPECT_EQ(h->timestamp, 0x0a0b0c0dU);
  EXPECT_EQ(h->ssrc, 0xdeadbeefU);
  EXPECT_EQ(to_vector(h->payload), bytes({0x11, 0x22, 0x33}));
  // A view into the packet, not a copy.
  EXPECT_EQ(h->payload.data(), data.data() + 12);
}

TEST(rtp_parse, marker_and_payload_type_share_the_second_byte) {
  const auto pcma = parse_rtp(packet(0x80, {}, 0x88));
  ASSERT_TRUE(pcma);
  EXPECT_TRUE(pcma->marker);
  EXPECT_EQ(pcma->payload_type, 8);
  EXPECT_TRUE(pcma->payload.empty());

  const auto dynamic = parse_rtp(packet(0x80, {0x01}, 0x65));
  ASSERT_TRUE(dynamic);
  EXPECT_FALSE(dynamic->marker);
  EXPECT_EQ(dynamic->payload_type, 101);

  const auto top = parse_rtp(packet(0x80, {}, 0xff));
  ASSERT_TRUE(top);
  EXPECT_TRUE(top->marker);
  EXPECT_EQ(top->payload_type, 127);
}

TEST(rtp_parse, csrc_list_precedes_the_payload) {
  const auto data = packet(0x82, {0x00, 0x00, 0x00, 0x01, 0xca, 0xfe, 0xba, 0xbe, 0x55});
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->csrc_count, 2);
  EXPECT_EQ(h->csrcs[0], 1U);
  EXPECT_EQ(h->csrcs[1], 0xcafebabeU);
  EXPECT_EQ(h->csrcs[2], 0U);
  EXPECT_EQ(to_vector(h->payload), bytes({0x55}));
}

TEST(rtp_parse, header_extension_is_skipped_and_exposed) {
  // Profile 0xbede (RFC 8285 one-byte form), one word of extension data.
  const auto data = packet(0x90, {0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00, 0x77, 0x88});
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->extension);
  EXPECT_EQ(h->extension_profile, 0xbede);
  EXPECT_EQ(to_vector(h->extension_data), bytes({0x10, 0xaa, 0x00, 0x00}));
  EXPECT_EQ(to_vector(h->payload), bytes({0x77, 0x88}));
}

TEST(rtp_parse, empty_header_extension) {
  const auto data = packet(0x90, {0x10, 0x00, 0x00, 0x00, 0x42});
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->extension_profile, 0x1000);
  EXPECT_TRUE(h->extension_data.empty());
  EXPECT_EQ(to_vector(h->payload), bytes({0x42}));
}

TEST(rtp_parse, padding_is_stripped) {
  const auto data = packet(0xa0, {0x01, 0x02, 0x00, 0x00, 0x03});
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->padding);
  EXPECT_EQ(to_vector(h->payload), bytes({0x01, 0x02}));
}

TEST(rtp_parse, padding_may_fill_the_whole_payload) {
  const auto h = parse_rtp(packet(0xa0, {0x00, 0x00, 0x00, 0x04}));
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->payload.empty());
}

TEST(rtp_parse, csrcs_extension_and_padding_together) {
  const auto data = packet(0xb1,
                           {0x00, 0x00, 0x00, 0x09,              // CSRC
                            0x00, 0x01, 0x00, 0x01, 1, 2, 3, 4,  // extension
                            0xf0, 0xf1, 0xf2,                    // payload
                            0x00, 0x02},                         // padding
                           0xe0);
  const auto h = parse_rtp(data);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->padding);
  EXPECT_TRUE(h->extension);
  EXPECT_TRUE(h->marker);
  EXPECT_EQ(h->payload_type, 96);
  EXPECT_EQ(h->csrc_count, 1);
  EXPECT_EQ(h->csrcs[0], 9U);
  EXPECT_EQ(h->extension_profile, 1);
  EXPECT_EQ(to_vector(h->extension_data), bytes({1, 2, 3, 4}));
  EXPECT_EQ(to_vector(h->payload), bytes({0xf0, 0xf1, 0xf2}));
}

TEST(rtp_parse, refuses_versions_other_than_2) {
  EXPECT_FALSE(parse_rtp(packet(0x00, {0x01})));
  EXPECT_FALSE(parse_rtp(packet(0x40, {0x01})));
  EXPECT_FALSE(parse_rtp(packet(0xc0, {0x01})));
}

TEST(rtp_parse, refuses_truncated_packets) {
  EXPECT_FALSE(parse_rtp({}));
  const auto whole = packet(0x80, {});
  for (std::size_t size = 0; size < whole.size(); ++size) {
    EXPECT_FALSE(parse_rtp(std::span(whole).first(size))) << size;
  }
  EXPECT_FALSE(parse_rtp(packet(0x82, {0, 0, 0, 1})));                 // second CSRC missing
  EXPECT_FALSE(parse_rtp(packet(0x90, {0xbe, 0xde, 0x00})));           // extension header cut
  EXPECT_FALSE(parse_rtp(packet(0x90, {0xbe, 0xde, 0x00, 0x02, 1})));  // extension body cut
  EXPECT_FALSE(parse_rtp(packet(0x91, {0xbe, 0xde, 0x00, 0x00})));     // CSRC eats the extension
}

TEST(rtp_parse, refuses_bad_padding_counts) {
  EXPECT_FALSE(parse_rtp(packet(0xa0, {0x01, 0x02, 0x00})));  // a count of zero
  EXPECT_FALSE(parse_rtp(packet(0xa0, {0x01, 0x02, 0x04})));  // more than the payload
  EXPECT_FALSE(parse_rtp(packet(0xa0, {})));                  // count would be in the SSRC
  EXPECT_FALSE(parse_rtp(packet(0xa1, {0, 0, 0, 5})));        // reaches into the CSRC
  EXPECT_FALSE(parse_rtp(packet(0xb0, {0, 0, 0, 0, 0x03})));  // reaches into the extension
}

TEST(rtp_write, writes_the_fixed_header_byte_by_byte) {
  rtp_header h;
  h.marker = true;
  h.payload_type = 8;
  h.sequence = 0xfffe;
  h.timestamp = 0x01020304;
  h.ssrc = 0x0a0b0c0d;
  const auto payload = bytes({0xd5, 0xd5});
  std::vector<std::uint8_t> out(20, 0xee);
  ASSERT_EQ(write_rtp(h, payload, out), 14U);
  out.resize(14);
  EXPECT_EQ(out, bytes({0x80, 0x88, 0xff, 0xfe, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0xd5, 0xd5}));
}

TEST(rtp_write, round_trips_through_parse) {
  rtp_header h;
  h.payload_type = 101;
  h.sequence = 4711;
  h.timestamp = 0xfffffff0;
  h.ssrc = 0x12345678;
  std::vector<std::uint8_t> payload(160);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
  std::vector<std::uint8_t> out(rtp_fixed_header_size + payload.size());
  ASSERT_EQ(write_rtp(h, payload, out), out.size());

  const auto back = parse_rtp(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->version, 2);
  EXPECT_FALSE(back->marker);
  EXPECT_EQ(back->payload_type, 101);
  EXPECT_EQ(back->sequence, 4711);
  EXPECT_EQ(back->timestamp, 0xfffffff0U);
  EXPECT_EQ(back->ssrc, 0x12345678U);
  EXPECT_EQ(to_vector(back->payload), payload);
}

TEST(rtp_write, never_writes_padding_csrcs_or_extension) {
  const auto data = packet(0xb1, {0, 0, 0, 9, 0, 1, 0, 0, 0xf0, 0x01});
  const auto h = *parse_rtp(data);
  ASSERT_EQ(h.csrc_count, 1);
  std::vector<std::uint8_t> out(64);
  const auto size = write_rtp(h, h.payload, out);
  ASSERT_EQ(size, 13U);
  EXPECT_EQ(out[0], 0x80);
  const auto back = parse_rtp(std::span(out).first(size));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->padding);
  EXPECT_FALSE(back->extension);
  EXPECT_EQ(back->csrc_count, 0);
  EXPECT_EQ(to_vector(back->payload), bytes({0xf0}));
}

TEST(rtp_write, refuses_small_buffers_and_bad_payload_types) {
  rtp_header h;
  const auto payload = bytes({1, 2, 3});
  std::vector<std::uint8_t> out(14);
  EXPECT_EQ(write_rtp(h, payload, out), 0U);
  EXPECT_EQ(write_rtp(h, {}, std::span(out).first(11)), 0U);
  EXPECT_EQ(write_rtp(h, {}, std::span(out).first(12)), 12U);
  h.payload_type = 128;
  out.resize(64);
  EXPECT_EQ(write_rtp(h, payload, out), 0U);
}

TEST(rtp_write, payload_already_in_place_or_overlapping) {
  rtp_header h;
  h.sequence = 1;
  std::vector<std::uint8_t> out(16, 0);
  for (std::uint8_t i = 0; i < 4; ++i) out[12 + i] = 0x30 + i;
  ASSERT_EQ(write_rtp(h, std::span(out).subspan(12, 4), out), 16U);
  EXPECT_EQ(to_vector(parse_rtp(out)->payload), bytes({0x30, 0x31, 0x32, 0x33}));

  // The payload encoded at the start of the buffer, where the header goes.
  for (std::uint8_t i = 0; i < 4; ++i) out[i] = 0x40 + i;
  ASSERT_EQ(write_rtp(h, std::span(out).first(4), out), 16U);
  EXPECT_EQ(to_vector(parse_rtp(out)->payload), bytes({0x40, 0x41, 0x42, 0x43}));
}

packet_kind kind_of(int first, int second, std::size_t size) {
  std::vector<std::uint8_t> data(size, 0);
  if (size > 0) data[0] = static_cast<std::uint8_t>(first);
  if (size > 1) data[1] = static_cast<std::uint8_t>(second);
  return classify(data);
}

TEST(packet_classify, first_byte_ranges_of_rfc_7983) {
  for (int b = 0; b <= 3; ++b) EXPECT_EQ(kind_of(b, 0x01, 20), packet_kind::stun) << b;
  for (int b = 4; b <= 19; ++b) EXPECT_EQ(kind_of(b, 0, 64), packet_kind::unknown) << b;
  for (int b = 20; b <= 63; ++b) EXPECT_EQ(kind_of(b, 0xfe, 13), packet_kind::dtls) << b;
  for (int b = 64; b <= 127; ++b) EXPECT_EQ(kind_of(b, 0, 64), packet_kind::unknown) << b;
  for (int b = 128; b <= 191; ++b) EXPECT_EQ(kind_of(b, 0, 12), packet_kind::rtp) << b;
  for (int b = 192; b <= 255; ++b) EXPECT_EQ(kind_of(b, 0, 64), packet_kind::unknown) << b;
}

TEST(packet_classify, rtcp_by_second_byte_per_rfc_5761) {
  for (int b = 0; b <= 191; ++b) EXPECT_EQ(kind_of(0x80, b, 12), packet_kind::rtp) << b;
  for (int b = 192; b <= 223; ++b) EXPECT_EQ(kind_of(0x81, b, 8), packet_kind::rtcp) << b;
  for (int b = 224; b <= 255; ++b) EXPECT_EQ(kind_of(0x80, b, 12), packet_kind::rtp) << b;
  // SR and RR as written by a peer: V=2 with a report count, PT 200/201.
  EXPECT_EQ(kind_of(0x80, 200, 28), packet_kind::rtcp);
  EXPECT_EQ(kind_of(0x9f, 201, 8), packet_kind::rtcp);
}

TEST(packet_classify, too_short_for_their_kind) {
  EXPECT_EQ(classify({}), packet_kind::unknown);
  EXPECT_EQ(kind_of(0x00, 0x01, 19), packet_kind::unknown);
  EXPECT_EQ(kind_of(22, 0xfe, 12), packet_kind::unknown);
  EXPECT_EQ(kind_of(0x80, 0, 11), packet_kind::unknown);
  EXPECT_EQ(kind_of(0x80, 0, 1), packet_kind::unknown);
  EXPECT_EQ(kind_of(0x81, 201, 7), packet_kind::unknown);
}

TEST(packet_classify, agrees_with_the_writer) {
  rtp_header h;
  h.payload_type = 0;
  std::vector<std::uint8_t> out(172);
  ASSERT_EQ(write_rtp(h, std::span(out).subspan(12), out), out.size());
  EXPECT_EQ(classify(out), packet_kind::rtp);
  h.marker = true;
  h.payload_type = 127;
  ASSERT_EQ(write_rtp(h, std::span(out).subspan(12), out), out.size());
  EXPECT_EQ(classify(out), packet_kind::rtp);
}

}  // namespace
}  // namespace callcenterd::media
