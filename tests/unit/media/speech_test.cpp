#include "callcenterd/media/speech.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/media/spoken_text.hpp"
#include "support/temp_dir.hpp"

namespace callcenterd::media {
namespace {

using namespace std::chrono_literals;

constexpr auto en = speech_language::english;
constexpr auto zh = speech_language::mandarin;

// espeak-ng is initialised once per process anyway; one synthesizer serves every test.
speech_synthesizer& synthesizer() {
  static const auto made = speech_synthesizer::create();
  if (!made) {
    // Every test here needs it; a missing espeak-ng is a failure, never a skip.
    std::fprintf(stderr, "espeak-ng unavailable: %s\n", made.error().message().c_str());
    std::abort();
  }
  return **made;
}

double seconds_of(std::span<const std::int16_t> samples) {
  return static_cast<double>(samples.size()) / 8000.0;
}

double rms(std::span<const std::int16_t> samples) {
  double sum = 0.0;
  for (const auto x : samples) sum += static_cast<double>(x) * x;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

std::vector<std::int16_t> render(std::string_view text, speech_language language) {
  auto samples = synthesizer().blocking_render(text, language);
  EXPECT_TRUE(samples) << text << ": " << samples.error().message();
  return samples ? std::move(*samples) : std::vector<std::int16_t>{};
}

std::string phonemes(std::string_view text, speech_language language) {
  auto said = synthesizer().blocking_phonemes(text, language);
  EXPECT_TRUE(said) << text << ": " << said.error().message();
  return said ? *said : std::string{};
}

std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

TEST(speech_language, parses_names_from_configuration) {
  EXPECT_EQ(parse_speech_language("en"), en);
  EXPECT_EQ(parse_speech_language("English"), en);
  EXPECT_EQ(parse_speech_language("zh"), zh);
  EXPECT_EQ(parse_speech_language("cmn"), zh);
  EXPECT_EQ(parse_speech_language("MANDARIN"), zh);
  EXPECT_FALSE(parse_speech_language(""));
  EXPECT_FALSE(parse_speech_language("fr"));
  EXPECT_FALSE(parse_speech_language("en "));
}

TEST(speech_synthesizer, renders_english_at_8khz) {
  EXPECT_EQ(synthesizer().engine_sample_rate(), 22050U);
  const auto samples = render("hello", en);
  EXPECT_GT(seconds_of(samples), 0.2);
  EXPECT_LT(seconds_of(samples), 3.0);
  EXPECT_GT(rms(samples), 500.0);  // speech, not a whisper of noise
}

TEST(speech_synthesizer, renders_mandarin) {
  const auto samples = render("您好", zh);
  EXPECT_GT(seconds_of(samples), 0.2);
  EXPECT_LT(seconds_of(samples), 3.0);
  EXPECT_GT(rms(samples), 500.0);
}

TEST(speech_synthesizer, mandarin_reads_characters_in_mandarin) {
  // The stock "cmn" voice of espeak-ng 1.51 says "nin two hao three" here.
  const auto said = phonemes("您好", zh);
  EXPECT_EQ(said.find("(en)"), std::string::npos) << said;
  EXPECT_NE(said.find("n'i35n"), std::string::npos) << said;
  // Latin words inside Mandarin text are still read as English.
  EXPECT_NE(phonemes("hello", zh).find("(en)"), std::string::npos);
}

TEST(speech_synthesizer, leaves_headroom) {
  const auto samples = render("You are caller number 3. Your call is important to us.", en);
  const auto clipped = std::count_if(samples.begin(), samples.end(),
                                     [](std::int16_t s) { return s >= 32767 || s <= -32768; });
  EXPECT_EQ(clipped, 0);
}

TEST(speech_synthesizer, says_english_numbers_and_digits_as_meant) {
  const auto number = phonemes(spoken_number(1001, en), en);
  EXPECT_NE(number.find("T'aUz@nd"), std::string::npos) << number;  // one thousand and one
  const auto digits = phonemes(spoken_digits("1001", en), en);
  EXPECT_EQ(digits.find("T'aUz@nd"), std::string::npos) << digits;
  EXPECT_EQ(count_of(digits, "z'i@roU"), 2U) << digits;
  EXPECT_EQ(count_of(digits, "w'0n") + count_of(digits, "w,0n"), 2U) << digits;
}

TEST(speech_synthesizer, says_mandarin_numbers_and_digits_as_meant) {
  const auto number = phonemes(spoken_number(12345, zh), zh);  // 一万二千三百四十五
  EXPECT_EQ(number.find("(en)"), std::string::npos) << number;
  EXPECT_EQ(count_of(number, "w'A51n"), 1U) << number;   // 万, once
  EXPECT_EQ(count_of(number, "h'iE55n"), 1U) << number;  // 千, once
  const auto digits = phonemes(spoken_digits("1001", zh), zh);
  EXPECT_EQ(count_of(digits, "l'i35N"), 2U) << digits;   // 零 零
  EXPECT_EQ(count_of(digits, "h'iE55n"), 0U) << digits;  // no 千
}

TEST(speech_synthesizer, longer_numbers_take_longer_to_say) {
  for (const auto language : {en, zh}) {
    SCOPED_TRACE(static_cast<int>(language));
    const double three = seconds_of(render(spoken_number(3, language), language));
    const double big = seconds_of(render(spoken_number(12345, language), language));
    const double digits = seconds_of(render(spoken_digits("12345", language), language));
    EXPECT_GT(three, 0.15);
    EXPECT_LT(three, 1.0);
    // "twelve thousand three hundred and forty five": 5 to 9 syllables, about 2 s.
    EXPECT_GT(big, 1.2);
    EXPECT_LT(big, 5.0);
    EXPECT_GT(digits, 1.2);
    EXPECT_LT(digits, 5.0);
  }
}

TEST(speech_synthesizer, speaks_a_queue_announcement_at_a_telephone_pace) {
  const auto english = render(
      "you are caller number " + spoken_number(3, en) + ", about " + spoken_duration(2min, en), en);
  // 11 syllables and a pause.
  EXPECT_GT(seconds_of(english), 2.0);
  EXPECT_LT(seconds_of(english), 5.0);
  const auto mandarin = render("您前面还有" + spoken_number(3, zh, number_form::counting) +
                                   "位客户，预计等待" + spoken_duration(2min, zh),
                               zh);
  // 16 syllables and a pause: 3 to 5 syllables a second.
  EXPECT_GT(seconds_of(mandarin), 3.0);
  EXPECT_LT(seconds_of(mandarin), 6.0);
}

TEST(speech_synthesizer, refuses_empty_and_oversized_text) {
  for (const std::string_view text : {"", " ", "\n\t  \r\n"}) {
    const auto result = synthesizer().blocking_render(text, en);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), speech_errc::empty_text);
  }
  const std::string huge(speech_max_text_bytes + 1, 'a');
  const auto result = synthesizer().blocking_render(huge, en);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), speech_errc::text_too_long);
  EXPECT_EQ(result.error().message(), "the text to speak is longer than 4096 bytes");
  EXPECT_EQ(synthesizer().blocking_phonemes("", zh).error(), speech_errc::empty_text);
}

