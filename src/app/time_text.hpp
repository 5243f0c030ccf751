#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::app {

/// `at` as ISO 8601 UTC with milliseconds, e.g. "2026-11-24T07:30:00.125Z": for JSON, and
/// read by PostgreSQL as a timestamptz.
std::string iso_utc(std::chrono::system_clock::time_point at);

/// Reads ISO 8601 as clients send it in query strings: a date ("2026-11-24", midnight UTC) or
/// a date and time ("2026-11-24T07:30", seconds and fractions optional) with "Z" or an offset
/// ("+08:00", "+0800"); without either, UTC. Years 1900 to 2200. Nothing else: nullopt.
std::optional<std::chrono::system_clock::time_point> parse_iso_time(std::string_view text);

/// The wall-clock time of a steady-clock instant (the ACD's clock), as seen now.
std::chrono::system_clock::time_point wall_time_of(std::chrono::steady_clock::time_point at);

}  // namespace callcenterd::app
