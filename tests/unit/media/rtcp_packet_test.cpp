#include "callcenterd/media/rtcp_packet.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;

report_block block(std::uint32_t ssrc, std::int32_t lost = 0) {
  report_block b;
  b.ssrc = ssrc;
  b.fraction_lost = 0x20;
  b.cumulative_lost = lost;
  b.extended_highest_sequence = 0x0001'0203;
  b.jitter = 37;
  b.last_sr = 0xabcd'1234;
  b.delay_since_last_sr = 0x0001'8000;
  return b;
}

std::vector<std::uint8_t> write(const rtcp_report& report) {
  std::vector<std::uint8_t> out(rtcp_compound_size(report));
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(write_rtcp_compound(report, out), out.size());
  return out;
}

// A receiver report for SSRC 0x11223344 with no blocks, plus its SDES: the smallest valid
// compound, for tests that append or alter packets.
std::vector<std::uint8_t> minimal_compound() {
  rtcp_report report;
  report.ssrc = 0x11223344;
  report.cname = "x";
  return write(report);
}

void append(std::vector<std::uint8_t>& out, std::initializer_list<int> values) {
  for (const int v : values) out.push_back(static_cast<std::uint8_t>(v));
}

TEST(rtcp_ntp, time_points_to_ntp) {
  const std::chrono::system_clock::time_point unix_epoch{};
  EXPECT_EQ(to_ntp_timestamp(unix_epoch), (ntp_timestamp{2'208'988'800U, 0}));
  EXPECT_EQ(to_ntp_timestamp(unix_epoch + 500ms), (ntp_timestamp{2'208'988'800U, 0x8000'0000U}));
  EXPECT_EQ(to_ntp_timestamp(unix_epoch + 10s + 250ms),
            (ntp_timestamp{2'208'988'810U, 0x4000'0000U}));
  // 2036-02-07 06:28:16 UTC starts NTP era 1: the seconds wrap to zero.
  EXPECT_EQ(to_ntp_timestamp(unix_epoch + 2'085'978'496s), (ntp_timestamp{0, 0}));
}

TEST(rtcp_ntp, middle_32_bits) {
  EXPECT_EQ(ntp_middle_32({0x1234'5678U, 0x9abc'def0U}), 0x5678'9abcU);
}

TEST(rtcp_rtt, a_minus_lsr_minus_dlsr) {
  const auto sent = std::chrono::system_clock::time_point{} + 1'000'000s;
  report_block b;
  b.last_sr = ntp_middle_32(to_ntp_timestamp(sent));
  b.delay_since_last_sr = 65536 + 65536 / 2;  // the peer held our SR for 1.5 s
  const auto rtt = round_trip_time(b, to_ntp_timestamp(sent + 1500ms + 120ms));
  ASSERT_TRUE(rtt);
  // The 16.16 form resolves about 15 us.
  EXPECT_NEAR(static_cast<double>(rtt->count()), 120'000, 16);
}

TEST(rtcp_rtt, across_the_wrap_of_the_compact_form) {
  report_block b;
  b.last_sr = 0xffff'8000U;  // half a second before the 16-bit seconds wrap
  b.delay_since_last_sr = 0x4000;
  const auto rtt = round_trip_time(b, ntp_timestamp{0x0001'0000U, 0x2000'0000U});
  ASSERT_TRUE(rtt);
  // A = 0x0000'2000: 0.5 s + 0.125 s after the SR, 0.25 s of which the peer held it.
  EXPECT_EQ(rtt->count(), 375'000);
}

TEST(rtcp_rtt, nothing_without_an_sr_or_with_impossible_figures) {
  report_block b;
  EXPECT_FALSE(round_trip_time(b, ntp_timestamp{100, 0}));
  b.last_sr = 0x0064'0000U;  // 100 s
  b.delay_since_last_sr = 0x0002'0000U;
  EXPECT_FALSE(round_trip_time(b, ntp_timestamp{101, 0}));  // only 1 s since the SR
  EXPECT_FALSE(round_trip_time(b, ntp_timestamp{99, 0}));   // before the SR
  EXPECT_EQ(round_trip_time(b, ntp_timestamp{102, 0}), std::chrono::microseconds(0));
}

TEST(rtcp_write, receiver_report_layout_byte_by_byte) {
  const report_block blocks[] = {block(0x0a0b0c0d, -2)};
  rtcp_report report;
  report.ssrc = 0x11223344;
  report.blocks = blocks;
  report.cname = "ab";
  const auto out = write(report);
  const std::vector<std::uint8_t> expected = {
      0x81, 201,  0x00, 0x07, 0x11, 0x22, 0x33, 0x44,  // RR, one block, 8 words
      0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xff, 0xff, 0xfe,  // ssrc, fraction, cumulative -2
      0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 37,    // highest sequence, jitter
      0xab, 0xcd, 0x12, 0x34, 0x00, 0x01, 0x80, 0x00,  // LSR, DLSR
      0x81, 202,  0x00, 0x03, 0x11, 0x22, 0x33, 0x44,  // SDES, one chunk, 4 words
      0x01, 0x02, 'a',  'b',  0x00, 0x00, 0x00, 0x00,  // CNAME "ab", end, pad
  };
  EXPECT_EQ(out, expected);
}

TEST(rtcp_round_trip, sender_report_with_blocks_and_cname) {
  const report_block blocks[] = {block(1, 5), block(2, -3)};
  rtcp_report report;
  report.ssrc = 0xfeedface;
  report.sender = sender_info{{0xe000'0001U, 0x8000'0000U}, 160'000, 1000, 160'000};
  report.blocks = blocks;
  report.cname = "agent-7@pbx.example.com";
  const auto out = write(report);
  EXPECT_EQ(out.size(), 28U + 2 * 24 + 4 + 4 + 28);
  EXPECT_EQ(out[0], 0x82);
  EXPECT_EQ(out[1], 200);

  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sender_ssrc, 0xfeedfaceU);
  ASSERT_TRUE(back->sender);
  EXPECT_EQ(*back->sender, *report.sender);
  ASSERT_EQ(back->report_blocks().size(), 2U);
  EXPECT_EQ(back->report_blocks()[0], blocks[0]);
  EXPECT_EQ(back->report_blocks()[1], blocks[1]);
  EXPECT_FALSE(back->blocks_truncated);
  EXPECT_TRUE(back->has_cname);
  EXPECT_EQ(back->cname_ssrc, 0xfeedfaceU);
  EXPECT_EQ(back->cname(), "agent-7@pbx.example.com");
  EXPECT_FALSE(back->bye);
}

TEST(rtcp_round_trip, receiver_report_with_bye) {
  const report_block blocks[] = {block(7)};
  rtcp_report report;
  report.ssrc = 42;
  report.blocks = blocks;
  report.cname = "caller";
  report.bye = true;
  const auto out = write(report);
  ASSERT_EQ(out.size(), 32U + 20 + 8);
  EXPECT_EQ(out[out.size() - 8], 0x81);
  EXPECT_EQ(out[out.size() - 7], 203);

  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->sender);
  EXPECT_EQ(back->sender_ssrc, 42U);
  ASSERT_EQ(back->report_blocks().size(), 1U);
  EXPECT_EQ(back->report_blocks()[0], blocks[0]);
  EXPECT_EQ(back->cname(), "caller");
  EXPECT_TRUE(back->bye);
}

TEST(rtcp_round_trip, every_cname_length_pads_correctly) {
  for (std::size_t size = 1; size <= rtcp_max_cname_size; ++size) {
    const std::string cname(size, 'c');
    rtcp_report report;
    report.ssrc = 9;
    report.cname = cname;
    const auto out = write(report);
    EXPECT_EQ(out.size() % 4, 0U);
    const auto back = parse_rtcp_compound(out);
    ASSERT_TRUE(back) << size;
    EXPECT_EQ(back->cname(), cname);
    EXPECT_TRUE(back->report_blocks().empty());
  }
}

TEST(rtcp_round_trip, thirty_one_blocks_fit_and_thirty_two_do_not) {
  std::vector<report_block> blocks;
  for (std::uint32_t i = 0; i < 32; ++i) blocks.push_back(block(i + 100, static_cast<int>(i)));
  rtcp_report report;
  report.ssrc = 1;
  report.cname = "c";
  report.blocks = std::span(blocks).first(31);
  const auto out = write(report);
  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->report_blocks().size(), 31U);
  EXPECT_EQ(back->report_blocks()[30], blocks[30]);

  report.blocks = blocks;
  EXPECT_EQ(rtcp_compound_size(report), 0U);
  std::vector<std::uint8_t> buffer(2048);
  EXPECT_EQ(write_rtcp_compound(report, buffer), 0U);
}

TEST(rtcp_round_trip, cumulative_lost_is_clamped_to_24_bits) {
  const report_block blocks[] = {block(1, 10'000'000), block(2, -9'000'000), block(3, 8'388'607),
                                 block(4, -8'388'608), block(5, -1)};
  rtcp_report report;
  report.ssrc = 1;
  report.cname = "c";
  report.blocks = blocks;
  const auto back = parse_rtcp_compound(write(report));
  ASSERT_TRUE(back);
  const auto got = back->report_blocks();
  ASSERT_EQ(got.size(), 5U);
  EXPECT_EQ(got[0].cumulative_lost, 8'388'607);
  EXPECT_EQ(got[1].cumulative_lost, -8'388'608);
  EXPECT_EQ(got[2].cumulative_lost, 8'388'607);
  EXPECT_EQ(got[3].cumulative_lost, -8'388'608);
  EXPECT_EQ(got[4].cumulative_lost, -1);
}

TEST(rtcp_write, refuses_bad_cnames_and_small_buffers) {
  rtcp_report report;
  report.ssrc = 1;
  EXPECT_EQ(rtcp_compound_size(report), 0U);  // no CNAME
  const std::string too_long(256, 'c');
  report.cname = too_long;
  EXPECT_EQ(rtcp_compound_size(report), 0U);

  report.cname = "c";
  report.bye = true;
  const auto size = rtcp_compound_size(report);
  ASSERT_EQ(size, 8U + 12 + 8);
  std::vector<std::uint8_t> out(size - 1);
  EXPECT_EQ(write_rtcp_compound(report, out), 0U);
  out.resize(size);
  EXPECT_EQ(write_rtcp_compound(report, out), size);
}

TEST(rtcp_parse, additional_receiver_reports_add_blocks_up_to_capacity) {
  std::vector<report_block> blocks;
  for (std::uint32_t i = 0; i < 33; ++i) blocks.push_back(block(i + 1));
  rtcp_report first;
  first.ssrc = 5;
  first.cname = "c";
  first.blocks = std::span(blocks).first(31);
  auto out = write(first);
  out.resize(8 + 31 * 24);  // keep the RR, drop the SDES
  rtcp_report second = first;
  second.blocks = std::span(blocks).subspan(31);
  const auto rest = write(second);
  out.insert(out.end(), rest.begin(), rest.end());

  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->report_blocks().size(), 31U);
  EXPECT_EQ(back->report_blocks()[30].ssrc, 31U);
  EXPECT_TRUE(back->blocks_truncated);
  EXPECT_TRUE(back->has_cname);
}

TEST(rtcp_parse, skips_packet_types_it_does_not_read) {
  auto out = minimal_compound();
  append(out, {0x80, 204, 0x00, 0x02, 0, 0, 0, 1, 'n', 'a', 'm', 'e'});  // APP
  append(out, {0x81, 205, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2});          // generic NACK
  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->has_cname);
  EXPECT_FALSE(back->bye);
}

TEST(rtcp_parse, bye_with_reason_and_padding_in_the_last_packet) {
  auto out = minimal_compound();
  // BYE for one SSRC, reason "bye" (length 3 + 3 octets), then 4 octets of padding.
  append(out, {0xa1, 203, 0x00, 0x03, 0, 0, 0, 1, 3, 'b', 'y', 'e', 0, 0, 0, 4});
  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->bye);
}

TEST(rtcp_parse, sdes_with_other_items_and_several_chunks) {
  auto out = minimal_compound();
  out.resize(8);                                                           // the RR only
  append(out, {0x82, 202, 0x00, 0x06,                                      // two chunks, 7 words
               0,    0,   0,    7,    2, 3, 'B', 'o', 'b', 0,   0,   0,    // NAME, end, pad
               0,    0,   0,    8,    6, 1, 'x', 1,   2,   'q', 'r', 0});  // TOOL, CNAME, end
  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->has_cname);
  EXPECT_EQ(back->cname_ssrc, 8U);
  EXPECT_EQ(back->cname(), "qr");
}

TEST(rtcp_parse, a_compound_without_cname_is_still_read) {
  auto out = minimal_compound();
  out.resize(8);
  const auto back = parse_rtcp_compound(out);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->has_cname);
  EXPECT_TRUE(back->cname().empty());
}

