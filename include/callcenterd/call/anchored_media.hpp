#pragma once

// The media factory of a running media engine: every call's RTP flows through our ports.
// Each leg negotiates with us on its own (our address, our codecs, our telephone-event), so
// the two legs may differ in codec and are relayed with transcoding; hold plays music to the
// held party; a call answered here hears prompts; bridged calls are recorded.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "callcenterd/call/media_session.hpp"
#include "callcenterd/media/call_media.hpp"
#include "callcenterd/media/prompt.hpp"
#include "callcenterd/recording/recording_writer.hpp"
#include "callcenterd/sip/offer_answer.hpp"

namespace callcenterd::call {

/// A finished recording, with what the call knew of it: what its index row holds.
struct recording_entry {
  recording::recording_result result;
  std::string sip_call_id;
  std::string caller;  ///< the caller's number (left channel)
  std::string agent;   ///< the extension or number that answered (right channel)
  /// Stretches left silent on request: offset from the start and length.
  std::vector<std::pair<std::chrono::milliseconds, std::chrono::milliseconds>> pauses;
  /// Per leg (caller, agent): loss fraction, jitter and estimated MOS at the end.
  std::array<media::leg_quality, 2> quality{};
};

struct anchored_media_settings {
  /// Our SDP: the advertised RTP address, codecs, telephone-event. rtcp_mux is turned off:
  /// each leg has its own RTCP port.
  sip::sdp::media_capabilities capabilities;
  /// What a held party hears, looped; none plays silence.
  std::shared_ptr<const media::prompt> hold_music;
  /// What a caller we answered hears while the callee rings.
  std::shared_ptr<const media::prompt> ringback;
  /// How often the recording's aligned audio goes to the writer.
  std::chrono::milliseconds recording_block = std::chrono::seconds(1);
};

/// Makes anchored sessions on `engine`. `recorder` may be null (nothing is recorded);
/// `on_recorded` runs on the writer's thread for every recording that ends, failed or not.
/// Thread-safe; must outlive every session it made.
std::unique_ptr<media_factory> make_anchored_media_factory(
    media::media_engine& engine, anchored_media_settings settings,
    recording::recording_writer* recorder, std::function<void(recording_entry)> on_recorded);

}  // namespace callcenterd::call
