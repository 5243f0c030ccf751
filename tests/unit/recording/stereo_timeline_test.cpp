#include "callcenterd/recording/stereo_timeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace callcenterd::recording {
namespace {

using clock = stereo_timeline::clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using samples = std::vector<std::int16_t>;

const clock::time_point t0 = clock::time_point{} + std::chrono::hours(1);

clock::time_point at_ms(int ms) { return t0 + milliseconds(ms); }

samples packet(std::int16_t value, std::size_t count = 160) { return samples(count, value); }

// One channel of interleaved frames: 0 the caller, 1 the agent.
samples track(const samples& frames, std::size_t side) {
  samples out;
  for (std::size_t i = side; i < frames.size(); i += 2) out.push_back(frames[i]);
  return out;
}
samples left(const samples& frames) { return track(frames, 0); }
samples right(const samples& frames) { return track(frames, 1); }

// Where `side` holds anything but `value` in [begin, end): -1 when it is all `value`.
long first_not(const samples& side, std::size_t begin, std::size_t end, std::int16_t value) {
  for (std::size_t i = begin; i < end; ++i) {
    if (side.at(i) != value) return static_cast<long>(i);
  }
  return -1;
}

TEST(stereo_timeline, a_gap_on_one_track_is_silence_exactly_there) {
  stereo_timeline timeline(t0);
  samples out;
  for (int ms = 0; ms < 1000; ms += 20) {
    timeline.push(channel::caller, packet(1000), at_ms(ms));
    // 300 ms without the agent's packets: hold, or a lost stream.
    if (ms < 400 || ms >= 700) timeline.push(channel::agent, packet(2000), at_ms(ms));
    timeline.drain(at_ms(ms + 20), out);
  }
  EXPECT_EQ(timeline.frames(), 900U * 8);  // the last 100 ms held back
  timeline.finish(at_ms(1000), out);
  ASSERT_EQ(out.size(), 2U * 8000);
  EXPECT_EQ(timeline.frames(), 8000U);
  const auto caller = left(out);
  const auto agent = right(out);
  EXPECT_EQ(first_not(caller, 0, 8000, 1000), -1);
  EXPECT_EQ(first_not(agent, 0, 3200, 2000), -1);
  EXPECT_EQ(first_not(agent, 3200, 5600, 0), -1);
  EXPECT_EQ(first_not(agent, 5600, 8000, 2000), -1);
  EXPECT_EQ(timeline.stats(channel::agent).padded, 2400U);
  EXPECT_EQ(timeline.stats(channel::caller).padded, 0U);
}

TEST(stereo_timeline, places_a_packet_at_the_sample_of_its_arrival) {
  stereo_timeline timeline(t0);
  samples ramp(160);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::int16_t>(i + 1);
  samples out;
  timeline.push(channel::caller, packet(7), t0 + microseconds(250'000));
  timeline.drain(at_ms(1000), out);
  // 1000.2 ms is 8001.6 samples: the packet starts on sample 8001.
  timeline.push(channel::agent, ramp, t0 + microseconds(1'000'200));
  timeline.finish(at_ms(1100), out);
  ASSERT_EQ(out.size(), 2U * 8800);
  const auto agent = right(out);
  EXPECT_EQ(first_not(agent, 0, 8001, 0), -1);
  EXPECT_TRUE(std::equal(ramp.begin(), ramp.end(), agent.begin() + 8001));
  EXPECT_EQ(first_not(agent, 8161, 8800, 0), -1);
  const auto caller = left(out);
  EXPECT_EQ(first_not(caller, 0, 2000, 0), -1);
  EXPECT_EQ(first_not(caller, 2000, 2160, 7), -1);
  EXPECT_EQ(first_not(caller, 2160, 8800, 0), -1);
}

TEST(stereo_timeline, jitter_within_the_tolerance_leaves_no_gap) {
  stereo_timeline timeline(t0);
  const int jitter_ms[] = {0, 45, 10, 30, 55, 5, 50, 0};
  samples expected;
  samples out;
  clock::time_point arrival = t0;
  for (int k = 0; k < 50; ++k) {
    // Late by up to 55 ms, never before the packet ahead of it.
    arrival = std::max(arrival, at_ms(20 * k + jitter_ms[k % 8]));
    const auto p = packet(static_cast<std::int16_t>(k + 1));
    expected.insert(expected.end(), p.begin(), p.end());
    timeline.push(channel::caller, p, arrival);
    timeline.drain(arrival, out);
  }
  timeline.finish(at_ms(1060), out);
  const auto caller = left(out);
  ASSERT_EQ(caller.size(), 8480U);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), caller.begin()));
  EXPECT_EQ(first_not(caller, 8000, 8480, 0), -1);
  EXPECT_EQ(timeline.stats(channel::caller).padded, 0U);
  EXPECT_EQ(timeline.stats(channel::caller).dropped, 0U);
}