TEST(rtcp_parse, refuses_invalid_compounds) {
  const auto good = minimal_compound();
  ASSERT_TRUE(parse_rtcp_compound(good));
  EXPECT_FALSE(parse_rtcp_compound({}));

  auto sdes_first = std::vector<std::uint8_t>(good.begin() + 8, good.end());
  EXPECT_FALSE(parse_rtcp_compound(sdes_first));

  std::vector<std::uint8_t> bye_first = {0x81, 203, 0x00, 0x01, 0, 0, 0, 1};
  EXPECT_FALSE(parse_rtcp_compound(bye_first));

  auto version_1 = good;
  version_1[0] = 0x40;
  EXPECT_FALSE(parse_rtcp_compound(version_1));

  auto later_version_3 = good;
  later_version_3[8] |= 0xc0;
  EXPECT_FALSE(parse_rtcp_compound(later_version_3));

  auto padded_first = good;
  padded_first[0] |= 0x20;
  EXPECT_FALSE(parse_rtcp_compound(padded_first));

  auto padded_middle = good;
  padded_middle[8] |= 0x20;
  append(padded_middle, {0x81, 203, 0x00, 0x01, 0, 0, 0, 1});
  EXPECT_FALSE(parse_rtcp_compound(padded_middle));

  auto length_too_long = good;
  length_too_long[11] += 1;
  EXPECT_FALSE(parse_rtcp_compound(length_too_long));

  auto length_too_short = good;
  length_too_short[11] -= 1;  // the chunk no longer fits; its last word looks like a header
  EXPECT_FALSE(parse_rtcp_compound(length_too_short));

  auto trailing = good;
  append(trailing, {0x80, 0x00});
  EXPECT_FALSE(parse_rtcp_compound(trailing));

  for (std::size_t size = 1; size < good.size(); ++size) {
    if (size == 8) continue;  // the RR alone is a valid compound
    EXPECT_FALSE(parse_rtcp_compound(std::span(good).first(size))) << size;
  }
}

