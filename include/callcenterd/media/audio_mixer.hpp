#pragma once

// What each party of a call with three or more legs hears: consult calls, conferences, and a
// supervisor who listens, whispers to the agent or barges in. Every frame, each party hears the
// sum of the parties it may hear, never its own voice (N-1 mixing), clipped to 16 bits.
//
// Pure: decoded frames in, mixed frames out, in buffers the mixer owns. It keeps no time of its
// own: the call's frame clock calls mix() once per frame, and every push() between two mixes
// belongs to the next one. All storage is in the object (about 46 KB, so the call should hold
// it by unique_ptr rather than on a stack); nothing is allocated after construction and nothing
// throws. One owner, any strand: in practice the call's strand, which also owns the legs.
// A party number past max_parties is treated like an absent party.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "callcenterd/media/g711.hpp"

namespace callcenterd::media {

/// Who hears a party. Whom it hears follows from the others' roles: everyone hears every
/// `full` party, nobody a `listen` one, only the target a `whisper` one.
enum class party_role : std::uint8_t {
  full,     ///< heard by everyone: an ordinary party, or a supervisor who barged in
  listen,   ///< heard by nobody: a supervisor's silent monitoring
  whisper,  ///< heard only by its target: a supervisor coaching the agent
};

class audio_mixer {
 public:
  /// Parties are numbered 0..max_parties-1, the call's leg numbers.
  static constexpr std::size_t max_parties = 8;
  /// The longest frame, 60 ms at 8 kHz: the longest ptime we offer.
  static constexpr std::size_t max_frame_samples = 480;
  /// Frames a party may queue ahead of the next mix(): room for a few packets that arrive
  /// together after a network hiccup, without letting latency grow past 80 ms at 20 ms.
  static constexpr std::size_t queue_frames = 4;

  audio_mixer() = default;
  audio_mixer(const audio_mixer&) = delete;
  audio_mixer& operator=(const audio_mixer&) = delete;

  /// Adds `party` in the `full` role: it hears every party whose role lets it, and everyone
  /// hears it. False, changing nothing, if it is already present. Owner's strand.
  bool add(std::size_t party);
  /// Removes `party` and drops what it queued. A whisper aimed at it turns into `listen`: a
  /// later party with the same leg number is somebody else and must not hear the coaching.
  /// Does nothing if it is absent. Owner's strand.
  void remove(std::size_t party);
  [[nodiscard]] bool present(std::size_t party) const;

  /// Sets `party`'s role and recomputes, from the roles, both whom it hears and who hears it
  /// (undoing set_hears() for those pairs). `whisper` needs `target`, another present party;
  /// the other roles ignore it. False, changing nothing, when the party is absent or the
  /// whisper has no valid target (the agent may have hung up a moment ago). Owner's strand.
  bool set_role(std::size_t party, party_role role, std::optional<std::size_t> target = {});
  /// Overrides one cell of the who-hears-whom matrix; it holds until either party's role is
  /// set again. False, changing nothing, when either party is absent or they are the same
  /// party (nobody hears themselves). Owner's strand.
  bool set_hears(std::size_t listener, std::size_t speaker, bool hears);
  /// Whether `listener` hears `speaker` now; false for absent parties. Owner's strand.
  [[nodiscard]] bool hears(std::size_t listener, std::size_t speaker) const;

  /// Queues one frame of 8 kHz linear PCM that `party` sent, for the next mix(). A full queue
  /// drops its oldest frame (counted in frames_dropped()): fresh audio beats late audio. A
  /// frame shorter than the mix() that takes it is padded with silence, a longer one is cut:
  /// legs with another ptime are repacketised by the caller. False, queuing nothing, for an
  /// absent party or an empty or over-long frame. Owner's strand.
  bool push(std::size_t party, std::span<const std::int16_t> samples);
  /// Frames `party` has queued for the coming mixes. Owner's strand.
  [[nodiscard]] std::size_t queued(std::size_t party) const;

  /// Mixes one frame of `samples` samples (1..max_frame_samples), taking the oldest queued
  /// frame of every present party; a party with none contributes silence. Afterwards heard()
  /// and silent() describe this frame. Owner's strand.
  void mix(std::size_t samples);

  /// What `party` hears in the last mixed frame, valid until the next mix() or remove().
  /// Empty for an absent party or before the first mix. Owner's strand.
  [[nodiscard]] std::span<const std::int16_t> heard(std::size_t party) const;
  /// heard(party) encoded in `law`, in a buffer of the party's that is valid until the next
  /// encoded() for the same party, mix() or remove(). Owner's strand.
  std::span<const std::uint8_t> encoded(std::size_t party, g711_law law);
  /// True when nobody `party` hears sent a frame for the last mix, so that what it hears is
  /// silence: the caller may send comfort noise or nothing instead. True for an absent party.
  /// Owner's strand.
  [[nodiscard]] bool silent(std::size_t party) const;

  /// Calls to mix(). Owner's strand.
  [[nodiscard]] std::uint64_t frames_mixed() const { return frames_mixed_; }
  /// Frames dropped from full queues. Owner's strand.
  [[nodiscard]] std::uint64_t frames_dropped() const { return frames_dropped_; }
  /// Frames that were missing: once per mix() for every present party that somebody hears
  /// but that had nothing queued (packet loss, hold, silence suppression). Owner's strand.
  [[nodiscard]] std::uint64_t frames_missing() const { return frames_missing_; }

 private:
  // One bit per party; fits max_parties.
  using party_set = std::uint8_t;

  struct party_state {
    bool present = false;
    bool silent = true;
    party_role role = party_role::full;
    std::size_t whisper_target = 0;
    party_set hears = 0;  // the speakers this party hears; never its own bit
    // A ring of frames: `queued` of them, the oldest at `head`.
    std::array<std::array<std::int16_t, max_frame_samples>, queue_frames> queue{};
    std::array<std::size_t, queue_frames> lengths{};
    std::size_t head = 0;
    std::size_t queued = 0;
    std::array<std::int16_t, max_frame_samples> heard{};
    std::array<std::uint8_t, max_frame_samples> encoded{};
  };

  // Whether `speaker`'s role lets `listener` hear it.
  [[nodiscard]] bool role_lets_hear(std::size_t speaker, std::size_t listener) const;
  // Mixes what `listener` hears from the frames of the `spoke` parties.
  void mix_for(std::size_t listener, party_set spoke);
  // The frame `party` is heard with in the current mix(): the oldest it queued.
  [[nodiscard]] std::span<const std::int16_t> current_frame(std::size_t party) const;
  // Writes the sum of the current frames of `speakers` (not empty) into `sum`.
  void sum_into(std::span<std::int32_t> sum, party_set speakers) const;

  std::array<party_state, max_parties> parties_{};
  // The sum of everyone who spoke, made at most once per mix(), when a listener first wants it.
  std::array<std::int32_t, max_frame_samples> total_{};
  bool total_ready_ = false;
  std::array<std::int32_t, max_frame_samples> sum_{};  // one listener's, before clipping
  std::size_t frame_samples_ = 0;                      // of the last mix(); 0 before the first
  std::uint64_t frames_mixed_ = 0;
  std::uint64_t frames_dropped_ = 0;
  std::uint64_t frames_missing_ = 0;
};

}  // namespace callcenterd::media
