#include "callcenterd/media/audio_mixer.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>

namespace callcenterd::media {
namespace {

static_assert(audio_mixer::max_parties <= std::numeric_limits<std::uint8_t>::digits,
              "a party_set has one bit per party");

// Eight full-scale frames sum to 8 * 32768, far inside an int32, so sums never overflow and
// clipping happens once, at the end.
static_assert(audio_mixer::max_parties * 32768 <=
              static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()));

constexpr std::uint8_t bit_of(std::size_t party) { return static_cast<std::uint8_t>(1U << party); }

// Calls f(party) for every party in `set`, lowest first.
template <typename F>
void for_each_party(unsigned set, F f) {
  for (; set != 0; set &= set - 1) f(static_cast<std::size_t>(std::countr_zero(set)));
}

// One pass per frame over an int32 accumulator, rather than one pass per sample over all
// frames: each loop is a straight line over two arrays, which the compiler vectorises.
void assign_frame(std::span<std::int32_t> sum, std::span<const std::int16_t> frame) {
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = frame[i];
}

void add_frame(std::span<std::int32_t> sum, std::span<const std::int16_t> frame) {
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += frame[i];
}

void subtract_frame(std::span<std::int32_t> sum, std::span<const std::int16_t> frame) {
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] -= frame[i];
}

// Hard clipping: loud enough to clip means two people shouting at once, where a limiter's
// smoother distortion buys little on an 8 kHz phone line.
void saturate(std::span<const std::int32_t> sum, std::span<std::int16_t> out) {
  constexpr std::int32_t low = std::numeric_limits<std::int16_t>::min();
  constexpr std::int32_t high = std::numeric_limits<std::int16_t>::max();
  for (std::size_t i = 0; i < sum.size(); ++i) {
    out[i] = static_cast<std::int16_t>(std::clamp(sum[i], low, high));
  }
}

}  // namespace

bool audio_mixer::present(std::size_t party) const {
  return party < max_parties && parties_[party].present;
}

bool audio_mixer::add(std::size_t party) {
  if (party >= max_parties || parties_[party].present) return false;
  auto& state = parties_[party];
  state.present = true;
  state.silent = true;
  state.head = 0;
  state.queued = 0;
  // Whatever the leg number's previous party heard must not leak to the new one before the
  // next mix().
  state.heard.fill(silence_linear);
  set_role(party, party_role::full);  // cannot fail: the party is present, the role needs no target
  return true;
}

void audio_mixer::remove(std::size_t party) {
  if (!present(party)) return;
  auto& state = parties_[party];
  state.present = false;
  state.hears = 0;
  state.queued = 0;
  for (auto& other : parties_) {
    other.hears = static_cast<party_set>(other.hears & ~bit_of(party));
    if (other.role == party_role::whisper && other.whisper_target == party) {
      other.role = party_role::listen;
    }
  }
}

bool audio_mixer::role_lets_hear(std::size_t speaker, std::size_t listener) const {
  const auto& state = parties_[speaker];
  switch (state.role) {
    case party_role::full:
      return true;
    case party_role::listen:
      return false;
    case party_role::whisper:
      return state.whisper_target == listener;
  }
  return false;
}

bool audio_mixer::set_role(std::size_t party, party_role role, std::optional<std::size_t> target) {
  if (!present(party)) return false;
  if (role == party_role::whisper && (!target || *target == party || !present(*target))) {
    return false;
  }
  auto& state = parties_[party];
  state.role = role;
  state.whisper_target = role == party_role::whisper ? *target : 0;
  // Both directions follow the roles: whom this party hears depends on the others' roles,
  // which may have changed since it last looked (it may have just joined).
  state.hears = 0;
  for (std::size_t other = 0; other < max_parties; ++other) {
    if (other == party || !parties_[other].present) continue;
    set_hears(party, other, role_lets_hear(other, party));
    set_hears(other, party, role_lets_hear(party, other));
  }
  return true;
}

bool audio_mixer::set_hears(std::size_t listener, std::size_t speaker, bool hears) {
  if (listener == speaker || !present(listener) || !present(speaker)) return false;
  auto& set = parties_[listener].hears;
  set = static_cast<party_set>(hears ? set | bit_of(speaker) : set & ~bit_of(speaker));
  return true;
}

bool audio_mixer::hears(std::size_t listener, std::size_t speaker) const {
  return present(listener) && present(speaker) && (parties_[listener].hears & bit_of(speaker)) != 0;
}

