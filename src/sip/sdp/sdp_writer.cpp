#include <string>

#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::sip::sdp {
namespace {

void put(std::string& out, char type, std::string_view value) {
  out.push_back(type);
  out.push_back('=');
  out.append(value);
  out.append("\r\n");
}

std::string connection_text(const connection& conn) {
  std::string text = conn.net_type + ' ' + conn.address_type + ' ' + conn.address;
  if (conn.ttl) text += '/' + std::to_string(*conn.ttl);
  if (conn.address_count) text += '/' + std::to_string(*conn.address_count);
  return text;
}

void put_bandwidths(std::string& out, const std::vector<bandwidth>& bandwidths) {
  for (const auto& b : bandwidths) put(out, 'b', b.type + ':' + std::to_string(b.value));
}

void put_tail(std::string& out, const std::optional<std::string>& key,
              const std::vector<attribute>& attributes, const std::vector<other_line>& others) {
  if (key) put(out, 'k', *key);
  for (const auto& a : attributes) put(out, 'a', a.value ? a.name + ':' + *a.value : a.name);
  for (const auto& line : others) put(out, line.type, line.value);
}

void put_media(std::string& out, const media_description& media) {
  std::string line = media.media + ' ' + std::to_string(media.port);
  if (media.port_count) line += '/' + std::to_string(*media.port_count);
  line += ' ';
  line += media.proto;
  for (const auto& format : media.formats) {
    line += ' ';
    line += format;
  }
  put(out, 'm', line);
  if (media.title) put(out, 'i', *media.title);
  if (media.conn) put(out, 'c', connection_text(*media.conn));
  put_bandwidths(out, media.bandwidths);
  put_tail(out, media.key, media.attributes, media.other_lines);
}

}  // namespace

std::string to_string(const session& value) {
  std::string out;
  out.reserve(512);
  put(out, 'v', "0");
  const auto& o = value.orig;
  put(out, 'o',
      o.username + ' ' + o.session_id + ' ' + std::to_string(o.session_version) + ' ' + o.net_type +
          ' ' + o.address_type + ' ' + o.address);
  put(out, 's', value.name);
  if (value.info) put(out, 'i', *value.info);
  if (value.uri) put(out, 'u', *value.uri);
  for (const auto& e : value.emails) put(out, 'e', e);
  for (const auto& p : value.phones) put(out, 'p', p);
  if (value.conn) put(out, 'c', connection_text(*value.conn));
  put_bandwidths(out, value.bandwidths);
  if (value.timings.empty()) put(out, 't', "0 0");  // t= is mandatory
  for (const auto& t : value.timings) {
    put(out, 't', std::to_string(t.start) + ' ' + std::to_string(t.stop));
    for (const auto& r : t.repeats) put(out, 'r', r);
  }
  if (value.zone_adjustments) put(out, 'z', *value.zone_adjustments);
  put_tail(out, value.key, value.attributes, value.other_lines);
  for (const auto& media : value.media) put_media(out, media);
  return out;
}

}  // namespace callcenterd::sip::sdp
