#include "negotiation.hpp"

#include <algorithm>
#include <chrono>

#include "sdp_text.hpp"

namespace callcenterd::sip::sdp::detail {

flow_flags flags_of(media_direction d) {
  switch (d) {
    case media_direction::sendonly:
      return {true, false};
    case media_direction::recvonly:
      return {false, true};
    case media_direction::inactive:
      return {false, false};
    case media_direction::sendrecv:
      break;
  }
  return {true, true};
}

media_direction direction_of(flow_flags f) {
  if (f.send && f.recv) return media_direction::sendrecv;
  if (f.send) return media_direction::sendonly;
  if (f.recv) return media_direction::recvonly;
  return media_direction::inactive;
}

media_direction reversed(media_direction d) {
  const auto f = flags_of(d);
  return direction_of({f.recv, f.send});
}

media_direction intersect(media_direction a, media_direction b) {
  const auto fa = flags_of(a);
  const auto fb = flags_of(b);
  return direction_of({fa.send && fb.send, fa.recv && fb.recv});
}

media_direction without_receive(media_direction d) {
  return direction_of({flags_of(d).send, false});
}

bool is_plain_rtp_proto(std::string_view proto) {
  return iequals(proto, "RTP/AVP") || iequals(proto, "RTP/AVPF");
}

bool is_voice_codec(std::string_view encoding) {
  for (std::string_view other : {"telephone-event", "CN", "red", "ulpfec", "flexfec", "rtx"}) {
    if (iequals(encoding, other)) return false;
  }
  return true;
}

bool same_codec(const rtp_format& a, const rtp_format& b) {
  return iequals(a.encoding, b.encoding) && a.clock_rate == b.clock_rate &&
         a.channels == b.channels;
}

std::optional<std::uint8_t> find_telephone_event(const media_description& media,
                                                 std::uint32_t clock_rate) {
  for (auto pt : payload_types(media)) {
    const auto format = payload_format(media, pt);
    if (format && iequals(format->encoding, "telephone-event") &&
        format->clock_rate == clock_rate) {
      return pt;
    }
  }
  return std::nullopt;
}

std::optional<std::uint32_t> usable_ptime(std::optional<std::uint32_t> value) {
  if (value && *value >= 10 && *value <= 120) return value;
  return std::nullopt;
}

std::string rtpmap_value(const rtp_format& format) {
  std::string text = std::to_string(format.payload_type) + ' ' + format.encoding + '/' +
                     std::to_string(format.clock_rate);
  if (format.channels != 1) text += '/' + std::to_string(format.channels);
  return text;
}

attribute make_attribute(std::string name, std::optional<std::string> value) {
  return attribute{std::move(name), std::move(value)};
}

void set_direction(std::vector<attribute>& attributes, media_direction d) {
  const auto is_direction = [](const attribute& a) {
    return !a.value && parse_direction(a.name).has_value();
  };
  const auto first = std::find_if(attributes.begin(), attributes.end(), is_direction);
  const auto position = first - attributes.begin();
  std::erase_if(attributes, is_direction);
  attributes.insert(attributes.begin() + position, make_attribute(std::string(to_string(d))));
}

connection connection_for(const boost::asio::ip::address& address) {
  return connection{"IN", address.is_v6() ? "IP6" : "IP4", address.to_string(), {}, {}};
}

std::optional<boost::asio::ip::address> literal_address(const connection& conn) {
  if (conn.net_type != "IN" || conn.ttl || conn.address_count) return std::nullopt;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(conn.address, ec);
  if (ec) return std::nullopt;
  return address;
}

std::uint64_t new_session_id(const media_capabilities& caps) {
  if (caps.session_id_source) return caps.session_id_source();
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

std::optional<peer_ice_dtls> read_ice_dtls(const session& sess, const media_description& media) {
  const auto lookup = [&](std::string_view name) {
    auto value = find_attribute(media.attributes, name);
    return value ? value : find_attribute(sess.attributes, name);
  };
  const auto ufrag = lookup("ice-ufrag");
  const auto pwd = lookup("ice-pwd");
  const auto fingerprint = lookup("fingerprint");
  const auto setup = lookup("setup");
  if (!ufrag || !pwd || !fingerprint || !setup || ufrag->empty() || pwd->empty()) {
    return std::nullopt;
  }
  const auto fields = split_fields(*fingerprint);
  if (fields.size() != 2) return std::nullopt;
  peer_ice_dtls out{std::string(*ufrag),    std::string(*pwd),   std::string(fields[0]),
                    std::string(fields[1]), std::string(*setup), std::nullopt};
  if (auto mid = find_attribute(media.attributes, "mid")) out.mid = std::string(*mid);
  return out;
}

void add_ice_dtls(media_description& media, const ice_dtls_parameters& ours,
                  const boost::asio::ip::address& address, std::string_view setup) {
  auto& a = media.attributes;
  a.push_back(make_attribute("ice-ufrag", ours.ice_ufrag));
  a.push_back(make_attribute("ice-pwd", ours.ice_pwd));
  a.push_back(make_attribute("fingerprint", ours.fingerprint_algorithm + ' ' + ours.fingerprint));
  a.push_back(make_attribute("setup", std::string(setup)));
  if (!find_attribute(a, "rtcp-mux")) a.push_back(make_attribute("rtcp-mux"));
  // ICE-lite offers only host candidates; RTP and RTCP share the port (rtcp-mux).
  a.push_back(make_attribute("candidate", "1 1 udp 2130706431 " + address.to_string() + ' ' +
                                              std::to_string(media.port) + " typ host"));
  a.push_back(make_attribute("end-of-candidates"));
}

}  // namespace callcenterd::sip::sdp::detail
