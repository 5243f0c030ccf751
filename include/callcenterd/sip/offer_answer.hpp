#pragma once

// The SDP offer/answer model (RFC 3264) for a B2BUA that terminates media itself: building
// our offers, answering the peer's offers, and reading the peer's answers into what the media
// engine needs. Pure functions on plain values; no strand affinity (call them on the call's
// strand, which owns the SDP state of its legs).

#include <boost/asio/ip/address.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::sip::sdp {

/// An audio codec the media engine can send and receive.
struct audio_codec {
  std::string encoding;  ///< compared case-insensitively
  std::uint32_t clock_rate = 8000;
  std::uint8_t payload_type = 0;  ///< used in our offers; answers keep the offerer's number
  std::uint16_t channels = 1;

  friend bool operator==(const audio_codec&, const audio_codec&) = default;
};

/// PCMU/8000 (pt 0), then PCMA/8000 (pt 8).
std::vector<audio_codec> default_audio_codecs();

/// What a browser leg needs in SDP for ICE-lite and DTLS-SRTP (see WEBRTC.md). Per leg: the
/// ICE credentials must not be shared between legs.
struct ice_dtls_parameters {
  std::string ice_ufrag;  ///< at least 4 characters
  std::string ice_pwd;    ///< at least 22 characters (browsers refuse shorter)
  std::string fingerprint_algorithm = "sha-256";
  std::string fingerprint;  ///< upper-case hex pairs joined by ':'
};

/// DTLS role on a DTLS-SRTP stream (RFC 5763: setup:active is the client).
enum class dtls_role : std::uint8_t { client, server };

/// What we can do with media, plus the values our session descriptions carry. Built from
/// configuration by the composition root; check it there with check_capabilities().
struct media_capabilities {
  /// Our RTP address: in our offers, and in answers to offers of the same family.
  boost::asio::ip::address rtp_address = boost::asio::ip::address_v4::loopback();
  /// Our address of the other family, if any, for answers to offers of that family.
  std::optional<boost::asio::ip::address> secondary_rtp_address;
  /// Audio codecs in our order of preference (that order only matters in our offers).
  std::vector<audio_codec> codecs = default_audio_codecs();
  /// Payload type we offer telephone-event/8000 (RFC 4733) with; nullopt turns DTMF events
  /// off. Answers keep the offerer's number.
  std::optional<std::uint8_t> telephone_event_payload_type = 101;
  std::string telephone_events = "0-15";  ///< our a=fmtp for telephone-event
  std::uint32_t ptime = 20;               ///< milliseconds; what we ask to receive
  bool rtcp_mux = true;                   ///< offer a=rtcp-mux, and accept it when offered
  std::string username = "callcenterd";   ///< o= username
  std::string session_name = "callcenterd";
  /// Gives the o= session id of each new session description. Null means nanoseconds since
  /// the epoch (RFC 4566 suggests a timestamp); tests set a fixed one.
  std::function<std::uint64_t()> session_id_source;
  /// Set for a browser leg: offers use UDP/TLS/RTP/SAVPF with these values, and answers
  /// accept DTLS-SRTP audio. Unset: DTLS-SRTP streams are rejected.
  std::optional<ice_dtls_parameters> ice_dtls;
};

/// sdp_errc::bad_capabilities when `caps` cannot give valid SDP (no codecs, payload types
/// above 127 or clashing, a ptime outside 10..120, short ICE credentials); otherwise success.
/// Meant for start-up, where configuration errors are found. Any strand.
boost::system::error_code check_capabilities(const media_capabilities& caps);

