#include "callcenterd/media/rtp_statistics.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;
using time_point = std::chrono::steady_clock::time_point;

constexpr std::uint32_t g711_rate = 8000;
constexpr std::uint32_t source = 0x5eed;
const time_point t0 = time_point{} + 1h;

// Packet number n of a G.711 stream (20 ms, 160 timestamp units each) whose packet 0 has
// sequence `first_seq`, arriving exactly on time plus `late`.
bool send(rtp_receive_statistics& stats, std::uint32_t n, std::uint16_t first_seq = 0,
          std::chrono::microseconds late = {}, std::uint32_t ssrc = source) {
  return stats.on_packet(ssrc, static_cast<std::uint16_t>(first_seq + n), 1000 + 160 * n,
                         t0 + 20ms * n + late, g711_rate);
}

void send_range(rtp_receive_statistics& stats, std::uint32_t from, std::uint32_t to,
                std::uint16_t first_seq = 0) {
  for (std::uint32_t n = from; n <= to; ++n) send(stats, n, first_seq);
}

TEST(rtp_statistics, takes_parsed_headers) {
  rtp_receive_statistics stats;
  std::array<std::uint8_t, rtp_fixed_header_size + 160> buffer{};
  for (std::uint16_t i = 0; i < 3; ++i) {
    rtp_header h;
    h.ssrc = source;
    h.sequence = static_cast<std::uint16_t>(500 + i);
    h.timestamp = 160U * i;
    const auto size = write_rtp(h, std::span(buffer).subspan(rtp_fixed_header_size), buffer);
    const auto parsed = parse_rtp(std::span(buffer).first(size));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(stats.on_packet(*parsed, t0 + 20ms * i, g711_rate), i > 0);
  }
  EXPECT_EQ(stats.ssrc(), source);
  EXPECT_EQ(stats.extended_highest_sequence(), 502U);
  EXPECT_EQ(stats.received(), 2);
}

TEST(rtp_statistics, nothing_to_report_before_probation_ends) {
  rtp_receive_statistics stats;
  EXPECT_FALSE(stats.valid());
  EXPECT_FALSE(stats.take_report_block(t0));
  EXPECT_FALSE(send(stats, 0));
  EXPECT_FALSE(stats.valid());
  EXPECT_FALSE(stats.take_report_block(t0));
  EXPECT_TRUE(send(stats, 1));
  EXPECT_TRUE(stats.valid());
  EXPECT_TRUE(stats.take_report_block(t0));
}

TEST(rtp_statistics, in_order_stream_loses_nothing) {
  rtp_receive_statistics stats;
  for (std::uint32_t n = 0; n < 50; ++n) {
    // The first packet of a new source is on probation and does not count.
    EXPECT_EQ(send(stats, n, 1000), n > 0) << n;
  }
  EXPECT_EQ(stats.ssrc(), source);
  EXPECT_EQ(stats.received(), 49);
  EXPECT_EQ(stats.expected(), 49);
  EXPECT_EQ(stats.cumulative_lost(), 0);
  const auto block = stats.take_report_block(t0 + 1s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, source);
  EXPECT_EQ(block->fraction_lost, 0);
  EXPECT_EQ(block->cumulative_lost, 0);
  EXPECT_EQ(block->extended_highest_sequence, 1049U);
  EXPECT_EQ(block->jitter, 0U);
  EXPECT_EQ(block->last_sr, 0U);
  EXPECT_EQ(block->delay_since_last_sr, 0U);
}

TEST(rtp_statistics, a_gap_of_five_is_five_lost) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 19);
  send_range(stats, 25, 40);  // 20..24 never arrive
  // Counting starts at the packet that ended probation (sequence 1): 40 expected.
  EXPECT_EQ(stats.expected(), 40);
  EXPECT_EQ(stats.received(), 35);
  EXPECT_EQ(stats.cumulative_lost(), 5);
  auto block = stats.take_report_block(t0 + 1s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->cumulative_lost, 5);
  EXPECT_EQ(block->fraction_lost, 5 * 256 / 40);
  EXPECT_EQ(block->extended_highest_sequence, 40U);

  // The next interval loses nothing: the fraction is per interval, the count is not.
  send_range(stats, 41, 80);
  block = stats.take_report_block(t0 + 2s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->fraction_lost, 0);
  EXPECT_EQ(block->cumulative_lost, 5);

  // Two out of the next forty.
  send_range(stats, 81, 90);
  send_range(stats, 93, 120);
  block = stats.take_report_block(t0 + 3s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->fraction_lost, 2 * 256 / 40);
  EXPECT_EQ(block->cumulative_lost, 7);
}

