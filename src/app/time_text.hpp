#pragma once

#include <chrono>
#include <string>

namespace callcenterd::app {

/// `at` as ISO 8601 UTC with milliseconds, e.g. "2026-11-24T07:30:00.125Z": for JSON, and
/// read by PostgreSQL as a timestamptz.
std::string iso_utc(std::chrono::system_clock::time_point at);

/// The wall-clock time of a steady-clock instant (the ACD's clock), as seen now.
std::chrono::system_clock::time_point wall_time_of(std::chrono::steady_clock::time_point at);

}  // namespace callcenterd::app
