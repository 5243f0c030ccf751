#pragma once

// The media of one call: an RTP endpoint per leg, what each leg hears (the other leg through
// a bridge, a prompt, music on hold, or nothing), the keys each leg presses, and a tap that
// hands the decoded audio of every leg to a recorder. Everything runs on the call's strand, so
// nothing here takes a lock; the packet path works in preallocated buffers.
//
// SDP is not read here: the call's media session negotiates and hands in a leg_config per
// leg. Legs are numbered (0 the caller, 1 the callee, more for consults and conferences);
// connect() pairs two of them, packet by packet through a payload_relay; join_mix() puts
// three or more in an audio_mixer, which the frame clock drives.

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "callcenterd/media/audio_mixer.hpp"
#include "callcenterd/media/dtmf.hpp"
#include "callcenterd/media/frame_clock.hpp"
#include "callcenterd/media/payload_relay.hpp"
#include "callcenterd/media/prompt.hpp"
#include "callcenterd/media/rtp_endpoint.hpp"
#include "callcenterd/media/rtp_port_pool.hpp"

namespace callcenterd::media {

/// What the engine is configured with: the address RTP binds to and the port range.
struct media_engine_settings {
  boost::asio::ip::address address = boost::asio::ip::address_v4::loopback();
  std::uint16_t first_port = 20000;
  std::uint16_t last_port = 29999;
  rtp_endpoint_settings endpoint;
};

/// Counters of the whole engine, readable from any thread.
struct media_engine_counters {
  std::atomic<std::uint64_t> legs_opened{0};
  std::atomic<std::uint64_t> legs_refused{0};  ///< no free port pair
  std::atomic<std::uint64_t> packets_relayed{0};
  std::atomic<std::uint64_t> packets_generated{0};
  /// Key presses reported to calls, by dtmf_source (RFC 4733, INFO, in-band).
  std::array<std::atomic<std::uint64_t>, 3> keys{};
  std::atomic<std::uint64_t> frames_skipped{0};  ///< the pacing clock woke up too late
};

/// What every call's media shares: the settings, the port pool and the counters. Thread-safe;
/// outlives every call_media made with it.
class media_engine {
 public:
  explicit media_engine(const media_engine_settings& settings);
  [[nodiscard]] const media_engine_settings& settings() const { return settings_; }
  [[nodiscard]] rtp_port_pool& ports() { return ports_; }
  [[nodiscard]] media_engine_counters& counters() { return counters_; }

 private:
  media_engine_settings settings_;
  rtp_port_pool ports_;
  media_engine_counters counters_;
};

/// How a key reached us.
enum class dtmf_source : std::uint8_t { rfc4733, info, inband };

/// What a call_media reports, on the call's strand.
class call_media_listener {
 public:
  /// A key pressed on `leg`, once per press whichever ways it arrived.
  virtual void on_dtmf(std::size_t leg, dtmf_key key, dtmf_source source) = 0;
  /// The prompt started by play() on `leg` ended: played out, or stopped by a key.
  virtual void on_playback_done(std::size_t leg, bool interrupted) = 0;

 protected:
  ~call_media_listener() = default;
};

/// Receives the decoded audio of every leg as it arrives (the recorder). Strand.
class audio_tap {
 public:
  virtual void on_audio(std::size_t leg, std::span<const std::int16_t> samples,
                        std::chrono::steady_clock::time_point arrival) = 0;

 protected:
  ~audio_tap() = default;
};

/// What one leg negotiated: where to send, how its audio is coded, which way it flows.
struct leg_config {
  /// Where the peer's SDP says to send; unset while it gives no address (hold by 0.0.0.0).
  std::optional<boost::asio::ip::udp::endpoint> remote;
  leg_format format;
  std::uint32_t ptime_ms = 20;
  bool sends = true;     ///< we may send to this leg
  bool receives = true;  ///< the leg sends to us
};

class call_media : public std::enable_shared_from_this<call_media> {
 public:
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;
  using time_point = std::chrono::steady_clock::time_point;
  static constexpr std::size_t max_legs = 4;

  /// Any thread; the object lives on `strand` from then on.
  static std::shared_ptr<call_media> create(strand_type strand, media_engine& engine);
  ~call_media();
  call_media(const call_media&) = delete;
  call_media& operator=(const call_media&) = delete;

  /// Both must outlive the call_media, or be unset before they go. Strand.
  void set_listener(call_media_listener* listener) { listener_ = listener; }
  void set_tap(audio_tap* tap) { tap_ = tap; }

