#include "queue_announcement.hpp"

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

}  // namespace callcenterd::call::detail
