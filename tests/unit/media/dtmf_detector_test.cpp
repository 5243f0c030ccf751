#include "callcenterd/media/dtmf_detector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

namespace callcenterd::media {
namespace {

constexpr double rate = 8000;
// Peak of a 0 dBm0 sine in 16-bit PCM (G.711 mu-law: overload at +3.17 dBm0).
const double dbm0_peak = 8159.0 * 4 / std::pow(10.0, 3.17 / 20);

double peak_of(double dbm0) { return dbm0_peak * std::pow(10.0, dbm0 / 20); }

struct tone_pair {
  double low_hz;
  double high_hz;
};

tone_pair frequencies(char key) {
  static const std::string rows[] = {"123A", "456B", "789C", "*0#D"};
  static const double low[] = {697, 770, 852, 941};
  static const double high[] = {1209, 1336, 1477, 1633};
  for (std::size_t r = 0; r < 4; ++r) {
    const auto c = rows[r].find(key);
    if (c != std::string::npos) return {low[r], high[c]};
  }
  ADD_FAILURE() << "no such key " << key;
  return {0, 0};
}

// Audio built up piece by piece as doubles, turned into PCM at the end.
class audio {
 public:
  audio& tone(double hz, double dbm0, int ms) { return pair(hz, dbm0, 0, -200, ms); }

  // Odd starting phases by default, so nothing depends on a tone starting at a zero crossing.
  audio& pair(double low_hz, double low_dbm0, double high_hz, double high_dbm0, int ms,
              double low_phase = 0.3, double high_phase = 1.1) {
    const double a = peak_of(low_dbm0);
    const double b = peak_of(high_dbm0);
    const auto n = samples_for(ms);
    for (std::size_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) / rate;
      samples_.push_back(a * std::sin(2 * std::numbers::pi * low_hz * t + low_phase) +
                         b * std::sin(2 * std::numbers::pi * high_hz * t + high_phase));
    }
    return *this;
  }

  audio& key(char k, int ms, double dbm0 = -10, double high_phase = 1.1) {
    const auto f = frequencies(k);
    return pair(f.low_hz, dbm0, f.high_hz, dbm0, ms, 0.3, high_phase);
  }

  audio& silence(int ms) {
    samples_.insert(samples_.end(), samples_for(ms), 0.0);
    return *this;
  }
  audio& samples_of_silence(std::size_t n) {
    samples_.insert(samples_.end(), n, 0.0);
    return *this;
  }

  // Gaussian noise of the given power over everything so far.
  audio& add_noise(double dbm0, unsigned seed = 1) {
    std::mt19937 random(seed);
    const double sigma = peak_of(dbm0) / std::sqrt(2.0);
    for (auto& s : samples_) {
      // Box-Muller from the engine's raw output, the same on every standard library.
      const double u1 =
          (static_cast<double>(random()) + 1) / (static_cast<double>(random.max()) + 2);
      const double u2 = static_cast<double>(random()) / (static_cast<double>(random.max()) + 1);
      s += sigma * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }
    return *this;
  }

  std::vector<std::int16_t> pcm() const {
    std::vector<std::int16_t> out;
    out.reserve(samples_.size());
    for (const double s : samples_) {
      out.push_back(static_cast<std::int16_t>(std::clamp(std::lround(s), -32768L, 32767L)));
    }
    return out;
  }

  std::vector<double>& raw() { return samples_; }

 private:
  static std::size_t samples_for(int ms) { return static_cast<std::size_t>(ms) * 8; }

