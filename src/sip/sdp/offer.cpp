#include <set>

#include "callcenterd/sip/offer_answer.hpp"
#include "negotiation.hpp"
#include "sdp_text.hpp"

namespace callcenterd::sip::sdp {

std::vector<audio_codec> default_audio_codecs() {
  return {{"PCMU", 8000, 0, 1}, {"PCMA", 8000, 8, 1}};
}

boost::system::error_code check_capabilities(const media_capabilities& caps) {
  const auto& secondary = caps.secondary_rtp_address;
  if (caps.rtp_address.is_unspecified() ||
      (secondary &&
       (secondary->is_unspecified() || secondary->is_v6() == caps.rtp_address.is_v6()))) {
    return sdp_errc::bad_capabilities;
  }
  if (caps.codecs.empty() || caps.ptime < 10 || caps.ptime > 120 ||
      !detail::is_visible(caps.username) || caps.session_name.empty()) {
    return sdp_errc::bad_capabilities;
  }
  std::set<std::uint8_t> used;
  for (const auto& codec : caps.codecs) {
    if (codec.payload_type > 127 || !used.insert(codec.payload_type).second ||
        !detail::is_token(codec.encoding) || codec.clock_rate == 0 || codec.channels == 0) {
      return sdp_errc::bad_capabilities;
    }
  }
  if (const auto te = caps.telephone_event_payload_type) {
    if (*te > 127 || used.contains(*te) || caps.telephone_events.empty()) {
      return sdp_errc::bad_capabilities;
    }
  }
  if (const auto& ice = caps.ice_dtls) {
    if (ice->ice_ufrag.size() < 4 || ice->ice_pwd.size() < 22 ||
        !detail::is_token(ice->fingerprint_algorithm) || !detail::is_visible(ice->fingerprint) ||
        !detail::is_visible(ice->ice_ufrag) || !detail::is_visible(ice->ice_pwd)) {
      return sdp_errc::bad_capabilities;
    }
  }
  return {};
}

bool negotiated_media::sends() const {
  // A DTLS-SRTP peer is found by ICE checks, not by the c= line.
  const bool reachable = ice_dtls || (remote_port != 0 && !remote_address.is_unspecified());
  return detail::flags_of(direction).send && reachable;
}

bool negotiated_media::receives() const { return detail::flags_of(direction).recv; }

session make_offer(const media_capabilities& caps, std::uint16_t rtp_port,
                   media_direction direction, std::uint64_t session_version) {
  const auto& address = caps.rtp_address;
  session offer;
  offer.conn = detail::connection_for(address);
  offer.orig = origin{caps.username,
                      std::to_string(detail::new_session_id(caps)),
                      session_version,
                      "IN",
                      offer.conn->address_type,
                      offer.conn->address};
  offer.name = caps.session_name;

  media_description audio;
  audio.port = rtp_port;
  audio.proto = caps.ice_dtls ? "UDP/TLS/RTP/SAVPF" : "RTP/AVP";
  auto& attributes = audio.attributes;
  if (caps.ice_dtls) {
    offer.attributes.push_back(detail::make_attribute("ice-lite"));
    offer.attributes.push_back(detail::make_attribute("group", "BUNDLE 0"));
    attributes.push_back(detail::make_attribute("mid", "0"));
  }
  for (const auto& codec : caps.codecs) {
    audio.formats.push_back(std::to_string(codec.payload_type));
    attributes.push_back(
        detail::make_attribute("rtpmap", detail::rtpmap_value({codec.payload_type, codec.encoding,
                                                               codec.clock_rate, codec.channels})));
  }
  if (const auto te = caps.telephone_event_payload_type) {
    audio.formats.push_back(std::to_string(*te));
    attributes.push_back(
        detail::make_attribute("rtpmap", detail::rtpmap_value({*te, "telephone-event", 8000, 1})));
    attributes.push_back(
        detail::make_attribute("fmtp", std::to_string(*te) + ' ' + caps.telephone_events));
  }
  attributes.push_back(detail::make_attribute("ptime", std::to_string(caps.ptime)));
  attributes.push_back(detail::make_attribute(std::string(to_string(direction))));
  if (caps.rtcp_mux || caps.ice_dtls) attributes.push_back(detail::make_attribute("rtcp-mux"));
  if (caps.ice_dtls) detail::add_ice_dtls(audio, *caps.ice_dtls, address, "actpass");
  offer.media.push_back(std::move(audio));
  return offer;
}

session make_reoffer(const session& previous, media_direction direction) {
  session next = previous;
  ++next.orig.session_version;
  // Media-level attributes say it all; a stale session-level one would only confuse.
  std::erase_if(next.attributes,
                [](const attribute& a) { return !a.value && parse_direction(a.name); });
  for (auto& media : next.media) {
    if (media.port == 0 || media.media != "audio") continue;
    detail::set_direction(media.attributes, direction);
    if (!is_dtls_srtp_proto(media.proto)) continue;
    // The server re-offers actpass and the browser keeps its role (WEBRTC.md).
    for (auto& a : media.attributes) {
      if (a.name == "setup") a.value = "actpass";
    }
  }
  return next;
}

}  // namespace callcenterd::sip::sdp
