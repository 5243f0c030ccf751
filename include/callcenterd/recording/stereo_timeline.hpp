#pragma once

// Lines up the two directions of a bridged call for its recording. Packets arrive with
// jitter, in bursts, or not at all (hold, a muted phone, a lost stream); the recording must
// still put what each side said at the moment it was said, so that the two channels stay in
// step with each other and with the wall clock. Each direction is placed by arrival time:
// a late packet leaves silence before it, a burst that would run ahead of real time is cut.
// Pure: samples and the current time in, interleaved frames out; no I/O, no clock of its own.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace callcenterd::recording {

/// The two sides of a bridged call: left and right channel of the recording.
enum class channel : std::uint8_t { caller, agent };

struct stereo_timeline_settings {
  /// A track that fell behind real time by more than this is moved forward to the packet's
  /// arrival, leaving silence: a gap, not jitter. Below it, packets are laid end to end.
  std::chrono::milliseconds jitter_tolerance{60};
  /// A track that is ahead of real time by more than this drops whole packets rather than
  /// drift further ahead of the other side.
  std::chrono::milliseconds burst_bound{200};
  /// drain() holds back this much, so that a packet arriving late (up to the jitter
  /// tolerance) still lands in place. Should be at least jitter_tolerance.
  std::chrono::milliseconds latency{100};
  /// Ring buffer per track, allocated once. Must hold latency + burst_bound + the longest
  /// packet + the time between two drain() calls; samples that do not fit are dropped and
  /// counted as overflow.
  std::chrono::milliseconds buffer{1000};
};

/// A stretch of the recording that pause() silenced, from the start of the recording.
struct pause_interval {
  std::chrono::milliseconds offset{0};
  std::chrono::milliseconds length{0};
  bool operator==(const pause_interval&) const = default;
};

/// What became of the samples pushed on one track, in samples.
struct track_stats {
  std::uint64_t received = 0;    ///< everything passed to push()
  std::uint64_t padded = 0;      ///< silence before a packet that came late (a gap)
  std::uint64_t dropped = 0;     ///< cut because the track ran too far ahead (a burst)
  std::uint64_t paused = 0;      ///< discarded because the recording was paused
  std::uint64_t overflowed = 0;  ///< no room left in the ring (drain() not called often enough)
};

/// The aligned stereo stream of one call, at 8000 Hz: caller on the left, agent on the right.
/// Time is counted in samples from `start`; the sample for time t is floor((t - start) * 8000).
///
/// Each track has a write cursor. A packet is written at the cursor unless the cursor is more
/// than jitter_tolerance behind the packet's arrival (then it goes at the arrival, and silence
/// fills the gap) or more than burst_bound ahead of it (then it is dropped). drain() hands out
/// frames up to `now - latency`, with silence wherever a track has nothing.
///
/// Not thread-safe: belongs to the call's strand, and every member must run there. After the
/// constructor, push(), drain() and pause() do not allocate (drain() may grow `out`).
class stereo_timeline {
 public:
  using clock = std::chrono::steady_clock;

  explicit stereo_timeline(clock::time_point start, const stereo_timeline_settings& settings = {});

  /// Places mono 8000 Hz samples of one side that arrived at `arrival`. Ignored while paused
  /// and after finish(). Call's strand.
  void push(channel which, std::span<const std::int16_t> samples, clock::time_point arrival);

  /// Appends interleaved frames (caller, agent, caller, agent, ...) for everything up to
  /// `now - latency` not handed out before, and forgets them. Nothing after finish().
  /// Call's strand.
  void drain(clock::time_point now, std::vector<std::int16_t>& out);

  /// Appends everything up to `now`, and whatever a burst already placed beyond it, closes an
  /// open pause and ends the timeline: later calls do nothing. Call's strand.
  void finish(clock::time_point now, std::vector<std::int16_t>& out);

  /// From `now` on both tracks are silent and pushed samples are discarded, including any a
  /// burst had already placed past `now`. No-op when paused or finished. Call's strand.
  void pause(clock::time_point now);

  /// Ends the pause at `now` and records it in pauses(). No-op when not paused. Call's strand.
  void resume(clock::time_point now);

  [[nodiscard]] bool paused() const noexcept { return paused_; }
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  /// Closed pauses, oldest first; an open one appears once resume() or finish() ends it.
  [[nodiscard]] const std::vector<pause_interval>& pauses() const noexcept { return pauses_; }
  /// Frames handed out so far.
  [[nodiscard]] std::uint64_t frames() const noexcept {
    return static_cast<std::uint64_t>(drained_);
  }
  [[nodiscard]] const track_stats& stats(channel which) const noexcept {
    return track_of(which).stats;
  }

 private:
  struct track {
    std::vector<std::int16_t> ring;  // sample i lives at ring[i % capacity_] while unsent
    // End of the track's audio; [drained_, cursor) is stored in the ring. Below drained_
    // when the track has been silent since.
    std::int64_t cursor = 0;
    track_stats stats;
  };

  [[nodiscard]] std::int64_t position(clock::time_point t) const;
  [[nodiscard]] const track& track_of(channel which) const noexcept {
    return which == channel::caller ? caller_ : agent_;
  }
  track& track_of(channel which) noexcept { return which == channel::caller ? caller_ : agent_; }
  void place(track& t, std::int64_t at, std::span<const std::int16_t> samples);
  void emit_until(std::int64_t end, std::vector<std::int16_t>& out);

  clock::time_point start_;
  std::int64_t tolerance_;  // all four in samples
  std::int64_t bound_;
  std::int64_t latency_;
  std::int64_t capacity_;
  track caller_;
  track agent_;
  std::int64_t drained_ = 0;        // first frame not yet handed out
  std::int64_t silent_until_ = 0;   // end of the last pause: nothing is written before it
  std::int64_t pause_started_ = 0;  // while paused_
  bool paused_ = false;
  bool finished_ = false;
  std::vector<pause_interval> pauses_;
};

}  // namespace callcenterd::recording