TEST(rtp_statistics, duplicates_make_the_loss_negative) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 10);
  EXPECT_TRUE(send(stats, 10));
  EXPECT_TRUE(send(stats, 10));
  EXPECT_TRUE(send(stats, 5));
  EXPECT_EQ(stats.expected(), 10);
  EXPECT_EQ(stats.received(), 13);
  EXPECT_EQ(stats.cumulative_lost(), -3);
  const auto block = stats.take_report_block(t0 + 1s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->cumulative_lost, -3);
  EXPECT_EQ(block->fraction_lost, 0);
  EXPECT_EQ(block->extended_highest_sequence, 10U);
}

TEST(rtp_statistics, reordering_is_not_loss) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 10);
  EXPECT_TRUE(send(stats, 12));
  EXPECT_TRUE(send(stats, 11));
  send_range(stats, 13, 20);
  EXPECT_EQ(stats.extended_highest_sequence(), 20U);
  EXPECT_EQ(stats.cumulative_lost(), 0);
  EXPECT_EQ(stats.received(), 20);
}

TEST(rtp_statistics, late_packets_count_up_to_max_misorder) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 50);
  send_range(stats, 52, 150);
  EXPECT_EQ(stats.cumulative_lost(), 1);
  EXPECT_TRUE(send(stats, 51));  // 99 behind
  EXPECT_EQ(stats.cumulative_lost(), 0);
  EXPECT_EQ(stats.extended_highest_sequence(), 150U);

  rtp_receive_statistics other;
  send_range(other, 0, 49);
  send_range(other, 51, 150);
  EXPECT_FALSE(send(other, 50));  // 100 behind: treated as a jump, not counted
  EXPECT_EQ(other.cumulative_lost(), 1);
  EXPECT_EQ(other.extended_highest_sequence(), 150U);
}

TEST(rtp_statistics, sequence_wrap_counts_cycles) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 20, 65530);  // 65530..65535, then 0..14
  EXPECT_EQ(stats.cycles(), 1U);
  EXPECT_EQ(stats.extended_highest_sequence(), 65536U + 14);
  EXPECT_EQ(stats.expected(), 20);
  EXPECT_EQ(stats.cumulative_lost(), 0);
  const auto block = stats.take_report_block(t0 + 1s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->extended_highest_sequence, 0x0001'000eU);
}

