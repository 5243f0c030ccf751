#pragma once

// Text-to-speech for prompts: queue announcements and flow prompts whose words are only known
// at run time. espeak-ng renders in-process (no subprocess) at its own rate; we band-limit and
// resample to the 8 kHz the media engine plays, and keep what was rendered in a bounded cache
// as shared prompts, so that "you are caller number 3" is rendered once, not once per caller.
//
// espeak-ng keeps its state in process globals and is not thread-safe: every use goes through
// one process-wide lock, and rendering blocks (a sentence costs tens of milliseconds). It
// therefore runs on the speech_service's own thread, never on an io_context thread.

#include <atomic>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "callcenterd/media/prompt.hpp"

namespace callcenterd::media {

/// The languages prompts can be spoken in.
enum class speech_language : std::uint8_t { english, mandarin };

/// "en" or "english" is English; "zh", "cmn" or "mandarin" is Mandarin. Letter case is
/// ignored; anything else is nullopt. For configuration and flow files. Any thread.
std::optional<speech_language> parse_speech_language(std::string_view name) noexcept;

/// Why text could not be spoken.
enum class speech_errc : std::uint8_t {
  empty_text = 1,      ///< nothing but white space
  text_too_long,       ///< over speech_max_text_bytes
  invalid_text,        ///< not UTF-8, or holds control characters other than tab and newline
  engine_unavailable,  ///< espeak-ng could not be initialised (is espeak-ng-data installed?)
  voice_missing,       ///< the voice of a language is not installed, or does not work
  synthesis_failed,    ///< espeak-ng refused the text
  no_speech,           ///< the text rendered to no audio (only punctuation, say)
  audio_too_long,      ///< the audio would pass speech_max_audio
  stopped,             ///< the speech_service was stopped before the text was rendered
};

/// The category of speech_errc. Any thread.
const boost::system::error_category& speech_category() noexcept;

/// Wraps a speech_errc in an error_code of speech_category(). Any thread.
boost::system::error_code make_error_code(speech_errc e) noexcept;

/// The longest text accepted, in bytes of UTF-8: a paragraph, a few minutes of speech.
inline constexpr std::size_t speech_max_text_bytes = 4096;

/// Rendering stops with audio_too_long past this much audio, whatever the text.
inline constexpr std::chrono::seconds speech_max_audio{600};

/// The espeak-ng engine. espeak-ng has one state per process, so every instance shares it:
/// it is initialised by the first create() and stays for the life of the process, and a
/// process-wide lock serialises every call into it. One instance per process is enough.
///
/// The English voice is espeak-ng's "en" (British English). The Mandarin voice is
/// "cmn-latn-pinyin": in espeak-ng 1.51 the plain "cmn" voice reads Chinese characters
/// through English (您 comes out as "nin two"); this one reads them in Mandarin and still
/// reads Latin words as English.
class speech_synthesizer {
 public:
  /// Initialises espeak-ng (once per process) and checks that both voices are installed and
  /// that the Mandarin one reads characters in Mandarin. Blocks for a few milliseconds; any
  /// thread but an io_context one.
  static boost::system::result<std::unique_ptr<speech_synthesizer>> create();

  speech_synthesizer(const speech_synthesizer&) = delete;
  speech_synthesizer& operator=(const speech_synthesizer&) = delete;
  ~speech_synthesizer() = default;

  /// Blocking: renders `utf8_text` in `language` as 8 kHz mono 16-bit samples, at a rate a
  /// caller on a telephone follows. Speaks the text as written: no SSML, no phoneme input.
  /// Errors: empty_text, text_too_long, invalid_text, voice_missing, synthesis_failed,
  /// no_speech, audio_too_long. Takes tens of milliseconds for a sentence and a few seconds for
  /// the longest text. Any thread but an io_context one; calls from several threads take turns.
  boost::system::result<std::vector<std::int16_t>> blocking_render(std::string_view utf8_text,
                                                                   speech_language language);

  /// Blocking: what espeak-ng would say for `utf8_text`, in its ASCII phoneme mnemonics, one
  /// clause per line; "(en)" marks a switch to English. For checking a pronunciation without
  /// listening. Same errors and threads as blocking_render().
  boost::system::result<std::string> blocking_phonemes(std::string_view utf8_text,
                                                       speech_language language);

  /// The rate espeak-ng renders at before resampling (22050 Hz with the stock voices).
  [[nodiscard]] std::uint32_t engine_sample_rate() const noexcept { return engine_rate_; }

 private:
  explicit speech_synthesizer(std::uint32_t engine_rate) : engine_rate_(engine_rate) {}

  std::uint32_t engine_rate_;
};

/// Settings of a speech_service.
struct speech_settings {
  /// The cache holds rendered prompts up to this many samples in total (each costs two bytes
  /// a sample, one per G.711 law); least recently used prompts go first. The default is ten
  /// minutes of audio, under 10 MB. A prompt larger than the whole cache is not cached.
  std::size_t cache_max_samples = std::size_t{8000} * 60 * 10;
};

/// Counters for /metrics. Written by the service; read from any thread.
struct speech_stats {
  std::atomic<std::uint64_t> cache_hits{0};      ///< requests answered from the cache
  std::atomic<std::uint64_t> cache_misses{0};    ///< texts that had to be rendered
  std::atomic<std::uint64_t> renders_failed{0};  ///< renders that ended in an error
  std::atomic<std::uint64_t> cached_samples{0};  ///< samples in the cache now
  std::atomic<std::uint64_t> cached_prompts{0};  ///< prompts in the cache now
};

/// Renders prompts on its own thread and caches them. Thread-safe: every member may be
/// called from any thread or strand, except where noted.
class speech_service {
 public:
  /// What render() hands back: the prompt, or why there is none.
  using render_handler = std::function<void(boost::system::result<std::shared_ptr<const prompt>>)>;

  /// Starts the worker thread. `synthesizer` must outlive the service.
  explicit speech_service(speech_synthesizer& synthesizer, const speech_settings& settings = {});
  speech_service(const speech_service&) = delete;
  speech_service& operator=(const speech_service&) = delete;
  /// Calls stop().
  ~speech_service();

  /// Queues `text` and calls `done` on the service's worker thread with the prompt, from the
  /// cache when it holds (language, text) and freshly rendered otherwise. `done` must be quick
  /// and must not throw: post the result to your own strand. Requests run in order, one at a
  /// time. After stop(), `done` is called at once, on the calling thread, with
  /// speech_errc::stopped.
  void render(std::string text, speech_language language, render_handler done);

  /// The cached prompt for (language, text), or nullptr; marks it recently used. Does not
  /// render: a flow may try this on its own strand first and fall back to render().
  [[nodiscard]] std::shared_ptr<const prompt> cached(std::string_view text,
                                                     speech_language language) const;

  /// Lets a render in progress finish, calls `done` of every queued request with
  /// speech_errc::stopped (on the worker thread), and joins the thread. Idempotent. Any
  /// thread except the worker itself (never from inside `done`).
  void stop();

  [[nodiscard]] const speech_stats& stats() const noexcept;
  [[nodiscard]] const speech_settings& settings() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace callcenterd::media

template <>
struct boost::system::is_error_code_enum<callcenterd::media::speech_errc> : std::true_type {};
