#include "callcenterd/ivr/calendar.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace callcenterd::ivr {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;
using interval = config::calendar_settings::interval;

constexpr unsigned monday = 0;
constexpr unsigned tuesday = 1;
constexpr unsigned wednesday = 2;
constexpr unsigned sunday = 6;

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  const std::chrono::sys_days day{std::chrono::year(y) / std::chrono::month(mo) /
                                  std::chrono::day(d)};
  return system_clock::time_point(day + std::chrono::hours(h) + std::chrono::minutes(mi) +
                                  std::chrono::seconds(s));
}

std::chrono::year_month_day date(int y, unsigned m, unsigned d) {
  return std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d);
}

interval hours(unsigned weekday, std::chrono::minutes from, std::chrono::minutes to) {
  return interval{weekday, from, to};
}

std::optional<calendar> make(std::string_view zone_name, std::vector<interval> open,
                             std::vector<std::chrono::year_month_day> holidays = {}) {
  auto zone = time_zone::blocking_load(zone_name);
  if (auto* error = std::get_if<std::string>(&zone)) {
    ADD_FAILURE() << *error;
    return std::nullopt;
  }
  config::calendar_settings settings;
  settings.name = "support";
  settings.time_zone = std::string(zone_name);
  settings.open = std::move(open);
  settings.holidays = std::move(holidays);
  return calendar(settings, std::get<time_zone>(std::move(zone)));
}

TEST(calendar, weekday_is_the_local_one) {
  // Monday 09:00-18:00 and Tuesday 00:00-02:00 in Shanghai (UTC+8).
  const auto c = make("Asia/Shanghai", {hours(monday, 9h, 18h), hours(tuesday, 0h, 2h)});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name(), "support");
  EXPECT_EQ(c->zone().name(), "Asia/Shanghai");
  // 2026-01-05 is a Monday.
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 0, 59, 59)), calendar_state::closed);   // Mon 08:59:59
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 1)), calendar_state::open);             // Mon 09:00
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 9, 59, 59)), calendar_state::open);     // Mon 17:59:59
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 10)), calendar_state::closed);          // Mon 18:00
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 15, 59, 59)), calendar_state::closed);  // Mon 23:59:59
  // Still Monday in UTC, already Tuesday in Shanghai.
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 16)), calendar_state::open);          // Tue 00:00
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 17, 59, 59)), calendar_state::open);  // Tue 01:59:59
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 18)), calendar_state::closed);        // Tue 02:00
  // Monday 20:00 UTC is Tuesday 04:00 local: Monday's hours do not apply.
  EXPECT_EQ(c->state_at(utc(2026, 1, 5, 20)), calendar_state::closed);
}

TEST(calendar, hours_may_run_to_midnight) {
  const auto c = make("Asia/Shanghai", {hours(sunday, 20h, 24h)});
  ASSERT_TRUE(c);
  // Sunday 2026-01-11 in Shanghai.
  EXPECT_EQ(c->state_at(utc(2026, 1, 11, 11, 59, 59)), calendar_state::closed);  // 19:59:59
  EXPECT_EQ(c->state_at(utc(2026, 1, 11, 12)), calendar_state::open);            // 20:00
  EXPECT_EQ(c->state_at(utc(2026, 1, 11, 15, 59, 59) + 999ms), calendar_state::open);
  EXPECT_EQ(c->state_at(utc(2026, 1, 11, 16)), calendar_state::closed);  // Monday 00:00
}

TEST(calendar, split_hours_close_for_lunch) {
  const auto c = make("UTC", {hours(wednesday, 9h, 12h), hours(wednesday, 13h, 18h)});
  ASSERT_TRUE(c);
  // 2026-07-01 is a Wednesday.
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 8, 59)), calendar_state::closed);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 9)), calendar_state::open);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 11, 59, 59)), calendar_state::open);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 12)), calendar_state::closed);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 12, 30)), calendar_state::closed);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 13)), calendar_state::open);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 17, 59, 59)), calendar_state::open);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 18)), calendar_state::closed);
  EXPECT_EQ(c->state_at(utc(2026, 7, 2, 10)), calendar_state::closed);  // Thursday
}

TEST(calendar, holidays_go_by_the_local_date_and_win_over_hours) {
  std::vector<interval> all_week;
  for (unsigned day = 0; day < 7; ++day) all_week.push_back(hours(day, 0h, 24h));
  const auto c = make("Asia/Shanghai", all_week, {date(2026, 10, 1), date(2026, 10, 2)});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_at(utc(2026, 9, 30, 15, 59, 59)), calendar_state::open);  // Sep 30 local
  EXPECT_EQ(c->state_at(utc(2026, 9, 30, 16)), calendar_state::holiday);       // Oct 1 00:00
  EXPECT_EQ(c->state_at(utc(2026, 10, 2, 15, 59, 59)), calendar_state::holiday);
  EXPECT_EQ(c->state_at(utc(2026, 10, 2, 16)), calendar_state::open);  // Oct 3 local
}

TEST(calendar, follows_daylight_saving_time) {
  const auto c = make("America/New_York", {hours(wednesday, 9h, 17h)});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 12, 59)), calendar_state::closed);  // 08:59 EDT
  EXPECT_EQ(c->state_at(utc(2026, 7, 1, 13)), calendar_state::open);        // 09:00 EDT
  EXPECT_EQ(c->state_at(utc(2026, 1, 14, 13)), calendar_state::closed);     // 08:00 EST
  EXPECT_EQ(c->state_at(utc(2026, 1, 14, 14)), calendar_state::open);       // 09:00 EST
}

TEST(calendar, without_hours_it_is_closed_or_a_holiday) {
  const auto c = make("Asia/Shanghai", {}, {date(2026, 5, 1)});
  ASSERT_TRUE(c);
  for (int hour = 0; hour < 24; ++hour) {
    EXPECT_EQ(c->state_at(utc(2026, 4, 29, hour)), calendar_state::closed);
  }
  EXPECT_EQ(c->state_at(utc(2026, 5, 1, 3)), calendar_state::holiday);
  const calendar utc_calendar(config::calendar_settings{}, time_zone::utc());
  EXPECT_EQ(utc_calendar.state_at(utc(2026, 5, 1, 3)), calendar_state::closed);
  EXPECT_EQ(utc_calendar.name(), "");
}

}  // namespace
}  // namespace callcenterd::ivr