/// What a media engine needs to run one RTP stream. Direction is ours: sendonly means we send
/// and do not expect to receive.
struct negotiated_media {
  std::size_t index = 0;  ///< position of the m= line in the offer and answer
  std::string proto;
  std::uint16_t local_port = 0;
  /// Where to send. Unspecified (0.0.0.0 / ::) on hold; for DTLS-SRTP only a hint, since the
  /// peer is learnt from ICE checks.
  boost::asio::ip::address remote_address;
  std::uint16_t remote_port = 0;
  rtp_format codec;  ///< payload type as the peer expects to receive it
  std::optional<std::uint8_t> telephone_event_payload_type;
  std::uint32_t ptime = 20;  ///< packetisation the peer asked for (else ours)
  media_direction direction = media_direction::sendrecv;
  bool rtcp_mux = false;
  /// DTLS-SRTP streams: the peer's ICE credentials and certificate fingerprint, our role.
  struct ice_dtls_peer {
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint_algorithm;
    std::string fingerprint;
    dtls_role local_role = dtls_role::server;
    std::optional<std::string> mid;

    friend bool operator==(const ice_dtls_peer&, const ice_dtls_peer&) = default;
  };
  std::optional<ice_dtls_peer> ice_dtls;

  bool sends() const;     ///< we should send RTP (direction and address allow it)
  bool receives() const;  ///< we should expect RTP

  friend bool operator==(const negotiated_media&, const negotiated_media&) = default;
};

/// An offer from us: one audio stream on `rtp_port` with our codecs and telephone-event,
/// a=ptime and an explicit direction; with caps.ice_dtls a DTLS-SRTP stream for a browser
/// (ice-lite, setup:actpass, rtcp-mux, one host candidate). The o= id comes from
/// caps.session_id_source. Any strand.
session make_offer(const media_capabilities& caps, std::uint16_t rtp_port,
                   media_direction direction = media_direction::sendrecv,
                   std::uint64_t session_version = 0);

/// The next offer of an existing session (RFC 3264 §8): `previous` (our last offer or
/// answer) with the o= version incremented and every active audio stream set to `direction`
/// (sendonly to hold, sendrecv to resume); DTLS streams go back to setup:actpass. Any strand.
session make_reoffer(const session& previous, media_direction direction);

/// How to answer.
struct answer_options {
  /// What we would like; the answer's direction is this intersected with the complement of
  /// the offer's (RFC 3264 §6.1).
  media_direction direction = media_direction::sendrecv;
  /// Our previous o= line in this dialog: the answer keeps its id and increments its version.
  /// Unset: a new id from caps.session_id_source and version 0.
  std::optional<origin> previous_origin;
  /// The DTLS role already in use on this leg; a re-offer must not flip it.
  std::optional<dtls_role> current_dtls_role;
};

/// Our answer and what was agreed for each accepted stream.
struct answer_result {
  session answer;
  std::vector<negotiated_media> media;  ///< accepted streams, in m= line order
};

/// Answers `offer` (RFC 3264 §6): one m= line per offered one, in order. Audio streams in
/// RTP/AVP or RTP/AVPF (and DTLS-SRTP when caps.ice_dtls is set) take the next port from
/// `rtp_ports` and the first offered codec we support, in the offerer's order, plus
/// telephone-event at the offerer's payload type; everything else gets port 0. An offered
/// c=0.0.0.0 counts as the RFC 2543 hold it used to mean. sdp_errc::no_acceptable_media when
/// nothing can be accepted (answer 488). Any strand; never throws on what the offer holds.
boost::system::result<answer_result> answer_offer(const session& offer,
                                                  const media_capabilities& caps,
                                                  std::span<const std::uint16_t> rtp_ports,
                                                  const answer_options& options = {});

/// Reads the peer's answer to our `offer`: the m= lines must match in number, media and proto
/// (answer_mismatch), each accepted stream must name a codec we offered
/// (answer_codec_not_offered) and an IP literal (unusable_address). Payload types are the
/// answer's. sdp_errc::no_acceptable_media when the answer rejects every stream. Any strand.
boost::system::result<std::vector<negotiated_media>> apply_answer(const session& offer,
                                                                  const session& answer);

}  // namespace callcenterd::sip::sdp