TEST(rtp_statistics, long_streams_wrap_more_than_once) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 140'000);
  EXPECT_EQ(stats.cycles(), 2U);
  EXPECT_EQ(stats.extended_highest_sequence(), 140'000U);
  EXPECT_EQ(stats.expected(), 140'000);
  EXPECT_EQ(stats.cumulative_lost(), 0);
}

TEST(rtp_statistics, probation_across_the_wrap) {
  rtp_receive_statistics stats;
  EXPECT_FALSE(send(stats, 0, 65535));
  EXPECT_TRUE(send(stats, 1, 65535));  // sequence 0 follows 65535
  EXPECT_TRUE(stats.valid());
  EXPECT_EQ(stats.extended_highest_sequence(), 0U);
}

TEST(rtp_statistics, probation_restarts_on_a_non_sequential_packet) {
  rtp_receive_statistics stats;
  EXPECT_FALSE(stats.on_packet(source, 100, 0, t0, g711_rate));
  EXPECT_FALSE(stats.on_packet(source, 50, 160, t0 + 20ms, g711_rate));
  EXPECT_TRUE(stats.on_packet(source, 51, 320, t0 + 40ms, g711_rate));
  EXPECT_EQ(stats.extended_highest_sequence(), 51U);
  EXPECT_EQ(stats.expected(), 1);
}

TEST(rtp_statistics, a_large_jump_resyncs_after_two_sequential_packets) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 10);
  send_range(stats, 13, 20);  // two lost before the restart
  EXPECT_EQ(stats.cumulative_lost(), 2);

  EXPECT_FALSE(send(stats, 10'000));
  EXPECT_EQ(stats.extended_highest_sequence(), 20U);
  EXPECT_TRUE(send(stats, 10'001));
  // The source restarted: counting starts again from the second packet after the jump.
  EXPECT_EQ(stats.extended_highest_sequence(), 10'001U);
  EXPECT_EQ(stats.received(), 1);
  EXPECT_EQ(stats.expected(), 1);
  EXPECT_EQ(stats.cumulative_lost(), 0);
  send_range(stats, 10'002, 10'010);
  EXPECT_EQ(stats.expected(), 10);
  EXPECT_EQ(stats.cumulative_lost(), 0);
  const auto block = stats.take_report_block(t0 + 1h);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->fraction_lost, 0);
  EXPECT_EQ(block->extended_highest_sequence, 10'010U);
}

TEST(rtp_statistics, a_single_stray_packet_does_not_resync) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 20);
  EXPECT_FALSE(send(stats, 30'000));
  EXPECT_TRUE(send(stats, 21));
  EXPECT_FALSE(send(stats, 40'000));
  EXPECT_FALSE(send(stats, 30'001));  // the stray's successor no longer matches
  EXPECT_TRUE(send(stats, 22));
  EXPECT_EQ(stats.extended_highest_sequence(), 22U);
  EXPECT_EQ(stats.expected(), 22);
  EXPECT_EQ(stats.cumulative_lost(), 0);
}

TEST(rtp_statistics, a_backward_jump_beyond_misorder_also_resyncs) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 500);
  EXPECT_FALSE(send(stats, 200));
  EXPECT_TRUE(send(stats, 201));
  EXPECT_EQ(stats.extended_highest_sequence(), 201U);
  EXPECT_EQ(stats.expected(), 1);
}

TEST(rtp_statistics, a_new_ssrc_restarts_everything) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 20);
  send_range(stats, 25, 50);
  stats.on_sender_report({1, 2}, t0);
  EXPECT_EQ(stats.cumulative_lost(), 4);

  constexpr std::uint32_t other = 0xb0b;
  EXPECT_FALSE(stats.on_packet(other, 7000, 99, t0 + 2s, g711_rate));
  EXPECT_EQ(stats.ssrc(), other);
  EXPECT_FALSE(stats.valid());
  EXPECT_FALSE(stats.take_report_block(t0 + 2s));
  EXPECT_TRUE(stats.on_packet(other, 7001, 259, t0 + 2s + 20ms, g711_rate));
  EXPECT_EQ(stats.received(), 1);
  EXPECT_EQ(stats.expected(), 1);
  const auto block = stats.take_report_block(t0 + 3s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, other);
  EXPECT_EQ(block->cumulative_lost, 0);
  EXPECT_EQ(block->extended_highest_sequence, 7001U);
  EXPECT_EQ(block->last_sr, 0U);  // that SR came from the old source
}

TEST(rtp_statistics, sender_reports_give_lsr_and_dlsr) {
  rtp_receive_statistics stats;
  send_range(stats, 0, 10);
  stats.on_sender_report({0x0001'2345U, 0x6789'abcdU}, t0 + 1s);
  const auto block = stats.take_report_block(t0 + 2500ms);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->last_sr, 0x2345'6789U);
  EXPECT_EQ(block->delay_since_last_sr, 65536U * 3 / 2);
}

TEST(rtp_statistics, on_time_arrivals_have_no_jitter) {
  rtp_receive_statistics stats;
  for (std::uint32_t n = 0; n < 100; ++n) send(stats, n, 0, 40ms);  // a constant 40 ms late
  EXPECT_NEAR(stats.jitter(), 0, 1e-9);

  // The same across the wrap of the RTP timestamp.
  rtp_receive_statistics wrapping;
  for (std::uint32_t n = 0; n < 100; ++n) {
    wrapping.on_packet(source, static_cast<std::uint16_t>(n), 0xffff'f000U + 160 * n, t0 + 20ms * n,
                       g711_rate);
  }
  EXPECT_NEAR(wrapping.jitter(), 0, 1e-9);
}

TEST(rtp_statistics, jitter_converges_for_alternating_arrivals) {
  // Packets alternately arrive n ms early and n ms late, so every pair of neighbours is 2n ms
  // further apart or closer than sent: |D| = 2n ms, in timestamp units 2n * 8000 / 1000.
  // Each update is J += (|D| - J) / 16, so from J = 0 after k updates J = |D| (1 - (15/16)^k).
  constexpr int n_ms = 3;
  const double d = 2.0 * n_ms * g711_rate / 1000;
  rtp_receive_statistics stats;
  const auto alternate = [&](std::uint32_t i) {
    const auto offset = std::chrono::microseconds((i % 2 == 0 ? -n_ms : n_ms) * 1000);
    send(stats, i, 0, 10ms + offset);
  };
  // Packet 0 is on probation, packet 1 is the first sample, 2..k each update the estimate.
  for (std::uint32_t i = 0; i <= 10; ++i) alternate(i);
  EXPECT_NEAR(stats.jitter(), d * (1 - std::pow(15.0 / 16, 9)), 1e-9);
  for (std::uint32_t i = 11; i <= 400; ++i) alternate(i);
  EXPECT_NEAR(stats.jitter(), d * (1 - std::pow(15.0 / 16, 399)), 1e-9);
  EXPECT_NEAR(stats.jitter(), 48, 1e-6);
  EXPECT_NEAR(stats.jitter_ms(), 2 * n_ms, 1e-6);
  const auto block = stats.take_report_block(t0 + 10s);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->jitter, 48U);
}

TEST(estimate_mos, clean_call_scores_about_4_4) {
  // R = 93.2: 1 + 0.035 * 93.2 + 7e-6 * 93.2 * 33.2 * 6.8.
  EXPECT_NEAR(estimate_mos(0, 2, 20), 4.4093, 1e-4);
  // One-way delay up to 100 ms costs nothing in G.107.
  EXPECT_DOUBLE_EQ(estimate_mos(0, 5, 100), estimate_mos(0, 0, 0));
}

TEST(estimate_mos, falls_with_loss) {
  const double clean = estimate_mos(0, 2, 20);
  const double one_percent = estimate_mos(0.01, 2, 20);
  const double five_percent = estimate_mos(0.05, 2, 20);
  // Ie,eff = 95 * 1 / (1 + 4.3) = 17.92; R = 75.28.
  EXPECT_NEAR(one_percent, 3.8337, 1e-4);
  EXPECT_NEAR(five_percent, 2.1693, 1e-4);
  EXPECT_LT(one_percent, clean);
  EXPECT_LT(five_percent, one_percent);
  // Concealment makes the same loss hurt less: Bpl = 25.1 gives R = 89.56.
  EXPECT_NEAR(estimate_mos(0.01, 2, 20, true), 4.3281, 1e-4);
  EXPECT_DOUBLE_EQ(estimate_mos(1, 0, 0), 1.0);
}

TEST(estimate_mos, falls_with_delay_and_jitter) {
  const double lan = estimate_mos(0, 2, 20);
  const double slow = estimate_mos(0, 0, 400);  // 220 ms one way
  const double satellite = estimate_mos(0, 0, 800);
  EXPECT_NEAR(slow, 4.2854, 1e-4);
  EXPECT_NEAR(satellite, 3.4837, 1e-4);
  EXPECT_LT(slow, lan);
  EXPECT_LT(satellite, slow);
  // Jitter lengthens the delay through the jitter buffer.
  EXPECT_LT(estimate_mos(0, 60, 200), estimate_mos(0, 5, 200));
}

TEST(estimate_mos, garbage_in_stays_in_range) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(estimate_mos(nan, nan, nan), 4.4093, 1e-4);
  EXPECT_NEAR(estimate_mos(-1, -5, -20), 4.4093, 1e-4);
  const double worst = estimate_mos(2, inf, inf);
  EXPECT_GE(worst, 1.0);
  EXPECT_LE(worst, 4.5);
}

}  // namespace
}  // namespace callcenterd::media
