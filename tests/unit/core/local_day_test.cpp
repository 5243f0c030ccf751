#include "callcenterd/core/local_day.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace callcenterd::core {
namespace {

int seconds_into_local_day(std::chrono::system_clock::time_point at) {
  const auto t = std::chrono::system_clock::to_time_t(at);
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec;
}

TEST(local_day, today_begins_at_the_midnight_before_and_ends_at_the_next) {
  const auto now = std::chrono::system_clock::now();
  const auto began = local_midnight_before(now);
  const auto ends = next_local_midnight(now);
  EXPECT_LE(began, now);
  EXPECT_GT(ends, now);
  EXPECT_EQ(seconds_into_local_day(began), 0);
  EXPECT_EQ(seconds_into_local_day(ends), 0);
  // 23 to 25 hours: a day with a DST change is shorter or longer.
  EXPECT_GE(ends - began, std::chrono::hours(23));
  EXPECT_LE(ends - began, std::chrono::hours(25));
  EXPECT_EQ(local_midnight_before(ends), ends);  // a midnight is its own day's start
}

}  // namespace
}  // namespace callcenterd::core
