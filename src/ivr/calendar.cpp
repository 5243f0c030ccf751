// Calendars: the instant to a local date and minute in the zone, then holidays before hours.
#include "callcenterd/ivr/calendar.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace callcenterd::ivr {

calendar::calendar(const config::calendar_settings& settings, time_zone zone)
    : name_(settings.name), zone_(std::move(zone)) {
  for (const auto& interval : settings.open) {
    // The flow file reader keeps weekdays in 0…6 and from < to <= 24:00.
    assert(interval.weekday < open_.size());
    if (interval.weekday >= open_.size() || interval.from >= interval.to) continue;
    open_[interval.weekday].push_back(span{interval.from, interval.to});
  }
  for (const auto& date : settings.holidays) {
    if (date.ok()) holidays_.emplace_back(date);
  }
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
}

calendar_state calendar::state_at(std::chrono::system_clock::time_point when) const {
  using namespace std::chrono;
  const local_seconds local = zone_.to_local(when);
  const local_days date = floor<days>(local);
  if (std::binary_search(holidays_.begin(), holidays_.end(), date)) {
    return calendar_state::holiday;
  }
  const auto minute = floor<minutes>(local - date);
  // iso_encoding(): Monday 1 … Sunday 7.
  const auto& spans = open_[weekday(date).iso_encoding() - 1];
  const bool open = std::any_of(spans.begin(), spans.end(),
                                [&](const span& s) { return s.from <= minute && minute < s.to; });
  return open ? calendar_state::open : calendar_state::closed;
}

}  // namespace callcenterd::ivr
