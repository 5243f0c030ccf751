#include "sdp_lines.hpp"

#include <limits>
#include <string>

#include "sdp_text.hpp"

namespace callcenterd::sip::sdp::detail {
namespace {

using boost::system::result;

constexpr auto max_u64 = std::numeric_limits<std::uint64_t>::max();
constexpr auto max_u32 = std::numeric_limits<std::uint32_t>::max();
constexpr auto max_u16 = std::numeric_limits<std::uint16_t>::max();

}  // namespace

result<origin> parse_origin(std::string_view value) {
  const auto fields = split_fields(value);
  if (fields.size() != 6) return sdp_errc::bad_origin;
  const auto version = parse_number(fields[2], max_u64);
  if (!is_visible(fields[0]) || !is_visible(fields[1]) || !version || !is_token(fields[3]) ||
      !is_token(fields[4]) || !is_visible(fields[5])) {
    return sdp_errc::bad_origin;
  }
  return origin{std::string(fields[0]), std::string(fields[1]), *version,
                std::string(fields[3]), std::string(fields[4]), std::string(fields[5])};
}

result<connection> parse_connection(std::string_view value) {
  const auto fields = split_fields(value);
  if (fields.size() != 3 || !is_token(fields[0]) || !is_token(fields[1]) ||
      !is_visible(fields[2])) {
    return sdp_errc::bad_connection;
  }
  connection out;
  out.net_type = std::string(fields[0]);
  out.address_type = std::string(fields[1]);
  const bool ip4 = out.net_type == "IN" && out.address_type == "IP4";
  const bool ip6 = out.net_type == "IN" && out.address_type == "IP6";
  auto text = fields[2];
  if (!ip4 && !ip6) {
    out.address = std::string(text);
    return out;
  }
  const auto slash = text.find('/');
  out.address = std::string(text.substr(0, slash));
  if (out.address.empty()) return sdp_errc::bad_connection;
  if (slash == std::string_view::npos) return out;
  text.remove_prefix(slash + 1);
  const auto second = text.find('/');
  const auto first_value = parse_number(text.substr(0, second), max_u32);
  if (!first_value) return sdp_errc::bad_connection;
  if (second == std::string_view::npos) {
    if (ip4) {
      if (*first_value > 255) return sdp_errc::bad_connection;
      out.ttl = static_cast<std::uint32_t>(*first_value);
    } else {
      if (*first_value == 0) return sdp_errc::bad_connection;
      out.address_count = static_cast<std::uint32_t>(*first_value);
    }
    return out;
  }
  // Only IPv4 multicast has both a TTL and a count.
  const auto count = parse_number(text.substr(second + 1), max_u32);
  if (!ip4 || *first_value > 255 || !count || *count == 0) return sdp_errc::bad_connection;
  out.ttl = static_cast<std::uint32_t>(*first_value);
  out.address_count = static_cast<std::uint32_t>(*count);
  return out;
}

result<bandwidth> parse_bandwidth(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || !is_token(value.substr(0, colon))) {
    return sdp_errc::bad_bandwidth;
  }
  const auto number = parse_number(value.substr(colon + 1), max_u64);
  if (!number) return sdp_errc::bad_bandwidth;
  return bandwidth{std::string(value.substr(0, colon)), *number};
}

result<timing> parse_timing(std::string_view value) {
  const auto fields = split_fields(value);
  if (fields.size() != 2) return sdp_errc::bad_timing;
  const auto start = parse_number(fields[0], max_u64);
  const auto stop = parse_number(fields[1], max_u64);
  if (!start || !stop) return sdp_errc::bad_timing;
  return timing{*start, *stop, {}};
}

result<attribute> parse_attribute(std::string_view value) {
  const auto colon = value.find(':');
  attribute out;
  out.name = std::string(value.substr(0, colon));
  if (!is_token(out.name)) return sdp_errc::bad_attribute;
  if (colon != std::string_view::npos) out.value = std::string(value.substr(colon + 1));
  return out;
}

result<media_description> parse_media_line(std::string_view value) {
  const auto fields = split_fields(value);
  if (fields.size() < 3 || !is_token(fields[0]) || !is_proto(fields[2])) {
    return sdp_errc::bad_media;
  }
  media_description out;
  out.media = std::string(fields[0]);
  out.proto = std::string(fields[2]);
  const auto port_text = fields[1];
  const auto slash = port_text.find('/');
  const auto port = parse_number(port_text.substr(0, slash), max_u16);
  if (!port) return sdp_errc::bad_media;
  out.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) {
    const auto count = parse_number(port_text.substr(slash + 1), max_u16);
    if (!count || *count == 0) return sdp_errc::bad_media;
    out.port_count = static_cast<std::uint16_t>(*count);
  }
  const bool rtp = is_rtp_proto(out.proto);
  for (std::size_t i = 3; i < fields.size(); ++i) {
    if (!is_token(fields[i])) return sdp_errc::bad_media;
    if (rtp && !parse_number(fields[i], 127)) return sdp_errc::bad_media;
    out.formats.emplace_back(fields[i]);
  }
  // A rejected stream (port 0) is sometimes written without formats; a live one never is.
  if (out.formats.empty() && out.port != 0) return sdp_errc::bad_media;
  return out;
}

}  // namespace callcenterd::sip::sdp::detail
