#pragma once

// The 20 ms clock that paces what the media engine sends (prompts, music, silence, tones).
// Deadlines are counted from the start, never from the previous tick, so timer latency does
// not accumulate: after an hour the frames are still on the 20 ms grid. Pure arithmetic on
// time points; the Asio timer that waits for next_deadline() lives with the caller.

#include <chrono>
#include <cstdint>

namespace callcenterd::media {

class frame_clock {
 public:
  using clock = std::chrono::steady_clock;

  /// Frames fall due at `start`, start + period, start + 2·period, ... A late wake-up makes
  /// up at most `max_burst` frames at once and drops the rest: a receiver's jitter buffer
  /// absorbs a short burst, but minutes of backlog sent in one go would only be discarded
  /// there (and play as a glitch), so the clock skips them instead and counts them.
  frame_clock(clock::time_point start, clock::duration period, std::uint32_t max_burst = 3);

  /// When the next frame falls due. Any strand, but one owner.
  [[nodiscard]] clock::time_point next_deadline() const { return start_ + sent_ * period_; }

  /// How many frames to send now (0 if woken early), advancing the clock past them.
  std::uint32_t due(clock::time_point now);

  /// Frames sent so far, which also counts the RTP timestamp steps they cover.
  [[nodiscard]] std::uint64_t frames() const { return sent_; }
  /// Frames skipped because the owner woke up too late to send them in time.
  [[nodiscard]] std::uint64_t skipped() const { return skipped_; }

 private:
  clock::time_point start_;
  clock::duration period_;
  std::uint32_t max_burst_;
  std::uint64_t sent_ = 0;  // frames consumed, sent or skipped: the grid position
  std::uint64_t skipped_ = 0;
};

}  // namespace callcenterd::media