  /// Binds `leg`'s RTP port pair, if it has none yet, and returns the RTP port. An error when
  /// the port range is exhausted. Strand.
  boost::system::result<std::uint16_t> open_leg(std::size_t leg);
  /// Applies what `leg` negotiated; again after every offer/answer. A new SDP address lets a
  /// new source latch at once. Strand.
  void configure_leg(std::size_t leg, const leg_config& config);
  [[nodiscard]] bool configured(std::size_t leg) const;
  /// Pairs two configured legs: each hears the other. Strand.
  void connect(std::size_t a, std::size_t b);
  /// Undoes connect() for `leg` and its partner. Strand.
  void disconnect(std::size_t leg);
  [[nodiscard]] std::optional<std::size_t> partner(std::size_t leg) const;

  /// Puts `leg` into the call's mix, for three or more parties (a consult heard by all, a
  /// conference, a supervisor): it hears the others its role lets it hear, summed, instead
  /// of a partner, and they hear it as `role` says (`whisper` only `whisper_to`, `listen`
  /// nobody). A connected leg is disconnected first; again to change the role. False,
  /// changing nothing, when the leg is not configured or a whisper has no target in the mix.
  /// Strand.
  bool join_mix(std::size_t leg, party_role role = party_role::full,
                std::optional<std::size_t> whisper_to = std::nullopt);
  /// Takes `leg` out of the mix: it hears nothing until connected or played to. Strand.
  void leave_mix(std::size_t leg);
  [[nodiscard]] bool mixing(std::size_t leg) const;

  /// Plays `audio` to `leg` in place of anything relayed to it, looping for music on hold.
  /// With `stop_on_key`, a key pressed on that leg stops it (barge-in). Replaces a prompt
  /// that was playing there, which then ends as interrupted. Strand.
  void play(std::size_t leg, std::shared_ptr<const prompt> audio, bool loop, bool stop_on_key);
  /// Stops what play() started on `leg`; on_playback_done() says interrupted. Strand.
  void stop_playing(std::size_t leg);
  [[nodiscard]] bool playing(std::size_t leg) const;

  /// Listens for keys sent as tones in `leg`'s audio, for peers without telephone-event. Off
  /// by default: it decodes and filters every packet. Strand.
  void detect_inband_dtmf(std::size_t leg, bool on);
  /// A key from a SIP INFO on `leg`. Reported like any key, and sent on as RFC 4733 events to
  /// the leg it is connected to, which would otherwise never hear it. Strand.
  void on_info_dtmf(std::size_t leg, dtmf_key key);
  /// Sends `key` to `leg` as RFC 4733 events: 100 ms of updates, then the end packet three
  /// times, on the frame clock; keys sent while one is going out follow in order. False when
  /// the leg negotiated no telephone-event. Strand.
  bool send_dtmf(std::size_t leg, dtmf_key key);

  /// Quality of `leg` so far (zeros before it received anything). Strand.
  [[nodiscard]] leg_quality quality(std::size_t leg) const;
  /// Packets received and sent on `leg`. Strand.
  [[nodiscard]] std::uint64_t received(std::size_t leg) const;
  [[nodiscard]] std::uint64_t sent(std::size_t leg) const;

  /// Closes every leg and gives their ports back. Strand; idempotent.
  void close();

 private:
  struct leg_state;

  call_media(strand_type strand, media_engine& engine);
  leg_state& at(std::size_t leg);
  const leg_state* find(std::size_t leg) const;
  leg_state* find(std::size_t leg);
  // From a leg's endpoint, telephone-event receiver and in-band detector.
  void on_rtp(leg_state& from, const rtp_header& packet, time_point arrival);
  void on_key(leg_state& from, dtmf_key key, dtmf_source source);
  void rebuild_relays();
  // The 20 ms clock of generated audio: runs while any leg plays.
  void arm_clock();
  void wait_clock();
  void on_clock(const boost::system::error_code& ec);
  void on_tick();
  void end_playback(leg_state& leg, bool interrupted);
  [[nodiscard]] bool any_mixing() const;
  // One frame of the mix to every mixed leg that is not hearing a prompt.
  void send_mix(std::chrono::steady_clock::time_point now);
  void send_event_packet(leg_state& leg, std::chrono::steady_clock::time_point now);

  strand_type strand_;
  media_engine& engine_;
  std::array<std::unique_ptr<leg_state>, max_legs> legs_;
  call_media_listener* listener_ = nullptr;
  audio_tap* tap_ = nullptr;
  boost::asio::steady_timer clock_timer_;
  std::optional<frame_clock> clock_;
  // Made when the first leg joins the mix: about 47 KB that two-party calls never need.
  std::unique_ptr<audio_mixer> mixer_;
  bool closed_ = false;
  std::array<std::int16_t, 2048> decoded_{};
};

}  // namespace callcenterd::media