TEST(stereo_timeline, drain_holds_back_the_latency_so_late_packets_still_land) {
  stereo_timeline timeline(t0);
  samples out;
  for (int ms = 0; ms < 200; ms += 20) timeline.push(channel::caller, packet(3), at_ms(ms));
  timeline.drain(at_ms(200), out);
  EXPECT_EQ(out.size(), 2U * 800);
  // The packet for 200 ms comes 50 ms late: still within the tolerance, so it follows on.
  timeline.push(channel::caller, packet(4), at_ms(250));
  timeline.drain(at_ms(260), out);
  EXPECT_EQ(out.size(), 2U * 1280);
  timeline.finish(at_ms(300), out);
  const auto caller = left(out);
  ASSERT_EQ(caller.size(), 2400U);
  EXPECT_EQ(first_not(caller, 0, 1600, 3), -1);
  EXPECT_EQ(first_not(caller, 1600, 1760, 4), -1);
  EXPECT_EQ(first_not(caller, 1760, 2400, 0), -1);
  EXPECT_EQ(first_not(right(out), 0, 2400, 0), -1);
}

TEST(stereo_timeline, a_burst_is_cut_where_it_runs_too_far_ahead) {
  stereo_timeline timeline(t0);
  // Twenty 20 ms packets at once, 100 ms in: the first goes at 100 ms, the rest follow it
  // until the track is 200 ms ahead of real time.
  for (int k = 0; k < 20; ++k) {
    timeline.push(channel::caller, packet(static_cast<std::int16_t>(k + 1)), at_ms(100));
  }
  EXPECT_EQ(timeline.stats(channel::caller).dropped, 9U * 160);
  samples out;
  // The call ends at 200 ms, but what the burst placed up to 320 ms is kept.
  timeline.finish(at_ms(200), out);
  const auto caller = left(out);
  ASSERT_EQ(caller.size(), 2560U);
  EXPECT_EQ(first_not(caller, 0, 800, 0), -1);
  for (std::size_t k = 0; k < 11; ++k) {
    EXPECT_EQ(first_not(caller, 800 + 160 * k, 960 + 160 * k, static_cast<std::int16_t>(k + 1)),
              -1);
  }
}

TEST(stereo_timeline, pause_silences_both_tracks_and_marks_the_interval) {
  stereo_timeline timeline(t0);
  samples out;
  for (int ms = 0; ms < 2000; ms += 20) {
    if (ms == 500) timeline.pause(at_ms(ms));
    if (ms == 1200) timeline.resume(at_ms(ms));
    timeline.push(channel::caller, packet(11), at_ms(ms));
    timeline.push(channel::agent, packet(22), at_ms(ms));
    timeline.drain(at_ms(ms + 10), out);
  }
  EXPECT_FALSE(timeline.paused());
  timeline.finish(at_ms(2000), out);
  ASSERT_EQ(out.size(), 2U * 16000);
  for (const auto& [side, value] : {std::pair{left(out), 11}, std::pair{right(out), 22}}) {
    const auto v = static_cast<std::int16_t>(value);
    EXPECT_EQ(first_not(side, 0, 4000, v), -1);
    EXPECT_EQ(first_not(side, 4000, 9600, 0), -1);
    EXPECT_EQ(first_not(side, 9600, 16000, v), -1);
  }
  EXPECT_EQ(timeline.pauses(),
            (std::vector<pause_interval>{{milliseconds(500), milliseconds(700)}}));
  EXPECT_EQ(timeline.stats(channel::caller).paused, 35U * 160);
}

