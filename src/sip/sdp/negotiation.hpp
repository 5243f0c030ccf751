#pragma once

// Pieces shared by make_offer, answer_offer and apply_answer.

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/offer_answer.hpp"
#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::sip::sdp::detail {

inline constexpr std::uint32_t default_ptime = 20;

/// Who sends: a direction as two flags, so complement and intersection are plain logic.
struct flow_flags {
  bool send = true;
  bool recv = true;
};
flow_flags flags_of(media_direction d);
media_direction direction_of(flow_flags f);
/// What the other side does when this side has direction `d`.
media_direction reversed(media_direction d);
media_direction intersect(media_direction a, media_direction b);
/// `d` with receiving taken away: a side at 0.0.0.0 cannot receive.
media_direction without_receive(media_direction d);

/// RTP/AVP and RTP/AVPF: plain RTP the media engine terminates as is.
bool is_plain_rtp_proto(std::string_view proto);
/// Encodings that ride along with a voice codec but are not one (DTMF, comfort noise, FEC).
bool is_voice_codec(std::string_view encoding);
bool same_codec(const rtp_format& a, const rtp_format& b);
/// The first payload type of `media` whose format is telephone-event at `clock_rate`.
std::optional<std::uint8_t> find_telephone_event(const media_description& media,
                                                 std::uint32_t clock_rate);
/// A peer's ptime when it is one we can packetise for; nullopt otherwise.
std::optional<std::uint32_t> usable_ptime(std::optional<std::uint32_t> value);

/// `<pt> <encoding>/<rate>[/<channels>]`.
std::string rtpmap_value(const rtp_format& format);
attribute make_attribute(std::string name, std::optional<std::string> value = std::nullopt);
/// Replaces every direction flag of `attributes` by `d`, where the first one stood.
void set_direction(std::vector<attribute>& attributes, media_direction d);

connection connection_for(const boost::asio::ip::address& address);
/// An IP literal from a c= line; nullopt for names, other network types or garbage.
std::optional<boost::asio::ip::address> literal_address(const connection& conn);
std::uint64_t new_session_id(const media_capabilities& caps);

/// The ICE/DTLS attributes of a peer's DTLS-SRTP stream, media level first, then session level.
struct peer_ice_dtls {
  std::string ice_ufrag;
  std::string ice_pwd;
  std::string fingerprint_algorithm;
  std::string fingerprint;
  std::string setup;
  std::optional<std::string> mid;
};
/// Nullopt when credentials, fingerprint or setup are missing or malformed.
std::optional<peer_ice_dtls> read_ice_dtls(const session& sess, const media_description& media);

/// Our ICE-lite and DTLS attributes for a DTLS-SRTP stream: credentials, fingerprint, the
/// given setup value, rtcp-mux and one host candidate.
void add_ice_dtls(media_description& media, const ice_dtls_parameters& ours,
                  const boost::asio::ip::address& address, std::string_view setup);

}  // namespace callcenterd::sip::sdp::detail
