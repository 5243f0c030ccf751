#include "callcenterd/media/frame_clock.hpp"

#include <gtest/gtest.h>

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;
const frame_clock::clock::time_point t0 = frame_clock::clock::time_point{} + 1000s;

TEST(frame_clock, frames_fall_due_on_the_grid_from_the_start) {
  frame_clock clock(t0, 20ms);
  EXPECT_EQ(clock.next_deadline(), t0);
  EXPECT_EQ(clock.due(t0 - 1ms), 0U);
  EXPECT_EQ(clock.due(t0), 1U);
  EXPECT_EQ(clock.next_deadline(), t0 + 20ms);
  EXPECT_EQ(clock.due(t0 + 19ms), 0U);  // early: nothing yet
  EXPECT_EQ(clock.due(t0 + 20ms), 1U);
}

TEST(frame_clock, late_wake_ups_do_not_drift) {
  // Every wake-up 3 ms late: still one frame each, and after an hour the next deadline is
  // exactly on the grid, not an hour of 3 ms delays later.
  frame_clock clock(t0, 20ms);
  const std::uint64_t frames = 3600 * 50;
  for (std::uint64_t i = 0; i < frames; ++i) {
    ASSERT_EQ(clock.due(clock.next_deadline() + 3ms), 1U) << i;
  }
  EXPECT_EQ(clock.frames(), frames);
  EXPECT_EQ(clock.next_deadline(), t0 + 1h);
  EXPECT_EQ(clock.skipped(), 0U);
}

TEST(frame_clock, a_short_stall_is_made_up_in_a_burst) {
  frame_clock clock(t0, 20ms);
  clock.due(t0);
  EXPECT_EQ(clock.due(t0 + 45ms), 2U);  // the frames due at 20 and 40 ms
  EXPECT_EQ(clock.next_deadline(), t0 + 60ms);
  EXPECT_EQ(clock.skipped(), 0U);
}

TEST(frame_clock, a_long_stall_skips_what_would_arrive_too_late) {
  frame_clock clock(t0, 20ms, 3);
  clock.due(t0);
  EXPECT_EQ(clock.due(t0 + 1s), 3U);  // 50 frames behind: 3 sent, 47 skipped
  EXPECT_EQ(clock.skipped(), 47U);
  EXPECT_EQ(clock.frames(), 51U);  // the grid (and the RTP timestamp) moved past them all
  EXPECT_EQ(clock.next_deadline(), t0 + 1020ms);
  EXPECT_EQ(clock.due(t0 + 1020ms), 1U);
}

}  // namespace
}  // namespace callcenterd::media