  std::vector<double> samples_;
};

class recorder : public dtmf_detector_listener {
 public:
  void on_dtmf(dtmf_key key) override { keys += to_char(key); }
  std::string keys;
};

// Feeds `pcm` in frames of `frame` samples (0: all at once) and returns the keys found.
std::string detect(const std::vector<std::int16_t>& pcm, std::size_t frame = 160,
                   const dtmf_detector_settings& settings = {}) {
  recorder r;
  dtmf_detector detector(r, settings);
  const std::span<const std::int16_t> all(pcm);
  if (frame == 0) frame = pcm.size();
  for (std::size_t at = 0; at < pcm.size(); at += frame) {
    detector.feed(all.subspan(at, std::min(frame, pcm.size() - at)));
  }
  return r.keys;
}

const std::string all_keys = "1234567890*#ABCD";

audio key_sequence(const std::string& keys, int on_ms, int off_ms, double dbm0 = -10) {
  audio s;
  s.silence(off_ms);
  for (const char k : keys) s.key(k, on_ms, dbm0).silence(off_ms);
  return s;
}

TEST(dtmf_detector, every_key_once_and_in_order) {
  const auto pcm = key_sequence(all_keys, 60, 60).pcm();
  EXPECT_EQ(detect(pcm), all_keys);
}

TEST(dtmf_detector, frame_size_does_not_matter) {
  const auto pcm = key_sequence(all_keys, 50, 50).add_noise(-35).pcm();
  for (const std::size_t frame : {1, 7, 160, 333, 0}) {
    EXPECT_EQ(detect(pcm, frame), all_keys) << "frame " << frame;
  }
}

TEST(dtmf_detector, held_key_is_one_press) {
  audio s;
  s.silence(50).key('5', 1000).silence(50);
  EXPECT_EQ(detect(s.pcm()), "5");
}

TEST(dtmf_detector, same_key_again_after_a_pause) {
  EXPECT_EQ(detect(key_sequence("5555", 50, 50).pcm()), "5555");
}

TEST(dtmf_detector, key_change_without_pause) {
  audio s;
  s.silence(50).key('1', 100).key('2', 100).silence(50);
  EXPECT_EQ(detect(s.pcm()), "12");
}

// Every key, starting at every sample of a block, with the tones in several phase relations
// (which move the beat of the two tones against the block grid).
template <class Check>
void for_every_alignment(int ms, Check check) {
  for (const char k : std::string("1234567890*#ABCD")) {
    for (const double phase : {0.0, 1.6, 3.2, 4.8}) {
      for (std::size_t offset = 0; offset < dtmf_detector::block_size; ++offset) {
        audio s;
        s.samples_of_silence(offset).key(k, ms, -10, phase).silence(50);
        check(k, detect(s.pcm()), offset, phase);
      }
    }
  }
}

TEST(dtmf_detector, tones_of_40_ms_are_accepted_wherever_they_start) {
  for_every_alignment(40, [](char k, const std::string& found, std::size_t offset, double phase) {
    EXPECT_EQ(found, std::string(1, k)) << "offset " << offset << " phase " << phase;
  });
}

TEST(dtmf_detector, tones_of_20_ms_are_rejected_wherever_they_start) {
  for_every_alignment(20, [](char k, const std::string& found, std::size_t offset, double phase) {
    EXPECT_EQ(found, "") << k << " offset " << offset << " phase " << phase;
  });
}

TEST(dtmf_detector, twist_limits) {
  const auto twisted = [](double low_dbm0, double high_dbm0) {
    audio s;
    s.silence(40).pair(852, low_dbm0, 1477, high_dbm0, 100).silence(40);
    return detect(s.pcm());
  };
  EXPECT_EQ(twisted(-10, -16), "9");  // normal twist 6 dB
  EXPECT_EQ(twisted(-10, -17.5), "9");
  EXPECT_EQ(twisted(-10, -20), "");   // 10 dB
  EXPECT_EQ(twisted(-13, -10), "9");  // reverse twist 3 dB
  EXPECT_EQ(twisted(-16, -10), "");   // 6 dB
}

TEST(dtmf_detector, twist_limits_follow_settings) {
  dtmf_detector_settings settings;
  settings.max_normal_twist_db = 12;
  audio s;
  s.silence(40).pair(852, -10, 1477, -20, 100).silence(40);
  EXPECT_EQ(detect(s.pcm(), 160, settings), "9");
}

TEST(dtmf_detector, single_tones_are_not_keys) {
  for (const double hz : {697.0, 770.0, 852.0, 941.0, 1209.0, 1336.0, 1477.0, 1633.0}) {
    audio s;
    s.silence(40).tone(hz, -5, 300).silence(40);
    EXPECT_EQ(detect(s.pcm()), "") << hz;
  }
}

TEST(dtmf_detector, a_second_tone_in_a_group_is_not_a_key) {
  // Key 1 with 770 Hz (row of 4) or 1336 Hz (column of 2) added 5 dB down: which key?
  audio key;
  key.silence(40).key('1', 200);
  audio extra_row;
  extra_row.silence(40).tone(770, -15, 200);
  audio extra_column;
  extra_column.silence(40).tone(1336, -15, 200);
  auto two_rows = key;
  auto two_columns = key;
  for (std::size_t i = 0; i < two_rows.raw().size(); ++i) {
    two_rows.raw()[i] += extra_row.raw()[i];
    two_columns.raw()[i] += extra_column.raw()[i];
  }
  EXPECT_EQ(detect(two_rows.pcm()), "");
  EXPECT_EQ(detect(two_columns.pcm()), "");
}

TEST(dtmf_detector, level_limits) {
  EXPECT_EQ(detect(key_sequence("7", 60, 60, -3).pcm()), "7");
  EXPECT_EQ(detect(key_sequence("7", 60, 60, -27).pcm()), "7");
  EXPECT_EQ(detect(key_sequence("7", 60, 60, -33).pcm()), "");
}

std::string off_frequency(char k, double error, double low_dbm0, double high_dbm0) {
  const auto f = frequencies(k);
  audio s;
  s.silence(50).pair(f.low_hz * (1 + error), low_dbm0, f.high_hz * (1 + error), high_dbm0, 60);
  s.silence(50);
  return detect(s.pcm());
}

TEST(dtmf_detector, off_frequency_tones) {
  for (const double error : {-0.015, 0.015}) {
    for (const char k : all_keys) {
      // Q.24: accept 1.5 % off nominal, on either side, with some twist.
      EXPECT_EQ(off_frequency(k, error, -10, -10), std::string(1, k)) << k << " " << error;
      EXPECT_EQ(off_frequency(k, error, -13, -10), std::string(1, k)) << k << " " << error;
      EXPECT_EQ(off_frequency(k, error, -10, -16), std::string(1, k)) << k << " " << error;
    }
  }
  for (const double error : {-0.035, 0.035}) {
    for (const char k : all_keys) {
      // And reject both tones 3.5 % off.
      EXPECT_EQ(off_frequency(k, error, -10, -10), "") << k << " " << error;
    }
  }
}

TEST(dtmf_detector, white_noise_is_not_a_key) {
  for (const double dbm0 : {-30.0, -20.0, -10.0, -3.0}) {
    audio s;
    s.silence(3000).add_noise(dbm0, 7);
    EXPECT_EQ(detect(s.pcm()), "") << dbm0;
  }
}

// A voiced sound: a fundamental with harmonics falling off at 6 dB per octave, the
// fundamental gliding like an intonation contour so harmonics sweep across the DTMF
// frequencies.
audio voice(double from_hz, double to_hz, int ms, double dbm0) {
  audio s;
  const auto n = static_cast<std::size_t>(ms) * 8;
  // sqrt(sum of 1/h^2) is about 1.28: this makes the whole sound as strong as a dBm0 sine.
  const double amplitude = peak_of(dbm0) / 1.28;
  double phase = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f0 = from_hz + (to_hz - from_hz) * static_cast<double>(i) / static_cast<double>(n);
    phase += 2 * std::numbers::pi * f0 / rate;
    double v = 0;
    for (int h = 1; h * f0 < 3800; ++h) v += std::sin(h * phase) / h;
    s.raw().push_back(amplitude * v);
  }
  return s;
}

