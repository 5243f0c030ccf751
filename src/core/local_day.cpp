#include "callcenterd/core/local_day.hpp"

#include <ctime>

namespace callcenterd::core {

namespace {

/// Midnight at the start of the local day `days_after` days after the one of `at`.
std::chrono::system_clock::time_point local_midnight(std::chrono::system_clock::time_point at,
                                                     int days_after) {
  const auto t = std::chrono::system_clock::to_time_t(at);
  std::tm local{};
  localtime_r(&t, &local);
  local.tm_mday += days_after;  // mktime carries it into the next month or year
  local.tm_hour = 0;
  local.tm_min = 0;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  return std::chrono::system_clock::from_time_t(std::mktime(&local));
}

}  // namespace

std::chrono::system_clock::time_point local_midnight_before(
    std::chrono::system_clock::time_point at) {
  return local_midnight(at, 0);
}

std::chrono::system_clock::time_point next_local_midnight(
    std::chrono::system_clock::time_point at) {
  return local_midnight(at, 1);
}

}  // namespace callcenterd::core
