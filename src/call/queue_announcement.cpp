#include "queue_announcement.hpp"

#include <algorithm>

#include "callcenterd/media/spoken_text.hpp"

namespace callcenterd::call::detail {

namespace {

using media::speech_language;

std::string position_sentence(unsigned position, speech_language language) {
  if (language == speech_language::mandarin) {
    if (position <= 1) return "您是下一位。";
    return "您前面还有" +
           media::spoken_number(position - 1, language, media::number_form::counting) + "位客户。";
  }
  if (position <= 1) return "You are next in line.";
  return "You are caller number " + std::to_string(position) + ".";
}

std::string wait_sentence(std::chrono::seconds ewt, speech_language language) {
  if (ewt < std::chrono::minutes(1)) {
    return language == speech_language::mandarin ? "预计等待不到一分钟。"
                                                 : "Your wait should be less than a minute.";
  }
  // Rounded up: a caller told two minutes who waits three feels lied to.
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(ewt);
  const auto said = media::spoken_duration(minutes, language);
  if (language == speech_language::mandarin) return "预计等待约" + said + "。";
  return "Your estimated wait is about " + said + ".";
}

}  // namespace

std::string queue_announcement(const queue_place& place, const queue_treatment& treatment) {
  std::string text;
  const bool mandarin = treatment.language == speech_language::mandarin;
  const auto add = [&](const std::string& sentence) {
    if (!text.empty() && !mandarin) text += ' ';
    text += sentence;
  };
  if (treatment.announce_position && place.position > 0) {
    add(position_sentence(place.position, treatment.language));
  }
  if (treatment.announce_wait && place.ewt && place.ewt->count() > 0) {
    add(wait_sentence(*place.ewt, treatment.language));
  }
  return text;
}

std::string fill_fields(std::string_view text,
                        const std::function<std::string(std::string_view name)>& value_of) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find('{', i);
    const auto close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text.substr(i);  // the config check refuses this; said as written all the same
      break;
    }
    out += text.substr(i, open - i);
    out += value_of(text.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  return out;
}

media::speech_language spoken_language_of(std::string_view text) {
  const bool beyond_ascii = std::any_of(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  return beyond_ascii ? speech_language::mandarin : speech_language::english;
}

}  // namespace callcenterd::call::detail
