#include <array>
#include <boost/asio/ip/address.hpp>
#include <limits>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_text.hpp"

namespace callcenterd::sip::sdp {
namespace {

struct static_format {
  std::uint8_t payload_type;
  const char* encoding;
  std::uint32_t clock_rate;
  std::uint16_t channels;
};

// RFC 3551 tables 4 and 5: payload types that need no a=rtpmap.
constexpr std::array<static_format, 23> static_formats{{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {34, "H263", 90000, 1},
}};

std::optional<rtp_format> parse_rtpmap(std::string_view rest, std::uint8_t payload_type) {
  rtp_format out;
  out.payload_type = payload_type;
  const auto first = rest.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  out.encoding = std::string(rest.substr(0, first));
  if (!detail::is_token(out.encoding)) return std::nullopt;
  rest.remove_prefix(first + 1);
  const auto second = rest.find('/');
  const auto clock =
      detail::parse_number(rest.substr(0, second), std::numeric_limits<std::uint32_t>::max());
  if (!clock || *clock == 0) return std::nullopt;
  out.clock_rate = static_cast<std::uint32_t>(*clock);
  if (second != std::string_view::npos) {
    const auto channels = detail::parse_number(rest.substr(second + 1), 255);
    if (!channels || *channels == 0) return std::nullopt;
    out.channels = static_cast<std::uint16_t>(*channels);
  }
  return out;
}

std::optional<media_direction> direction_in(const std::vector<attribute>& attributes) {
  for (const auto& a : attributes) {
    if (a.value) continue;
    if (auto d = parse_direction(a.name)) return d;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> parse_ptime(std::string_view text) {
  // RFC 4566 allows a fraction ("a=ptime:22.5"); the media engine works in whole ms.
  const auto dot = text.find('.');
  if (dot != std::string_view::npos) {
    const auto fraction = text.substr(dot + 1);
    if (fraction.empty()) return std::nullopt;
    for (char c : fraction) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  const auto whole =
      detail::parse_number(text.substr(0, dot), std::numeric_limits<std::uint32_t>::max());
  if (!whole) return std::nullopt;
  return static_cast<std::uint32_t>(*whole);
}

}  // namespace

std::string_view to_string(media_direction value) {
  switch (value) {
    case media_direction::sendonly:
      return "sendonly";
    case media_direction::recvonly:
      return "recvonly";
    case media_direction::inactive:
      return "inactive";
    case media_direction::sendrecv:
      break;
  }
  return "sendrecv";
}

std::optional<media_direction> parse_direction(std::string_view name) {
  for (auto d : {media_direction::sendrecv, media_direction::sendonly, media_direction::recvonly,
                 media_direction::inactive}) {
    if (name == to_string(d)) return d;
  }
  return std::nullopt;
}

std::optional<std::string_view> find_attribute(const std::vector<attribute>& attributes,
                                               std::string_view name) {
  for (const auto& a : attributes) {
    if (a.name == name) return a.value ? std::string_view(*a.value) : std::string_view();
  }
  return std::nullopt;
}

bool is_rtp_proto(std::string_view proto) {
  // RTP as any part but the last: RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, TCP/RTP/AVP.
  std::size_t start = 0;
  while (true) {
    const auto slash = proto.find('/', start);
    if (slash == std::string_view::npos) return false;
    if (detail::iequals(proto.substr(start, slash - start), "RTP")) return true;
    start = slash + 1;
  }
}

bool is_dtls_srtp_proto(std::string_view proto) {
  return detail::iequals(proto, "UDP/TLS/RTP/SAVP") || detail::iequals(proto, "UDP/TLS/RTP/SAVPF");
}

std::vector<std::uint8_t> payload_types(const media_description& media) {
  std::vector<std::uint8_t> out;
  if (!is_rtp_proto(media.proto)) return out;
  for (const auto& format : media.formats) {
    if (auto pt = detail::parse_number(format, 127)) out.push_back(static_cast<std::uint8_t>(*pt));
  }
  return out;
}

std::optional<rtp_format> find_rtpmap(const media_description& media, std::uint8_t payload_type) {
  for (const auto& a : media.attributes) {
    if (a.name != "rtpmap" || !a.value) continue;
    if (auto rest = detail::after_payload_type(*a.value, payload_type)) {
      return parse_rtpmap(*rest, payload_type);
    }
  }
  return std::nullopt;
}

std::optional<rtp_format> payload_format(const media_description& media,
                                         std::uint8_t payload_type) {
  if (auto mapped = find_rtpmap(media, payload_type)) return mapped;
  for (const auto& f : static_formats) {
    if (f.payload_type == payload_type) {
      return rtp_format{f.payload_type, f.encoding, f.clock_rate, f.channels};
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> find_fmtp(const media_description& media,
                                          std::uint8_t payload_type) {
  for (const auto& a : media.attributes) {
    if (a.name != "fmtp" || !a.value) continue;
    if (auto rest = detail::after_payload_type(*a.value, payload_type)) return rest;
  }
  return std::nullopt;
}

media_direction direction(const session& sess, const media_description& media) {
  if (auto d = direction_in(media.attributes)) return *d;
  if (auto d = direction_in(sess.attributes)) return *d;
  return media_direction::sendrecv;
}

const connection* effective_connection(const session& sess, const media_description& media) {
  if (media.conn) return &*media.conn;
  if (sess.conn) return &*sess.conn;
  return nullptr;
}

bool is_null_address(const connection& conn) {
  if (conn.net_type != "IN") return false;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(conn.address, ec);
  return !ec && address.is_unspecified();
}

std::optional<std::uint32_t> ptime(const session& sess, const media_description& media) {
  if (auto value = find_attribute(media.attributes, "ptime")) return parse_ptime(*value);
  if (auto value = find_attribute(sess.attributes, "ptime")) return parse_ptime(*value);
  return std::nullopt;
}

}  // namespace callcenterd::sip::sdp
