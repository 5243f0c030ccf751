#include "callcenterd/media/spoken_text.hpp"

#include <algorithm>
#include <array>

namespace callcenterd::media {
namespace {

constexpr std::array<std::string_view, 10> chinese_digits{"零", "一", "二", "三", "四",
                                                          "五", "六", "七", "八", "九"};
constexpr std::array<std::string_view, 10> english_digits{"zero", "one", "two",   "three", "four",
                                                          "five", "six", "seven", "eight", "nine"};

constexpr std::uint64_t wan = 10'000;
constexpr std::uint64_t yi = 100'000'000;

// 1 to 9999 with its places: 一千零一, 一百一十, 三十. Zeros between digits collapse into one
// 零; trailing zeros are not read.
std::string chinese_section(std::uint64_t value) {
  constexpr std::array<std::string_view, 4> places{"千", "百", "十", ""};
  std::string out;
  bool zero_pending = false;
  std::uint64_t divisor = 1000;
  for (const auto place : places) {
    const auto digit = value / divisor % 10;
    divisor /= 10;
    if (digit == 0) {
      zero_pending = !out.empty();
      continue;
    }
    if (zero_pending) out += chinese_digits[0];
    zero_pending = false;
    out += chinese_digits[digit];
    out += place;
  }
  return out;
}

// Any positive value, in sections of 万 and 亿; a section that does not fill its places (the
// 0003 of 1,0003) is announced by 零.
std::string chinese_positive(std::uint64_t value) {
  if (value >= yi) {
    const auto low = value % yi;
    std::string out = chinese_positive(value / yi) + "亿";
    if (low == 0) return out;
    if (low < yi / 10) out += chinese_digits[0];
    return out + chinese_positive(low);
  }
  if (value >= wan) {
    const auto low = value % wan;
    std::string out = chinese_section(value / wan) + "万";
    if (low == 0) return out;
    if (low < wan / 10) out += chinese_digits[0];
    return out + chinese_section(low);
  }
  return chinese_section(value);
}

std::string chinese_number(std::int64_t value, number_form form) {
  if (value == 0) return std::string(chinese_digits[0]);
  // Unsigned, so that the most negative value has a magnitude too.
  const std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string out = chinese_positive(magnitude);
  const std::string_view text = out;
  if (text.starts_with("一十")) {
    out.erase(0, chinese_digits[1].size());  // 十五, 十万: the leading 一 is not said
  } else if (form == number_form::counting && value > 0 && text.starts_with("二") &&
             !text.substr(chinese_digits[2].size()).starts_with("十")) {
    out.replace(0, chinese_digits[2].size(), "两");  // 两位, 两百, 两万; but 二十
  }
  return value < 0 ? "负" + out : out;
}

std::string english_unit(std::int64_t count, std::string_view unit) {
  std::string out = std::to_string(count);
  out += ' ';
  out += unit;
  if (count != 1) out += 's';
  return out;
}

std::string english_duration(std::int64_t hours, std::int64_t minutes, std::int64_t seconds) {
  std::string out;
  const auto add = [&out](std::int64_t count, std::string_view unit) {
    if (!out.empty()) out += ' ';
    out += english_unit(count, unit);
  };
  if (hours > 0) add(hours, "hour");
  if (minutes > 0) add(minutes, "minute");
  if (seconds > 0 || out.empty()) add(seconds, "second");
  return out;
}

std::string mandarin_duration(std::int64_t hours, std::int64_t minutes, std::int64_t seconds) {
  const auto count = [](std::int64_t n) { return chinese_number(n, number_form::counting); };
  std::string out;
  if (hours > 0) out += count(hours) + "小时";
  if (minutes > 0) {
    // 两分钟 on its own, but 两分三十秒 when seconds follow.
    out += count(minutes) + (seconds > 0 ? "分" : "分钟");
  }
  if (seconds > 0 || out.empty()) out += count(seconds) + "秒";
  return out;
}

}  // namespace

std::string spoken_number(std::int64_t value, speech_language language, number_form form) {
  if (language == speech_language::mandarin) return chinese_number(value, form);
  return std::to_string(value);
}

std::string spoken_digits(std::string_view digits, speech_language language) {
  const bool mandarin = language == speech_language::mandarin;
  std::string out;
  for (const char c : digits) {
    std::string_view word;
    if (c >= '0' && c <= '9') {
      const auto digit = static_cast<std::size_t>(c - '0');
      word = mandarin ? chinese_digits[digit] : english_digits[digit];
    } else if (c == '*') {
      word = mandarin ? "星号" : "star";
    } else if (c == '#') {
      word = mandarin ? "井号" : "hash";
    } else if (c == '+') {
      word = mandarin ? "加" : "plus";
    } else {
      continue;
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string spoken_duration(std::chrono::seconds duration, speech_language language) {
  const std::int64_t total = std::max<std::int64_t>(0, duration.count());
  std::int64_t hours = 0;
  std::int64_t minutes = 0;
  std::int64_t seconds = 0;
  constexpr std::int64_t ten_minutes = 600;
  if (total < ten_minutes) {
    minutes = total / 60;
    seconds = total % 60;
  } else {
    // Past ten minutes nobody wants the seconds: round to the nearest minute.
    const std::int64_t rounded = total / 60 + (total % 60 >= 30 ? 1 : 0);
    hours = rounded / 60;
    minutes = rounded % 60;
  }
  return language == speech_language::mandarin ? mandarin_duration(hours, minutes, seconds)
                                               : english_duration(hours, minutes, seconds);
}

}  // namespace callcenterd::media
