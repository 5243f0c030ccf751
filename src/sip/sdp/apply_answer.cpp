#include "callcenterd/sip/offer_answer.hpp"
#include "negotiation.hpp"
#include "sdp_text.hpp"

namespace callcenterd::sip::sdp {
namespace {

using boost::system::result;

// The answerer's format for `pt`: its own rtpmap, else what the offer meant by that number.
std::optional<rtp_format> answer_format(const media_description& answered,
                                        const media_description& offered, std::uint8_t pt) {
  if (auto mapped = find_rtpmap(answered, pt)) return mapped;
  if (auto format = payload_format(offered, pt)) return format;
  return payload_format(answered, pt);
}

bool offered_format(const media_description& offered, const rtp_format& format) {
  for (auto pt : payload_types(offered)) {
    const auto candidate = payload_format(offered, pt);
    if (candidate && detail::same_codec(*candidate, format)) return true;
  }
  return false;
}

// The first voice codec in the answer that we offered (the answerer's preference wins) and
// telephone-event at its clock rate. Payload types are the answer's: that is what the peer
// expects to receive.
result<std::pair<rtp_format, std::optional<std::uint8_t>>> agreed_codecs(
    const media_description& offered, const media_description& answered) {
  std::optional<rtp_format> codec;
  for (auto pt : payload_types(answered)) {
    const auto format = answer_format(answered, offered, pt);
    if (format && detail::is_voice_codec(format->encoding) && offered_format(offered, *format)) {
      codec = format;
      break;
    }
  }
  if (!codec) return sdp_errc::answer_codec_not_offered;
  std::optional<std::uint8_t> event;
  for (auto pt : payload_types(answered)) {
    const auto format = answer_format(answered, offered, pt);
    if (format && detail::iequals(format->encoding, "telephone-event") &&
        format->clock_rate == codec->clock_rate && offered_format(offered, *format)) {
      event = pt;
      break;
    }
  }
  return std::pair{*codec, event};
}

result<negotiated_media::ice_dtls_peer> answered_ice_dtls(const session& answer,
                                                          const media_description& answered) {
  const auto peer = detail::read_ice_dtls(answer, answered);
  if (!peer) return sdp_errc::bad_ice_dtls;
  // The answerer must pick a side (RFC 5763 §5); actpass is for offers only.
  dtls_role role = dtls_role::server;
  if (peer->setup == "passive") {
    role = dtls_role::client;
  } else if (peer->setup != "active") {
    return sdp_errc::bad_ice_dtls;
  }
  return negotiated_media::ice_dtls_peer{
      peer->ice_ufrag,   peer->ice_pwd, peer->fingerprint_algorithm,
      peer->fingerprint, role,          peer->mid};
}

result<negotiated_media> agree(const session& offer, const session& answer, std::size_t index) {
  const auto& offered = offer.media[index];
  const auto& answered = answer.media[index];
  const bool dtls = is_dtls_srtp_proto(offered.proto);
  negotiated_media agreed;
  agreed.index = index;
  agreed.proto = offered.proto;
  agreed.local_port = offered.port;
  agreed.remote_port = answered.port;

  auto codecs = agreed_codecs(offered, answered);
  if (!codecs) return codecs.error();
  agreed.codec = codecs->first;
  agreed.telephone_event_payload_type = codecs->second;

  const auto* conn = effective_connection(answer, answered);
  auto remote = conn ? detail::literal_address(*conn) : std::nullopt;
  if (!remote && !dtls) return sdp_errc::unusable_address;
  agreed.remote_address = remote.value_or(boost::asio::ip::address_v4::any());

  if (dtls) {
    auto peer = answered_ice_dtls(answer, answered);
    if (!peer) return peer.error();
    agreed.ice_dtls = std::move(*peer);
  }
  auto answered_direction = direction(answer, answered);
  if (!dtls && remote->is_unspecified()) {
    answered_direction = detail::without_receive(answered_direction);
  }
  agreed.direction =
      detail::intersect(direction(offer, offered), detail::reversed(answered_direction));
  agreed.ptime =
      detail::usable_ptime(ptime(answer, answered))
          .value_or(detail::usable_ptime(ptime(offer, offered)).value_or(detail::default_ptime));
  agreed.rtcp_mux = find_attribute(offered.attributes, "rtcp-mux").has_value() &&
                    find_attribute(answered.attributes, "rtcp-mux").has_value();
  return agreed;
}

}  // namespace

result<std::vector<negotiated_media>> apply_answer(const session& offer, const session& answer) {
  if (answer.media.size() != offer.media.size()) return sdp_errc::answer_mismatch;
  std::vector<negotiated_media> out;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const auto& offered = offer.media[i];
    const auto& answered = answer.media[i];
    if (answered.media != offered.media) return sdp_errc::answer_mismatch;
    if (answered.port == 0) continue;  // refused
    if (offered.port == 0 || !detail::iequals(answered.proto, offered.proto)) {
      return sdp_errc::answer_mismatch;
    }
    // Only what we can terminate was offered with intent; anything else is not ours to run.
    const bool usable = offered.media == "audio" && (detail::is_plain_rtp_proto(offered.proto) ||
                                                     is_dtls_srtp_proto(offered.proto));
    if (!usable) continue;
    auto agreed = agree(offer, answer, i);
    if (!agreed) return agreed.error();
    out.push_back(std::move(*agreed));
  }
  if (out.empty()) return sdp_errc::no_acceptable_media;
  return out;
}

}  // namespace callcenterd::sip::sdp