// A vowel: the voiced source above shaped by two formants placed on a row and a column
// frequency, the kind of sound that can pass for a key ("talk-off"). Formant peaks stand
// about 17 dB above the valleys between them.
audio vowel(double from_hz, double to_hz, int ms, double dbm0, double f1, double f2) {
  audio s;
  const auto n = static_cast<std::size_t>(ms) * 8;
  const auto formant = [](double f, double centre) {
    const double bandwidth = 90;
    return 1 / std::sqrt(1 + std::pow((f - centre) / (bandwidth / 2), 2));
  };
  double phase = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f0 = from_hz + (to_hz - from_hz) * static_cast<double>(i) / static_cast<double>(n);
    phase += 2 * std::numbers::pi * f0 / rate;
    double v = 0;
    for (int h = 1; h * f0 < 3800; ++h) {
      v += std::sin(h * phase) / h * (0.15 + formant(h * f0, f1) + formant(h * f0, f2));
    }
    s.raw().push_back(peak_of(dbm0) * v);
  }
  return s;
}

TEST(dtmf_detector, speech_like_sounds_are_not_keys) {
  EXPECT_EQ(detect(voice(150, 150, 2000, -10).pcm()), "");
  EXPECT_EQ(detect(voice(90, 300, 3000, -10).pcm()), "");
  EXPECT_EQ(detect(voice(300, 90, 3000, -5).pcm()), "");
  // Pitch glides so that harmonics cross the formants and the DTMF frequencies.
  for (const auto& [f1, f2] : {std::pair{697.0, 1209.0}, {770.0, 1336.0}, {852.0, 1477.0}}) {
    EXPECT_EQ(detect(vowel(90, 140, 3000, -5, f1, f2).pcm()), "") << f1;
    EXPECT_EQ(detect(vowel(140, 250, 3000, -5, f1, f2).pcm()), "") << f1;
    EXPECT_EQ(detect(vowel(250, 140, 3000, -5, f1, f2).pcm()), "") << f1;
  }
}

TEST(dtmf_detector, keys_in_noise_at_20_db_snr) {
  // Two tones at -10 dBm0 each make -7 dBm0; the noise is 20 dB below that.
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const auto pcm = key_sequence(all_keys, 60, 60).add_noise(-27, seed).pcm();
    EXPECT_EQ(detect(pcm), all_keys) << "seed " << seed;
  }
}

TEST(dtmf_detector, keys_over_speech_are_still_found) {
  // A caller keying while someone talks in the background, 15 dB down.
  auto s = key_sequence("42", 80, 80);
  auto background = voice(120, 180, 400, -22);
  auto& raw = s.raw();
  for (std::size_t i = 0; i < raw.size() && i < background.raw().size(); ++i) {
    raw[i] += background.raw()[i];
  }
  EXPECT_EQ(detect(s.pcm()), "42");
}

TEST(dtmf_detector, reset_drops_the_partial_block) {
  recorder r;
  dtmf_detector detector(r);
  audio s;
  s.key('3', 100).silence(50);
  const auto pcm = s.pcm();
  // One block with the key and part of the next; without the reset, the next 150 samples
  // would complete a second block with it and report the key.
  detector.feed(std::span(pcm).first(150));
  detector.reset();
  detector.feed(std::span(pcm).subspan(150, 150));
  EXPECT_EQ(r.keys, "");
  detector.reset();
  detector.feed(pcm);
  EXPECT_EQ(r.keys, "3");
}

}  // namespace
}  // namespace callcenterd::media