TEST(stereo_timeline, pause_discards_what_a_burst_had_placed_past_it) {
  stereo_timeline timeline(t0);
  for (int k = 0; k < 5; ++k) timeline.push(channel::caller, packet(5), at_ms(100));  // to 200 ms
  timeline.pause(at_ms(110));
  timeline.push(channel::caller, packet(6), at_ms(120));  // ignored
  timeline.resume(at_ms(150));
  timeline.push(channel::caller, packet(7), at_ms(150));
  samples out;
  timeline.finish(at_ms(200), out);
  const auto caller = left(out);
  ASSERT_EQ(caller.size(), 1600U);
  EXPECT_EQ(first_not(caller, 0, 800, 0), -1);
  EXPECT_EQ(first_not(caller, 800, 880, 5), -1);
  EXPECT_EQ(first_not(caller, 880, 1200, 0), -1);
  EXPECT_EQ(first_not(caller, 1200, 1360, 7), -1);
  EXPECT_EQ(first_not(caller, 1360, 1600, 0), -1);
  EXPECT_EQ(timeline.pauses(),
            (std::vector<pause_interval>{{milliseconds(110), milliseconds(40)}}));
  EXPECT_EQ(timeline.stats(channel::caller).paused, 720U + 160U);
}

TEST(stereo_timeline, a_short_pause_still_keeps_later_audio_out_of_it) {
  stereo_timeline timeline(t0);
  timeline.push(channel::agent, packet(1), at_ms(0));
  timeline.pause(at_ms(20));
  timeline.resume(at_ms(50));                           // shorter than the jitter tolerance
  timeline.push(channel::agent, packet(2), at_ms(30));  // stamped before the resume
  samples out;
  timeline.finish(at_ms(100), out);
  const auto agent = right(out);
  ASSERT_EQ(agent.size(), 800U);
  EXPECT_EQ(first_not(agent, 0, 160, 1), -1);
  EXPECT_EQ(first_not(agent, 160, 400, 0), -1);
  EXPECT_EQ(first_not(agent, 400, 560, 2), -1);
  EXPECT_EQ(first_not(agent, 560, 800, 0), -1);
}

TEST(stereo_timeline, finish_closes_an_open_pause_and_ends_everything) {
  stereo_timeline timeline(t0);
  timeline.resume(at_ms(10));  // not paused: nothing
  timeline.pause(at_ms(100));
  timeline.pause(at_ms(150));  // already paused: nothing
  EXPECT_TRUE(timeline.paused());
  EXPECT_TRUE(timeline.pauses().empty());
  samples out;
  timeline.finish(at_ms(300), out);
  EXPECT_TRUE(timeline.finished());
  EXPECT_EQ(out.size(), 2U * 2400);
  EXPECT_EQ(timeline.pauses(),
            (std::vector<pause_interval>{{milliseconds(100), milliseconds(200)}}));

  timeline.push(channel::caller, packet(1), at_ms(310));
  timeline.drain(at_ms(1000), out);
  timeline.finish(at_ms(1000), out);
  timeline.pause(at_ms(1000));
  EXPECT_EQ(out.size(), 2U * 2400);
  EXPECT_EQ(timeline.pauses().size(), 1U);
}

TEST(stereo_timeline, without_drains_memory_stays_bounded_and_the_excess_is_counted) {
  stereo_timeline timeline(t0, {.buffer = milliseconds(1000)});
  for (int ms = 0; ms < 2000; ms += 20) timeline.push(channel::caller, packet(9), at_ms(ms));
  EXPECT_EQ(timeline.stats(channel::caller).overflowed, 8000U);
  EXPECT_EQ(timeline.stats(channel::caller).received, 16000U);
  samples out;
  timeline.finish(at_ms(2000), out);
  const auto caller = left(out);
  ASSERT_EQ(caller.size(), 16000U);
  EXPECT_EQ(first_not(caller, 0, 8000, 9), -1);
  EXPECT_EQ(first_not(caller, 8000, 16000, 0), -1);
}

TEST(stereo_timeline, the_ring_wraps_many_times_without_losing_alignment) {
  stereo_timeline timeline(t0, {.buffer = milliseconds(300)});
  samples out;
  for (int ms = 0; ms < 10'000; ms += 20) {
    timeline.push(channel::caller, packet(static_cast<std::int16_t>(ms / 20)), at_ms(ms));
    timeline.push(channel::agent, packet(static_cast<std::int16_t>(-ms / 20)), at_ms(ms));
    timeline.drain(at_ms(ms + 20), out);
  }
  timeline.finish(at_ms(10'000), out);
  ASSERT_EQ(out.size(), 2U * 80'000);
  for (std::size_t i = 0; i < 80'000; ++i) {
    const auto k = static_cast<std::int16_t>(i / 160);
    ASSERT_EQ(out[2 * i], k) << i;
    ASSERT_EQ(out[2 * i + 1], -k) << i;
  }
  EXPECT_EQ(timeline.stats(channel::caller).overflowed, 0U);
}

}  // namespace
}  // namespace callcenterd::recording
