#include "time_text.hpp"

#include <fmt/format.h>

#include <ctime>

namespace callcenterd::app {

std::string iso_utc(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     ms.count() % 1000);
}

namespace {

/// Reads exactly `width` digits at `at`, advancing it.
bool read_digits(std::string_view text, std::size_t& at, std::size_t width, int& out) {
  if (at + width > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  at += width;
  return true;
}

bool expect(std::string_view text, std::size_t& at, char c) {
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso_time(std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!read_digits(text, at, 4, year) || !expect(text, at, '-') ||
      !read_digits(text, at, 2, month) || !expect(text, at, '-') ||
      !read_digits(text, at, 2, day)) {
    return std::nullopt;
  }
  // The clock's nanoseconds end in 2262: years past 2200 (or before 1900) are refused rather
  // than overflowed, and no call center needs them.
  if (year < 1900 || year > 2200) return std::nullopt;
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  microseconds fraction{0};
  minutes offset{0};
  if (at < text.size()) {
    if (text[at] != 'T' && text[at] != ' ') return std::nullopt;
    ++at;
    if (!read_digits(text, at, 2, hour) || !expect(text, at, ':') ||
        !read_digits(text, at, 2, minute)) {
      return std::nullopt;
    }
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!read_digits(text, at, 2, second)) return std::nullopt;
      if (at < text.size() && text[at] == '.') {
        ++at;
        std::int64_t scale = 100000;
        const auto start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          if (scale > 0) fraction += microseconds((text[at] - '0') * scale);
          scale /= 10;
          ++at;
        }
        if (at == start) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (at < text.size()) {
      if (text[at] == 'Z') {
        ++at;
      } else if (text[at] == '+' || text[at] == '-') {
        const int sign = text[at] == '-' ? -1 : 1;
        ++at;
        int oh = 0;
        int om = 0;
        if (!read_digits(text, at, 2, oh)) return std::nullopt;
        if (at < text.size() && text[at] == ':') ++at;
        if (!read_digits(text, at, 2, om) || oh > 23 || om > 59) return std::nullopt;
        offset = minutes(sign * (oh * 60 + om));
      } else {
        return std::nullopt;
      }
    }
  }
  if (at != text.size()) return std::nullopt;
  const auto local = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) + fraction;
  return time_point_cast<system_clock::duration>(local - offset);
}

std::chrono::system_clock::time_point wall_time_of(std::chrono::steady_clock::time_point at) {
  const auto age = std::chrono::steady_clock::now() - at;
  return std::chrono::system_clock::now() -
         std::chrono::duration_cast<std::chrono::system_clock::duration>(age);
}

}  // namespace callcenterd::app