bool audio_mixer::push(std::size_t party, std::span<const std::int16_t> samples) {
  if (!present(party) || samples.empty() || samples.size() > max_frame_samples) return false;
  auto& state = parties_[party];
  if (state.queued == queue_frames) {
    state.head = (state.head + 1) % queue_frames;
    --state.queued;
    ++frames_dropped_;
  }
  const auto slot = (state.head + state.queued) % queue_frames;
  std::copy(samples.begin(), samples.end(), state.queue[slot].begin());
  state.lengths[slot] = samples.size();
  ++state.queued;
  return true;
}

std::size_t audio_mixer::queued(std::size_t party) const {
  return present(party) ? parties_[party].queued : 0;
}

void audio_mixer::mix(std::size_t samples) {
  assert(samples > 0 && samples <= max_frame_samples);
  frame_samples_ = std::clamp<std::size_t>(samples, 1, max_frame_samples);
  party_set spoke = 0;
  party_set heard_by_someone = 0;
  for (const auto& state : parties_) {
    if (state.present) heard_by_someone = static_cast<party_set>(heard_by_someone | state.hears);
  }
  for (std::size_t party = 0; party < max_parties; ++party) {
    auto& state = parties_[party];
    if (!state.present) continue;
    if (state.queued == 0) {
      if ((heard_by_someone & bit_of(party)) != 0) ++frames_missing_;
      continue;
    }
    spoke = static_cast<party_set>(spoke | bit_of(party));
    // A short frame is padded in place, so that every frame mixed below is frame_samples_ long.
    auto& frame = state.queue[state.head];
    const auto length = std::min(state.lengths[state.head], frame_samples_);
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(length),
              frame.begin() + static_cast<std::ptrdiff_t>(frame_samples_), silence_linear);
  }
  total_ready_ = false;
  for (std::size_t party = 0; party < max_parties; ++party) {
    if (parties_[party].present) mix_for(party, spoke);
  }
  for_each_party(spoke, [this](std::size_t party) {
    auto& state = parties_[party];
    state.head = (state.head + 1) % queue_frames;
    --state.queued;
  });
  ++frames_mixed_;
}

std::span<const std::int16_t> audio_mixer::current_frame(std::size_t party) const {
  const auto& state = parties_[party];
  return std::span(state.queue[state.head]).first(frame_samples_);
}

void audio_mixer::sum_into(std::span<std::int32_t> sum, party_set speakers) const {
  bool first = true;
  for_each_party(speakers, [&](std::size_t party) {
    if (first) {
      assign_frame(sum, current_frame(party));
      first = false;
    } else {
      add_frame(sum, current_frame(party));
    }
  });
}

void audio_mixer::mix_for(std::size_t listener, party_set spoke) {
  auto& state = parties_[listener];
  const auto out = std::span(state.heard).first(frame_samples_);
  const auto wanted = static_cast<party_set>(state.hears & spoke);
  state.silent = wanted == 0;
  if (state.silent) {
    std::fill(out.begin(), out.end(), silence_linear);
    return;
  }
  const auto sum = std::span(sum_).first(frame_samples_);
  // Either the sum of what this listener hears, or the sum of everyone who spoke less those
  // it does not hear: its own voice, and maybe a silent monitor's. Whichever takes fewer
  // passes wins. In the usual conference everybody hears everybody, so each listener costs one
  // subtraction from a total computed once, instead of N-1 additions: O(N) per frame rather
  // than O(N^2). Choosing per listener also keeps the shortcut for a matrix that is almost
  // full (a supervisor listening in), where a single "is it the full matrix?" test would not.
  const auto excluded = static_cast<party_set>(spoke & ~wanted);
  if (std::popcount(excluded) < std::popcount(wanted)) {
    if (!total_ready_) {
      sum_into(std::span(total_).first(frame_samples_), spoke);
      total_ready_ = true;
    }
    std::copy_n(total_.begin(), frame_samples_, sum.begin());
    for_each_party(excluded, [&](std::size_t party) { subtract_frame(sum, current_frame(party)); });
  } else {
    sum_into(sum, wanted);
  }
  saturate(sum, out);
}

std::span<const std::int16_t> audio_mixer::heard(std::size_t party) const {
  if (!present(party)) return {};
  return std::span(parties_[party].heard).first(frame_samples_);
}

std::span<const std::uint8_t> audio_mixer::encoded(std::size_t party, g711_law law) {
  if (!present(party)) return {};
  auto& state = parties_[party];
  const auto out = std::span(state.encoded).first(frame_samples_);
  encode(law, heard(party), out);
  return out;
}

bool audio_mixer::silent(std::size_t party) const {
  return !present(party) || parties_[party].silent;
}

}  // namespace callcenterd::media
