#include <utility>

#include "callcenterd/sip/offer_answer.hpp"
#include "negotiation.hpp"
#include "sdp_text.hpp"

namespace callcenterd::sip::sdp {
namespace {

using boost::asio::ip::address;

// Our address of the family the peer used, so both ends can reach each other.
const address& local_address_for(const media_capabilities& caps, bool v6) {
  if (caps.rtp_address.is_v6() == v6) return caps.rtp_address;
  const auto& secondary = caps.secondary_rtp_address;
  if (secondary && secondary->is_v6() == v6) return *secondary;
  return caps.rtp_address;
}

bool wants_v6(const connection* conn) { return conn && conn->address_type == "IP6"; }

void mirror_mid(const media_description& offered, media_description& line) {
  const auto mid = find_attribute(offered.attributes, "mid");
  if (mid && !mid->empty())
    line.attributes.push_back(detail::make_attribute("mid", std::string(*mid)));
}

// RFC 3264 §6: a refused stream keeps its place with port 0.
media_description rejected(const media_description& offered) {
  media_description line;
  line.media = offered.media;
  line.proto = offered.proto;
  line.formats = offered.formats;
  mirror_mid(offered, line);
  return line;
}

// The first offered codec we support, in the offerer's order (RFC 3264 §6.1), under the
// offerer's payload type and our spelling of its name.
std::optional<rtp_format> choose_codec(const media_description& offered,
                                       const media_capabilities& caps) {
  for (auto pt : payload_types(offered)) {
    const auto format = payload_format(offered, pt);
    if (!format) continue;
    for (const auto& codec : caps.codecs) {
      const rtp_format ours{pt, codec.encoding, codec.clock_rate, codec.channels};
      if (detail::same_codec(*format, ours)) return ours;
    }
  }
  return std::nullopt;
}

// Our DTLS role against the peer's a=setup, keeping the role a leg already has.
std::optional<dtls_role> answer_role(std::string_view setup, std::optional<dtls_role> current) {
  if (setup == "actpass") return current.value_or(dtls_role::server);
  const auto needed = setup == "active"    ? std::optional(dtls_role::server)
                      : setup == "passive" ? std::optional(dtls_role::client)
                                           : std::nullopt;
  if (!needed || (current && *current != *needed)) return std::nullopt;
  return needed;
}

class answerer {
 public:
  answerer(const session& offer, const media_capabilities& caps,
           std::span<const std::uint16_t> ports, const answer_options& options)
      : offer_(offer), caps_(caps), ports_(ports), options_(options) {}

  // Fills `line` and returns what was agreed, or nullopt when the stream must be refused.
  std::optional<negotiated_media> accept(std::size_t index, const media_description& offered,
                                         media_description& line) {
    const bool dtls = is_dtls_srtp_proto(offered.proto);
    if (offered.port == 0 || offered.media != "audio" || next_port_ >= ports_.size() ||
        !(detail::is_plain_rtp_proto(offered.proto) || (dtls && caps_.ice_dtls))) {
      return std::nullopt;
    }
    const auto* conn = effective_connection(offer_, offered);
    if (!conn) return std::nullopt;
    auto remote = detail::literal_address(*conn);
    // A browser's c= is a hint at best (often 0.0.0.0); ICE checks find the real peer.
    if (!remote && !dtls) return std::nullopt;
    const auto codec = choose_codec(offered, caps_);
    if (!codec) return std::nullopt;

    negotiated_media agreed;
    if (dtls) {
      const auto peer = detail::read_ice_dtls(offer_, offered);
      if (!peer || !find_attribute(offered.attributes, "rtcp-mux")) return std::nullopt;
      const auto role = answer_role(peer->setup, options_.current_dtls_role);
      if (!role) return std::nullopt;
      agreed.ice_dtls = negotiated_media::ice_dtls_peer{
          peer->ice_ufrag,   peer->ice_pwd, peer->fingerprint_algorithm,
          peer->fingerprint, *role,         peer->mid};
    }

    auto offered_direction = direction(offer_, offered);
    if (!dtls && remote->is_unspecified()) {
      offered_direction = detail::without_receive(offered_direction);  // RFC 2543 hold
    }
    agreed.index = index;
    agreed.proto = offered.proto;
    agreed.local_port = ports_[next_port_++];
    agreed.remote_address = remote.value_or(address(boost::asio::ip::address_v4::any()));
    agreed.remote_port = offered.port;
    agreed.codec = *codec;
    if (caps_.telephone_event_payload_type) {
      agreed.telephone_event_payload_type =
          detail::find_telephone_event(offered, codec->clock_rate);
    }
    agreed.ptime = detail::usable_ptime(ptime(offer_, offered)).value_or(caps_.ptime);
    agreed.direction = detail::intersect(detail::reversed(offered_direction), options_.direction);
    agreed.rtcp_mux = find_attribute(offered.attributes, "rtcp-mux") && (caps_.rtcp_mux || dtls);
    build_line(offered, agreed, local_address_for(caps_, wants_v6(conn)), line);
    return agreed;
  }

