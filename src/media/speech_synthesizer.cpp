#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <mutex>
#include <new>
#include <optional>

#include "callcenterd/media/speech.hpp"
#include "resampler.hpp"

namespace callcenterd::media {
namespace {

class speech_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.speech"; }

  std::string message(int value) const override {
    switch (static_cast<speech_errc>(value)) {
      case speech_errc::empty_text:
        return "the text to speak is empty";
      case speech_errc::text_too_long:
        return "the text to speak is longer than 4096 bytes";
      case speech_errc::invalid_text:
        return "the text to speak is not valid UTF-8 or holds control characters";
      case speech_errc::engine_unavailable:
        return "espeak-ng could not be initialised (is espeak-ng-data installed?)";
      case speech_errc::voice_missing:
        return "the espeak-ng voice for the language is missing or does not work";
      case speech_errc::synthesis_failed:
        return "espeak-ng failed to render the text";
      case speech_errc::no_speech:
        return "the text renders to no audible speech";
      case speech_errc::audio_too_long:
        return "the text renders to more audio than a prompt may hold";
      case speech_errc::stopped:
        return "the speech service was stopped";
    }
    return "unknown speech error";
  }
};

// How each language is spoken. espeak-ng's default of 175 words a minute is brisk over a
// narrow-band line; IVR prompts are usually recorded at about 150. espeak-ng's Mandarin at the
// same setting comes out near three syllables a second, slower than a Mandarin announcer, so
// it gets a little more.
struct voice {
  const char* name;
  int words_per_minute;
};

constexpr voice english_voice{"en", 150};
constexpr voice mandarin_voice{"cmn-latn-pinyin", 170};

// espeak-ng at full volume peaks at full scale; a little headroom keeps the resampler's
// ripple and G.711's top segment from clipping.
constexpr int espeak_volume = 85;

// Samples within this of zero are silence: text made only of punctuation renders a short
// pause, which is no prompt.
constexpr int silence_threshold = 64;

const voice& voice_of(speech_language language) {
  return language == speech_language::mandarin ? mandarin_voice : english_voice;
}

// espeak-ng is one state per process; all of it is behind this lock.
struct engine_state {
  std::mutex mutex;
  bool initialise_tried = false;
  std::uint32_t sample_rate = 0;         // 0 when espeak_Initialize failed
  std::optional<speech_language> voice;  // the voice espeak-ng has selected now
};

engine_state& engine() {
  static engine_state state;
  return state;
}

// Where the synth callback puts samples; espeak hands our pointer back as user_data.
struct sample_sink {
  std::vector<std::int16_t> samples;
  std::size_t limit = 0;
  bool overflowed = false;
};

int collect_samples(short* wav, int count, espeak_EVENT* events) {
  auto* sink = events != nullptr ? static_cast<sample_sink*>(events->user_data) : nullptr;
  if (sink == nullptr) return 1;  // not one of our calls: stop it
  if (wav == nullptr || count <= 0) return 0;
  const auto n = static_cast<std::size_t>(count);
  if (sink->samples.size() + n > sink->limit) {
    sink->overflowed = true;
    return 1;
  }
  // No exception may cross espeak's C frames.
  try {
    sink->samples.insert(sink->samples.end(), wav, wav + n);
  } catch (const std::bad_alloc&) {
    sink->overflowed = true;
    return 1;
  }
  return 0;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) without control
// characters other than tab, line feed and carriage return. espeak-ng copes with bad bytes,
// but an operator is better told that the text is broken than hear what espeak made of it;
// and espeak-ng would read some control characters as its own embedded commands.
bool is_clean_utf8(std::string_view text) {
  // The smallest code point that needs each length; below it the form is overlong.
  constexpr std::array<std::uint32_t, 5> shortest{0, 0, 0x80, 0x800, 0x10000};
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned lead = *p;
    if (lead < 0x80) {
      if ((lead < 0x20 && !is_space(static_cast<char>(lead))) || lead == 0x7F) return false;
      ++p;
      continue;
    }
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
    } else {
      return false;  // a continuation byte, or a lead that can only start an overlong form
    }
    std::uint32_t code = lead & (0x7FU >> length);
    if (static_cast<std::size_t>(end - p) < length) return false;
    for (std::size_t i = 1; i < length; ++i) {
      if ((p[i] & 0xC0U) != 0x80U) return false;
      code = (code << 6U) | (p[i] & 0x3FU);
    }
    if (code < shortest[length] || code > 0x10FFFF) return false;
    if (code >= 0xD800 && code <= 0xDFFF) return false;  // UTF-16 surrogates
    if (code >= 0x80 && code <= 0x9F) return false;      // C1 controls
    p += length;
  }
  return true;
}

