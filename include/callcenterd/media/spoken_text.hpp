#pragma once

// The words for numbers, digit strings and durations, in the language of the prompt, built as
// text that the speech synthesizer reads the intended way: flows and queue announcements put
// them into sentences such as "you are caller number 3, about 2 minutes" or
// "您前面还有三位客户，预计等待两分钟". Pure functions; any thread.
//
// English numbers stay in digits: espeak-ng reads them well ("1001" as "one thousand and
// one"). Mandarin ones are written in Chinese numerals, because espeak-ng 1.51 groups Arabic
// numerals by thousands as English does and reads "12345" as 十二千三百四十五 and "1001" as
// 一千一 (which means 1100).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "callcenterd/media/speech.hpp"

namespace callcenterd::media {

/// How a number is used in the sentence; only Mandarin tells the two apart.
enum class number_form : std::uint8_t {
  /// A number on its own: 二, 二百.
  plain,
  /// A quantity before a measure word: 两 (两位客户), 两百, 两千, 两万; but 二十.
  counting,
};

/// `value` as text to speak: "1001" or "-5" in English, 一千零一 or 负五 in Mandarin (with 零
/// for skipped places, 十 rather than 一十 at the start, and sections of 万 and 亿). Any thread.
std::string spoken_number(std::int64_t value, speech_language language,
                          number_form form = number_form::plain);

/// `digits` read one by one, as for a phone or account number: "one zero zero one" in English,
/// "一 零 零 一" in Mandarin. '*' is read as "star" / 星号, '#' as "hash" / 井号, '+' as
/// "plus" / 加; anything else (spaces, dashes, brackets) is skipped. Any thread.
std::string spoken_digits(std::string_view digits, speech_language language);

/// `duration` as a listener wants to hear it, rounded as its size warrants: exact seconds under
/// a minute ("45 seconds", 四十五秒); minutes and seconds under ten minutes ("1 minute 30
/// seconds", 一分三十秒; "2 minutes", 两分钟); whole minutes under an hour ("12 minutes"); and
/// hours with whole minutes beyond ("1 hour 5 minutes", 一小时五分钟; "2 hours", 两小时).
/// Negative durations are read as zero ("0 seconds", 零秒). Any thread.
std::string spoken_duration(std::chrono::seconds duration, speech_language language);

}  // namespace callcenterd::media