  const address& session_address() const {
    for (const auto& media : offer_.media) {
      if (media.port != 0 && media.media == "audio") {
        return local_address_for(caps_, wants_v6(effective_connection(offer_, media)));
      }
    }
    return caps_.rtp_address;
  }

 private:
  void build_line(const media_description& offered, const negotiated_media& agreed,
                  const address& local, media_description& line) const {
    line.media = offered.media;
    line.proto = offered.proto;
    line.port = agreed.local_port;
    if (local != session_address()) line.conn = detail::connection_for(local);
    mirror_mid(offered, line);
    auto& a = line.attributes;
    line.formats.push_back(std::to_string(agreed.codec.payload_type));
    a.push_back(detail::make_attribute("rtpmap", detail::rtpmap_value(agreed.codec)));
    if (const auto te = agreed.telephone_event_payload_type) {
      line.formats.push_back(std::to_string(*te));
      const rtp_format event{*te, "telephone-event", agreed.codec.clock_rate, 1};
      a.push_back(detail::make_attribute("rtpmap", detail::rtpmap_value(event)));
      a.push_back(
          detail::make_attribute("fmtp", std::to_string(*te) + ' ' + caps_.telephone_events));
    }
    a.push_back(detail::make_attribute("ptime", std::to_string(caps_.ptime)));
    a.push_back(detail::make_attribute(std::string(to_string(agreed.direction))));
    if (agreed.rtcp_mux) a.push_back(detail::make_attribute("rtcp-mux"));
    if (agreed.ice_dtls) {
      const bool server = agreed.ice_dtls->local_role == dtls_role::server;
      detail::add_ice_dtls(line, *caps_.ice_dtls, local, server ? "passive" : "active");
    }
  }

  const session& offer_;
  const media_capabilities& caps_;
  std::span<const std::uint16_t> ports_;
  const answer_options& options_;
  std::size_t next_port_ = 0;
};

// The first accepted mid that the offer put in a BUNDLE group: each accepted stream has a
// port of its own, so at most one of them can stand for the group (RFC 8843).
std::optional<std::string> bundle_mid(const session& offer,
                                      const std::vector<negotiated_media>& accepted) {
  for (const auto& a : offer.attributes) {
    if (a.name != "group" || !a.value) continue;
    const auto fields = detail::split_fields(*a.value);
    if (fields.empty() || fields[0] != "BUNDLE") continue;
    for (const auto& media : accepted) {
      const auto mid = find_attribute(offer.media[media.index].attributes, "mid");
      if (!mid || mid->empty()) continue;
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (fields[i] == *mid) return std::string(*mid);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

boost::system::result<answer_result> answer_offer(const session& offer,
                                                  const media_capabilities& caps,
                                                  std::span<const std::uint16_t> rtp_ports,
                                                  const answer_options& options) {
  answerer builder(offer, caps, rtp_ports, options);
  answer_result out;
  auto& answer = out.answer;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    media_description line;
    if (auto agreed = builder.accept(i, offer.media[i], line)) {
      out.media.push_back(std::move(*agreed));
    } else {
      line = rejected(offer.media[i]);
    }
    answer.media.push_back(std::move(line));
  }
  if (out.media.empty()) return sdp_errc::no_acceptable_media;

  answer.conn = detail::connection_for(builder.session_address());
  if (options.previous_origin) {
    answer.orig = *options.previous_origin;
    ++answer.orig.session_version;
  } else {
    answer.orig = origin{caps.username,
                         std::to_string(detail::new_session_id(caps)),
                         0,
                         "IN",
                         answer.conn->address_type,
                         answer.conn->address};
  }
  answer.name = caps.session_name;
  answer.timings = offer.timings;  // RFC 3264 §6: the answer's t= equals the offer's
  bool any_dtls = false;
  for (const auto& media : out.media) any_dtls = any_dtls || media.ice_dtls.has_value();
  if (any_dtls) answer.attributes.push_back(detail::make_attribute("ice-lite"));
  if (auto mid = bundle_mid(offer, out.media)) {
    answer.attributes.push_back(detail::make_attribute("group", "BUNDLE " + *mid));
  }
  return out;
}

}  // namespace callcenterd::sip::sdp
