#pragma once

// Audio the engine plays: a prompt or a music-on-hold file, decoded once, encoded once per
// G.711 law, and shared by every call that plays it; each listener only keeps its place.
// A thousand callers on hold cost a thousand cursors, not a thousand decoders.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "callcenterd/media/g711.hpp"

namespace callcenterd::media {

class prompt {
 public:
  /// A prompt of `samples` (8 kHz linear PCM, as read_wav or the TTS renders them), encoded
  /// in both laws now so that playing never encodes. Any thread.
  static std::shared_ptr<const prompt> from_samples(std::vector<std::int16_t> samples);

  /// The whole prompt in `law`. Any thread.
  [[nodiscard]] std::span<const std::uint8_t> encoded(g711_law law) const {
    return law == g711_law::ulaw ? ulaw_ : alaw_;
  }
  [[nodiscard]] std::size_t samples() const { return ulaw_.size(); }

 private:
  prompt() = default;
  std::vector<std::uint8_t> ulaw_;
  std::vector<std::uint8_t> alaw_;
};

/// One listener's place in a prompt: hands out its frames in the leg's law, padding the
/// last one with silence, or starting over for music on hold. One owner, any strand.
class prompt_player {
 public:
  static constexpr std::size_t max_frame_samples = 480;  // 60 ms, the longest ptime we offer

  prompt_player(std::shared_ptr<const prompt> audio, g711_law law, bool loop = false);

  /// The next frame of `samples` samples (at most max_frame_samples), or nullopt once the
  /// prompt has ended or was stopped. Valid until the next call.
  std::optional<std::span<const std::uint8_t>> next_frame(std::size_t samples = 160);
  /// Barge-in: a key was pressed; no more frames.
  void stop() { stopped_ = true; }
  [[nodiscard]] bool done() const;

 private:
  std::shared_ptr<const prompt> audio_;
  g711_law law_;
  bool loop_;
  bool stopped_ = false;
  std::size_t position_ = 0;
  std::array<std::uint8_t, max_frame_samples> frame_{};
};

}  // namespace callcenterd::media
