#pragma once

// In-band DTMF detection (ITU-T Q.23 frequencies, Q.24-style acceptance) on 16-bit linear PCM
// at 8000 Hz, for peers that send keys as tones in the audio rather than as telephone-events
// or INFO. No I/O: samples in, keys out through a listener.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "callcenterd/media/dtmf.hpp"

namespace callcenterd::media {

/// Acceptance limits of a dtmf_detector. Levels are per tone, in dBm0 as G.711 defines it
/// (a 0 dBm0 sine peaks 3.17 dB below full scale).
struct dtmf_detector_settings {
  /// Tones weaker than this are ignored.
  double min_tone_level_dbm0 = -30.0;
  /// How much stronger the low-group (row) tone may be than the high-group (column) tone.
  double max_normal_twist_db = 8.0;
  /// How much stronger the high-group tone may be than the low-group tone.
  double max_reverse_twist_db = 4.0;
};

/// What a dtmf_detector reports. Called on the strand that feeds the detector, from inside
/// dtmf_detector::feed().
class dtmf_detector_listener {
 public:
  virtual ~dtmf_detector_listener() = default;
  /// A key was pressed; a key held down is reported once.
  virtual void on_dtmf(dtmf_key key) = 0;
};

/// Finds DTMF keys in a stream of audio. The stream is cut into blocks of block_size samples
/// and each block is judged on its own: one row and one column tone must stand out, above the
/// minimum level, within the twist limits, well above the other tones of their group, and
/// carrying most of the block's energy, evenly over the block. A key is reported when two
/// consecutive blocks agree on it (a tone of 40 ms or more always is, 20 ms never), and
/// again only after two blocks without it. Owned by one strand; no allocation after
/// construction.
class dtmf_detector {
 public:
  /// Samples per analysis block: 13.9 ms at 8000 Hz.
  static constexpr std::size_t block_size = 111;
  static constexpr std::uint32_t sample_rate = 8000;

  /// `listener` must outlive the detector.
  explicit dtmf_detector(dtmf_detector_listener& listener,
                         const dtmf_detector_settings& settings = {});

  /// The next samples of the stream, in any amount: the result depends only on the samples,
  /// not on how they are split into calls. Never throws.
  void feed(std::span<const std::int16_t> samples);

  /// Drops the partial block and what the last blocks showed, for a new stream.
  void reset();

 private:
  static constexpr std::size_t tone_count = 8;
  static constexpr std::size_t part_count = 3;

  void end_block();
  std::optional<dtmf_key> classify() const;
  void on_block_result(std::optional<dtmf_key> key);

  dtmf_detector_listener& listener_;
  // The settings in the filters' power units, computed once.
  double min_tone_power_;
  double max_normal_twist_;
  double max_reverse_twist_;

  // Goertzel state of the block in progress, one filter per tone.
  std::array<double, tone_count> s1_{};
  std::array<double, tone_count> s2_{};
  std::array<double, part_count> part_energy_{};  // energy of each third of the block
  std::size_t fill_ = 0;

  std::optional<dtmf_key> last_block_key_;
  std::size_t same_blocks_ = 0;   // consecutive blocks that showed last_block_key_
  std::optional<dtmf_key> down_;  // the key reported and not yet let go
  std::size_t blocks_without_down_ = 0;
};

}  // namespace callcenterd::media
