#pragma once

#include <chrono>

namespace callcenterd::core {

/// "Today" is the site's day: its bounds as the machine's time zone has them (DST included).

/// The local midnight at or before `at`: when the day of `at` began.
std::chrono::system_clock::time_point local_midnight_before(
    std::chrono::system_clock::time_point at);

/// The local midnight after `at`: when the next day begins.
std::chrono::system_clock::time_point next_local_midnight(std::chrono::system_clock::time_point at);

}  // namespace callcenterd::core
