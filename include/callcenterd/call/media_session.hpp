#pragma once

#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace callcenterd::call {

/// The two sides of a call: the caller's leg (the INVITE we received) and the callee's (the
/// INVITE we sent to a phone or trunk).
enum class leg_side { caller, callee };

/// The other side.
constexpr leg_side other(leg_side side) {
  return side == leg_side::caller ? leg_side::callee : leg_side::caller;
}

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
  /// The call is over: release ports and streams.
  virtual void close() = 0;
};

/// Makes a media session for each new call. Thread-safe: called from any shard strand.
class media_factory {
 public:
  virtual ~media_factory() = default;
  virtual std::unique_ptr<media_session> create() = 0;
};

/// The media factory used until the media engine runs: bridged legs exchange their SDP
/// unchanged (media flows end to end), and a call answered locally gets an SDP answer that
/// accepts the offered codec but is inactive on the discard port 9, so no RTP flows and
/// none is expected. Thread-safe.
std::unique_ptr<media_factory> make_signaling_only_media_factory();

}  // namespace callcenterd::call
