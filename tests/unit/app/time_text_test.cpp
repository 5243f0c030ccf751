#include "time_text.hpp"

#include <gtest/gtest.h>

namespace callcenterd::app {
namespace {

using std::chrono::system_clock;

TEST(parse_iso_time, reads_dates_times_fractions_and_offsets) {
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24")), "2026-11-24T00:00:00.000Z");
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24T07:30")), "2026-11-24T07:30:00.000Z");
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24T07:30:05.125Z")), "2026-11-24T07:30:05.125Z");
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24T08:00:00+08:00")), "2026-11-24T00:00:00.000Z");
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24T00:30:00-0130")), "2026-11-24T02:00:00.000Z");
  EXPECT_EQ(iso_utc(*parse_iso_time("2026-11-24 07:30:00")), "2026-11-24T07:30:00.000Z");
}

TEST(parse_iso_time, round_trips_what_iso_utc_writes) {
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(system_clock::now());
  EXPECT_EQ(parse_iso_time(iso_utc(now)), now);
}

TEST(parse_iso_time, refuses_anything_else) {
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-24T25:00", "2026-11-24T07",
        "2026-11-24T07:30:00.", "2026-11-24T07:30Zjunk", "2026-11-24T07:30+8", "26-11-24",
        "2999-01-01", "1800-01-01", "2026-11-24T07:30:00+24:00"}) {
    EXPECT_FALSE(parse_iso_time(bad)) << bad;
  }
}

}  // namespace
}  // namespace callcenterd::app