TEST(rtcp_parse, refuses_bodies_that_overrun_their_packets) {
  const auto good = minimal_compound();

  auto rr_claims_a_block = good;
  rr_claims_a_block[0] = 0x81;
  EXPECT_FALSE(parse_rtcp_compound(rr_claims_a_block));

  auto sr_too_short = good;
  sr_too_short[1] = 200;  // an SR needs 20 more octets of sender info
  EXPECT_FALSE(parse_rtcp_compound(sr_too_short));

  auto sdes_claims_two_chunks = good;
  sdes_claims_two_chunks[8] = 0x82;
  EXPECT_FALSE(parse_rtcp_compound(sdes_claims_two_chunks));

  auto sdes_item_overruns = good;
  sdes_item_overruns[17] = 4;  // CNAME length past the end of the chunk
  EXPECT_FALSE(parse_rtcp_compound(sdes_item_overruns));

  auto sdes_unterminated = good;
  sdes_unterminated[19] = 1;  // the null octet becomes a CNAME item type
  EXPECT_FALSE(parse_rtcp_compound(sdes_unterminated));

  auto bye_claims_two = good;
  append(bye_claims_two, {0x82, 203, 0x00, 0x01, 0, 0, 0, 1});
  EXPECT_FALSE(parse_rtcp_compound(bye_claims_two));
}

TEST(rtcp_parse, refuses_bad_padding_counts) {
  auto zero = minimal_compound();
  append(zero, {0xa1, 203, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0});
  EXPECT_FALSE(parse_rtcp_compound(zero));

  auto too_much = minimal_compound();
  append(too_much, {0xa1, 203, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 9});
  EXPECT_FALSE(parse_rtcp_compound(too_much));

  auto eats_the_ssrc = minimal_compound();
  append(eats_the_ssrc, {0xa1, 203, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 8});
  EXPECT_FALSE(parse_rtcp_compound(eats_the_ssrc));

  auto fine = minimal_compound();
  append(fine, {0xa1, 203, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4});
  EXPECT_TRUE(parse_rtcp_compound(fine));
}

}  // namespace
}  // namespace callcenterd::media