boost::system::error_code check_text(std::string_view text) {
  if (text.size() > speech_max_text_bytes) return speech_errc::text_too_long;
  if (!is_clean_utf8(text)) return speech_errc::invalid_text;
  if (std::all_of(text.begin(), text.end(), is_space)) return speech_errc::empty_text;
  return {};
}

// With the engine lock held.
boost::system::error_code select_voice(engine_state& state, speech_language language) {
  if (state.voice == language) return {};
  state.voice.reset();
  const auto& wanted = voice_of(language);
  if (espeak_SetVoiceByName(wanted.name) != EE_OK) return speech_errc::voice_missing;
  espeak_SetParameter(espeakRATE, wanted.words_per_minute, 0);
  espeak_SetParameter(espeakVOLUME, espeak_volume, 0);
  state.voice = language;
  return {};
}

// With the engine lock held and the voice selected. `text` must be NUL-terminated.
std::string phonemes_of(const std::string& text) {
  std::string out;
  const void* cursor = text.c_str();
  while (cursor != nullptr) {
    const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
    if (clause == nullptr) break;
    if (!out.empty()) out += '\n';
    out += clause;
  }
  return out;
}

}  // namespace

const boost::system::error_category& speech_category() noexcept {
  static const speech_category_impl category;
  return category;
}

boost::system::error_code make_error_code(speech_errc e) noexcept {
  return {static_cast<int>(e), speech_category()};
}

std::optional<speech_language> parse_speech_language(std::string_view name) noexcept {
  std::string lower(name.size(), '\0');
  std::transform(name.begin(), name.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (lower == "en" || lower == "english") return speech_language::english;
  if (lower == "zh" || lower == "cmn" || lower == "mandarin") return speech_language::mandarin;
  return std::nullopt;
}

boost::system::result<std::unique_ptr<speech_synthesizer>> speech_synthesizer::create() {
  auto& state = engine();
  std::lock_guard lock(state.mutex);
  if (!state.initialise_tried) {
    state.initialise_tried = true;
    // DONT_EXIT: without it espeak-ng calls exit(1) when its data is missing. It then
    // reports the problem on stderr and returns 0 instead of the sample rate.
    const int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate > 0) {
      state.sample_rate = static_cast<std::uint32_t>(rate);
      espeak_SetSynthCallback(&collect_samples);
    }
  }
  if (state.sample_rate == 0) return speech_errc::engine_unavailable;
  for (const auto language : {speech_language::english, speech_language::mandarin}) {
    if (const auto error = select_voice(state, language)) return error;
  }
  // A Mandarin voice that reads 一 through English is the 1.51 "cmn" defect (see the header).
  const auto check = phonemes_of("一");
  if (check.empty() || check.find("(en)") != std::string::npos) {
    return speech_errc::voice_missing;
  }
  return std::unique_ptr<speech_synthesizer>(new speech_synthesizer(state.sample_rate));
}

boost::system::result<std::vector<std::int16_t>> speech_synthesizer::blocking_render(
    std::string_view utf8_text, speech_language language) {
  if (const auto error = check_text(utf8_text)) return error;
  const std::string text(utf8_text);  // espeak-ng wants it NUL-terminated
  sample_sink sink;
  sink.limit = static_cast<std::size_t>(speech_max_audio.count()) * engine_rate_;
  {
    auto& state = engine();
    std::lock_guard lock(state.mutex);
    if (const auto error = select_voice(state, language)) return error;
    const auto status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                     espeakCHARS_UTF8, nullptr, &sink);
    if (sink.overflowed) return speech_errc::audio_too_long;
    if (status != EE_OK) return speech_errc::synthesis_failed;
  }
  const bool audible = std::any_of(sink.samples.begin(), sink.samples.end(),
                                   [](std::int16_t s) { return std::abs(s) > silence_threshold; });
  if (!audible) return speech_errc::no_speech;
  return resample_to_8000(sink.samples, engine_rate_);
}

boost::system::result<std::string> speech_synthesizer::blocking_phonemes(std::string_view utf8_text,
                                                                         speech_language language) {
  if (const auto error = check_text(utf8_text)) return error;
  const std::string text(utf8_text);
  auto& state = engine();
  std::lock_guard lock(state.mutex);
  if (const auto error = select_voice(state, language)) return error;
  return phonemes_of(text);
}

}  // namespace callcenterd::media
