#include "callcenterd/recording/stereo_timeline.hpp"

#include <algorithm>

namespace callcenterd::recording {
namespace {

constexpr std::int64_t sample_rate = 8000;
constexpr std::int64_t samples_per_ms = sample_rate / 1000;

using sample_ticks = std::chrono::duration<std::int64_t, std::ratio<1, sample_rate>>;

std::int64_t samples_in(std::chrono::milliseconds span) {
  return std::max<std::int64_t>(0, span.count()) * samples_per_ms;
}

std::chrono::milliseconds ms_of(std::int64_t samples) {
  return std::chrono::milliseconds(samples / samples_per_ms);
}

// Enough pause marks for any ordinary call without allocating on pause or resume.
constexpr std::size_t expected_pauses = 16;

}  // namespace

stereo_timeline::stereo_timeline(clock::time_point start, const stereo_timeline_settings& settings)
    : start_(start),
      tolerance_(samples_in(settings.jitter_tolerance)),
      bound_(samples_in(settings.burst_bound)),
      latency_(samples_in(settings.latency)),
      capacity_(std::max<std::int64_t>(1, samples_in(settings.buffer))) {
  caller_.ring.assign(static_cast<std::size_t>(capacity_), 0);
  agent_.ring.assign(static_cast<std::size_t>(capacity_), 0);
  pauses_.reserve(expected_pauses);
}

std::int64_t stereo_timeline::position(clock::time_point t) const {
  if (t <= start_) return 0;
  return std::chrono::floor<sample_ticks>(t - start_).count();
}

void stereo_timeline::push(channel which, std::span<const std::int16_t> samples,
                           clock::time_point arrival) {
  auto& t = track_of(which);
  const auto count = static_cast<std::int64_t>(samples.size());
  t.stats.received += samples.size();
  if (paused_ || finished_) {
    t.stats.paused += samples.size();
    return;
  }
  const std::int64_t now = position(arrival);
  // Nothing goes where frames were already handed out, nor into the last pause.
  std::int64_t at = std::max({t.cursor, drained_, silent_until_});
  if (at + tolerance_ < now) {
    t.stats.padded += static_cast<std::uint64_t>(now - std::max(t.cursor, silent_until_));
    at = now;
  } else if (at > now + bound_) {
    // Whole packets: cutting one short would click as much as dropping it, and the next
    // packet may well fit again.
    t.stats.dropped += static_cast<std::uint64_t>(count);
    return;
  }
  place(t, at, samples);
}

void stereo_timeline::place(track& t, std::int64_t at, std::span<const std::int16_t> samples) {
  const std::int64_t limit = drained_ + capacity_;
  const std::int64_t from = std::max(t.cursor, drained_);
  // Whatever the ring still holds between the cursor and `at` is stale: make it silence.
  for (std::int64_t i = from; i < std::min(at, limit); ++i) {
    t.ring[static_cast<std::size_t>(i % capacity_)] = 0;
  }
  const auto count = static_cast<std::int64_t>(samples.size());
  const std::int64_t fit = std::clamp<std::int64_t>(limit - at, 0, count);
  for (std::int64_t k = 0; k < fit; ++k) {
    t.ring[static_cast<std::size_t>((at + k) % capacity_)] = samples[static_cast<std::size_t>(k)];
  }
  t.stats.overflowed += static_cast<std::uint64_t>(count - fit);
  // The cursor never passes the ring's end, so [drained_, cursor) is always stored.
  t.cursor = std::max(from, std::min(at + fit, limit));
}

void stereo_timeline::emit_until(std::int64_t end, std::vector<std::int16_t>& out) {
  if (end <= drained_) return;
  out.reserve(out.size() + 2 * static_cast<std::size_t>(end - drained_));
  for (std::int64_t i = drained_; i < end; ++i) {
    const auto slot = static_cast<std::size_t>(i % capacity_);
    out.push_back(i < caller_.cursor ? caller_.ring[slot] : std::int16_t{0});
    out.push_back(i < agent_.cursor ? agent_.ring[slot] : std::int16_t{0});
  }
  drained_ = end;
}

void stereo_timeline::drain(clock::time_point now, std::vector<std::int16_t>& out) {
  if (finished_) return;
  emit_until(position(now) - latency_, out);
}

void stereo_timeline::finish(clock::time_point now, std::vector<std::int16_t>& out) {
  if (finished_) return;
  resume(now);
  // A burst placed ahead of `now` was still said before the call ended: keep it.
  emit_until(std::max({position(now), caller_.cursor, agent_.cursor}), out);
  finished_ = true;
}

void stereo_timeline::pause(clock::time_point now) {
  if (paused_ || finished_) return;
  // Frames already handed out cannot be taken back.
  const std::int64_t from = std::max(position(now), drained_);
  for (track* t : {&caller_, &agent_}) {
    if (t->cursor > from) {
      // Placed ahead of real time by a burst: it would play inside the pause.
      t->stats.paused += static_cast<std::uint64_t>(t->cursor - from);
      t->cursor = from;
    }
  }
  pause_started_ = from;
  paused_ = true;
}

void stereo_timeline::resume(clock::time_point now) {
  if (!paused_ || finished_) return;
  const std::int64_t until = std::max(position(now), pause_started_);
  pauses_.push_back({ms_of(pause_started_), ms_of(until - pause_started_)});
  silent_until_ = until;
  paused_ = false;
}

}  // namespace callcenterd::recording