TEST(speech_synthesizer, refuses_broken_utf8_and_control_characters) {
  for (const std::string_view text :
       {std::string_view("\xff\xfe hello"), std::string_view("\xe4\xbd"),  // cut short
        std::string_view("\xc0\xaf"),                                      // overlong '/'
        std::string_view("\xed\xa0\x80"),                                  // a surrogate
        std::string_view("\xf4\x90\x80\x80"),                              // past U+10FFFF
        std::string_view("hello\x01world"), std::string_view("a\0b", 3),
        std::string_view("\xc2\x85")}) {  // NEL, a C1 control
    const auto result = synthesizer().blocking_render(text, zh);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), speech_errc::invalid_text);
  }
  EXPECT_TRUE(synthesizer().blocking_render("line one\nline two\tand \xe2\x82\xac 5", en));
}

TEST(speech_synthesizer, refuses_text_with_nothing_to_say) {
  const auto result = synthesizer().blocking_render("...", en);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), speech_errc::no_speech);
}

TEST(speech_synthesizer, takes_turns_between_threads) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> rendered{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&rendered, i] {
      const auto language = i % 2 == 0 ? en : zh;
      const auto text = spoken_number(i + 1, language);
      for (int round = 0; round < 3; ++round) {
        const auto samples = synthesizer().blocking_render(text, language);
        if (samples && rms(*samples) > 500.0) rendered.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(rendered.load(), 12);
}

TEST(speech_synthesizer, create_fails_without_espeak_data) {
  // espeak-ng initialises once per process: look from a fresh one. espeak-ng only takes
  // ESPEAK_DATA_PATH when it names a directory; an empty one has no voices.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        bool refused = false;
        {
          const testing::temp_dir empty("speech");
          ::setenv("ESPEAK_DATA_PATH", empty.path().c_str(), 1);
          const auto made = speech_synthesizer::create();
          refused = !made && made.error() == speech_errc::engine_unavailable;
        }
        std::_Exit(refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "phontab");  // espeak-ng names the missing file on stderr
}

// ---- the service ----

using render_result = boost::system::result<std::shared_ptr<const prompt>>;

struct outcome {
  render_result result{make_error_code(speech_errc::stopped)};
  std::thread::id thread;
};

outcome render_and_wait(speech_service& service, std::string text, speech_language language) {
  std::promise<outcome> promise;
  auto future = promise.get_future();
  service.render(std::move(text), language, [&promise](render_result result) {
    promise.set_value({std::move(result), std::this_thread::get_id()});
  });
  return future.get();
}

TEST(speech_service, renders_on_its_own_thread_and_caches) {
  speech_service service(synthesizer());
  const auto first = render_and_wait(service, "hello", en);
  ASSERT_TRUE(first.result) << first.result.error().message();
  EXPECT_NE(first.thread, std::this_thread::get_id());
  EXPECT_GT((*first.result)->samples(), 1600U);
  EXPECT_EQ(service.stats().cache_misses.load(), 1U);
  EXPECT_EQ(service.stats().cache_hits.load(), 0U);
  EXPECT_EQ(service.stats().cached_samples.load(), (*first.result)->samples());
  EXPECT_EQ(service.stats().cached_prompts.load(), 1U);

  const auto second = render_and_wait(service, "hello", en);
  ASSERT_TRUE(second.result);
  EXPECT_EQ(*second.result, *first.result);  // the same prompt, not a copy
  EXPECT_EQ(second.thread, first.thread);    // hits are answered on the worker too
  EXPECT_EQ(service.stats().cache_hits.load(), 1U);
  EXPECT_EQ(service.cached("hello", en), *first.result);
  EXPECT_EQ(service.stats().cache_hits.load(), 2U);
  EXPECT_EQ(service.cached("hello", zh), nullptr);  // the language is part of the key
  EXPECT_EQ(service.cached("Hello", en), nullptr);
  EXPECT_EQ(service.stats().cache_misses.load(), 1U);
}

TEST(speech_service, evicts_the_least_recently_used_beyond_its_bound) {
  // espeak-ng does not render a text to exactly the same length every time (it differs by a
  // sample or two), so the bound leaves a margin: room for two of the words, not three.
  const auto a = render("one", en).size();
  const auto b = render("two", en).size();
  const auto c = render("three", en).size();
  speech_service service(synthesizer(), {.cache_max_samples = a + b + c / 2});
  const auto one = render_and_wait(service, "one", en).result;
  const auto two = render_and_wait(service, "two", en).result;
  ASSERT_TRUE(one && two);
  EXPECT_EQ(service.stats().cached_samples.load(), (*one)->samples() + (*two)->samples());
  ASSERT_EQ(service.cached("one", en), *one);  // "one" is now the most recently used
  const auto three = render_and_wait(service, "three", en).result;
  ASSERT_TRUE(three);
  EXPECT_EQ(service.cached("one", en), *one);
  EXPECT_EQ(service.cached("two", en), nullptr);
  EXPECT_EQ(service.cached("three", en), *three);
  EXPECT_EQ(service.stats().cached_samples.load(), (*one)->samples() + (*three)->samples());
  EXPECT_EQ(service.stats().cached_prompts.load(), 2U);
  EXPECT_LE(service.stats().cached_samples.load(), service.settings().cache_max_samples);
}

TEST(speech_service, does_not_cache_a_prompt_larger_than_the_cache) {
  speech_service service(synthesizer(), {.cache_max_samples = 100});
  const auto got = render_and_wait(service, "hello", en);
  ASSERT_TRUE(got.result);
  EXPECT_GT((*got.result)->samples(), 100U);
  EXPECT_EQ(service.cached("hello", en), nullptr);
  EXPECT_EQ(service.stats().cached_samples.load(), 0U);
}

TEST(speech_service, reports_failures) {
  speech_service service(synthesizer());
  const auto got = render_and_wait(service, "", zh);
  ASSERT_FALSE(got.result);
  EXPECT_EQ(got.result.error(), speech_errc::empty_text);
  EXPECT_EQ(service.stats().renders_failed.load(), 1U);
  EXPECT_EQ(service.stats().cached_prompts.load(), 0U);
}

TEST(speech_service, stop_answers_queued_requests_with_stopped) {
  speech_service service(synthesizer());
  // Hold the worker inside the first answer while more requests queue up behind it.
  std::promise<void> entered;
  std::promise<void> release;
  service.render("hello", en, [&](const render_result&) {
    entered.set_value();
    release.get_future().wait();
  });
  std::atomic<int> answered{0};
  std::atomic<int> stopped_on_worker{0};
  const auto test_thread = std::this_thread::get_id();
  for (int i = 0; i < 10; ++i) {
    service.render(spoken_number(i, zh), zh, [&](const render_result& result) {
      answered.fetch_add(1);
      const bool stopped = !result && result.error() == speech_errc::stopped;
      if (stopped && std::this_thread::get_id() != test_thread) stopped_on_worker.fetch_add(1);
    });
  }
  entered.get_future().wait();
  std::thread stopper([&service] { service.stop(); });
  // Once stop() has begun, a new request is answered at once, on the caller's thread. Until
  // then the probes queue up and are answered on the worker like the rest.
  std::atomic<bool> refused_here{false};
  while (!refused_here.load()) {
    service.render("late", en, [&](const render_result& result) {
      if (std::this_thread::get_id() == test_thread && !result &&
          result.error() == speech_errc::stopped) {
        refused_here.store(true);
      }
    });
    if (!refused_here.load()) std::this_thread::sleep_for(1ms);
  }
  release.set_value();
  stopper.join();
  EXPECT_EQ(answered.load(), 10);
  EXPECT_EQ(stopped_on_worker.load(), 10);
  service.stop();  // idempotent, and the destructor stops once more
}

}  // namespace
}  // namespace callcenterd::media
