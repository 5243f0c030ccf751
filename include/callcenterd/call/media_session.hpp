#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "callcenterd/media/prompt.hpp"

namespace callcenterd::call {

/// The two sides of a call: the caller's leg (the INVITE we received) and the callee's (the
/// INVITE we sent to a phone or trunk).
enum class leg_side { caller, callee };

/// The other side.
constexpr leg_side other(leg_side side) {
  return side == leg_side::caller ? leg_side::callee : leg_side::caller;
}

/// What a media session tells its call, on the call's strand.
class media_session_listener {
 public:
  /// A key pressed on `side` (RFC 4733, SIP INFO or a tone in the audio), once per press.
  virtual void on_dtmf(leg_side side, char key) = 0;
  /// What play() started on `side` ended: played out, or stopped by a key or stop_playing().
  virtual void on_playback_done(leg_side side, bool interrupted) = 0;

 protected:
  ~media_session_listener() = default;
};

/// The boundary between a call's signalling and its media. The call model hands every SDP
/// body that crosses it to the call's media session and sends whatever comes back; it never
/// reads or builds SDP itself. That is what lets a media engine that anchors RTP replace the
/// signalling-only session without a change to the call model: it answers offers with its
/// own ports, and offers its own ports to the other leg. One per call, used on the call's
/// strand only. Errors are sdp_errc values (the call answers 488).
class media_session {
 public:
  virtual ~media_session() = default;
  /// The call answers `side` itself (IVR, local DIDs): our answer to its `offer`, or our
  /// offer when `offer` is empty (an INVITE without SDP; the answer comes in the ACK).
  virtual boost::system::result<std::string> answer_locally(leg_side side,
                                                            std::string_view offer) = 0;
  /// An offer from `from` (empty when it sent none) becomes what the other leg is sent.
  virtual boost::system::result<std::string> relay_offer(leg_side from, std::string_view offer) = 0;
  /// The other leg's answer to a relayed offer becomes the answer `from` is sent.
  virtual boost::system::result<std::string> relay_answer(leg_side from,
                                                          std::string_view answer) = 0;
  /// The peer's answer, in its ACK, to the offer our 2xx made `side` (an INVITE without SDP).
  virtual void accept_answer(leg_side /*side*/, std::string_view /*answer*/) {}
  /// The callee now stands where the caller was (a transfer the caller asked for): what was
  /// said of one side is said of the other from now on.
  virtual void swap_sides() {}
  /// Who is on `side` (a caller's number, an agent's extension), for the recording's index.
  virtual void set_party(leg_side /*side*/, std::string_view /*who*/) {}
  /// Receives keys and the ends of prompts; null to stop. Must outlive the session's use.
  virtual void set_listener(media_session_listener* /*listener*/) {}
  /// Plays `audio` to `side` instead of what it hears now (once, or looped for music);
  /// a key on that side stops it when `stop_on_key`. on_playback_done() follows. Without
  /// media of our own (signalling only) nothing plays and false comes back.
  virtual bool play(leg_side /*side*/, const std::shared_ptr<const media::prompt>& /*audio*/,
                    bool /*loop*/, bool /*stop_on_key*/) {
    return false;
  }
  virtual void stop_playing(leg_side /*side*/) {}
  /// The music this call's held parties hear (its DID's class or the default); null when
  /// there is none or nothing can play.
  [[nodiscard]] virtual std::shared_ptr<const media::prompt> hold_music() const { return nullptr; }
  /// A SIP INFO from `side`: true when its body was a key (application/dtmf-relay or
  /// application/dtmf), which then reaches the listener.
  virtual bool on_info(leg_side /*side*/, std::string_view /*content_type*/,
                       std::string_view /*body*/) {
    return false;
  }
  /// Whether the call is recorded once its legs are bridged, decided again before that (a
  /// queue that says not); a recording already running is not stopped.
  virtual void set_recorded(bool /*record*/) {}
  /// Leaves silence in the recording from now on (card numbers), marking the pause, and
  /// resumes it. False when the call is not being recorded.
  virtual bool pause_recording() { return false; }
  virtual bool resume_recording() { return false; }
  /// `holder` puts the other side on hold from our end (an agent's request, not an SDP
  /// offer): the other side hears hold music (silence without any), the holder hears
  /// silence, until released. False without media of our own, changing nothing.
  virtual bool hold_other(leg_side /*holder*/, bool /*on*/) { return false; }
  /// Sends `key` (0-9, *, #, A-D) to `side` as RFC 4733 events, after any still going out.
  /// False when that leg negotiated no telephone-event (or there is no media of our own).
  virtual bool send_dtmf(leg_side /*side*/, char /*key*/) { return false; }
  /// The call is over: release ports and streams, close the recording.
  virtual void close() = 0;
};

/// What a new call tells the media factory about itself.
struct media_call_info {
  /// The call's UUID: the recording's file name and index key.
  std::string call_uuid{};
  std::string sip_call_id{};
  /// Whether the call is recorded once its legs are bridged.
  bool record = true;
  /// Music on hold of this call (its DID's hold class); null: the factory's default.
  std::shared_ptr<const media::prompt> hold_music{};
};

/// Makes a media session for each new call. Thread-safe: called from any shard strand.
class media_factory {
 public:
  virtual ~media_factory() = default;
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;
  /// A session for a call that runs on `strand`.
  virtual std::unique_ptr<media_session> create(strand_type strand,
                                                const media_call_info& info) = 0;
};

/// The media factory used until the media engine runs: bridged legs exchange their SDP
/// unchanged (media flows end to end), and a call answered locally gets an SDP answer that
/// accepts the offered codec but is inactive on the discard port 9, so no RTP flows and
/// none is expected. Thread-safe.
std::unique_ptr<media_factory> make_signaling_only_media_factory();

}  // namespace callcenterd::call
