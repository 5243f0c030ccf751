#include "error_reply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/message.hpp"
#include "inbound.hpp"
#include "text.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

// The reply only needs the header block; whatever lies past this is not looked at.
constexpr std::size_t max_scan = std::size_t{64} * 1024;
// A line this long is not copied into a reply: it could be an attack on the peer's parser.
constexpr std::size_t max_line = std::size_t{8} * 1024;
constexpr std::size_t max_lines = 256;

using detail::iequals;

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Drops control characters so that nothing the peer sent can split or end a reply line.
std::string clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\t') {
      out.push_back(' ');
    } else if (byte >= 0x20 && byte != 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

struct gathered {
  std::string_view start_line;
  std::vector<std::string> vias;  // one entry per Via line, in order
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> call_id;
  std::optional<std::string> cseq;
};

struct pending_header {
  std::string name;
  std::string value;
  bool active = false;
};

void keep(gathered& out, pending_header& header) {
  if (!header.active) return;
  header.active = false;
  const auto name = expand_header_name(header.name);
  auto value = clean(header.value);
  if (iequals(name, "Via")) {
    out.vias.push_back(std::move(value));
    return;
  }
  auto* slot = iequals(name, "From")      ? &out.from
               : iequals(name, "To")      ? &out.to
               : iequals(name, "Call-ID") ? &out.call_id
               : iequals(name, "CSeq")    ? &out.cseq
                                          : nullptr;
  if (slot != nullptr && !*slot) *slot = std::move(value);
}

gathered gather(std::string_view raw) {
  raw = raw.substr(0, std::min(raw.size(), max_scan));
  while (!raw.empty() && (raw.front() == '\r' || raw.front() == '\n')) raw.remove_prefix(1);
  gathered out;
  pending_header header;
  std::size_t pos = 0;
  for (std::size_t count = 0; pos < raw.size() && count < max_lines; ++count) {
    const auto end = raw.find('\n', pos);
    auto line = raw.substr(pos, end == std::string_view::npos ? raw.size() - pos : end - pos);
    pos = end == std::string_view::npos ? raw.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (count == 0) {
      out.start_line = line;
      continue;
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (!header.active) continue;
      header.value.append(" ").append(trim(line));
      if (header.value.size() > max_line) header.active = false;
      continue;
    }
    keep(out, header);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || line.size() > max_line) continue;
    header = {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))),
              true};
  }
  keep(out, header);
  return out;
}

std::uint32_t fnv1a(std::string_view text, std::uint32_t hash = 2166136261u) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

// The same request always gets the same tag, so a retransmission gets an identical reply.
std::string with_to_tag(const std::string& to, std::string_view seed) {
  auto parsed = parse_name_addr(to);
  if (!parsed || find_param(parsed->params, "tag")) return to;
  return fmt::format("{};tag=e{:08x}", to, fnv1a(seed));
}

std::string stamped_top_via(const std::string& line, const flow& source) {
  auto elements = split_header_list(line);
  if (elements.empty()) return line;
  if (auto via = parse_via(elements.front())) {
    stamp_via(*via, source.remote_address, source.remote_port);
    elements.front() = to_string(*via);
  }
  std::string out;
  for (const auto& element : elements) {
    if (!out.empty()) out += ", ";
    out += element;
  }
  return out;
}

}  // namespace

error_status status_for(const boost::system::error_code& why) {
  if (why.category() != sip_category()) return {400, "Bad Request"};
  switch (static_cast<sip_errc>(why.value())) {
    case sip_errc::message_too_large:
      return {513, "Message Too Large"};
    case sip_errc::bad_version:
      return {505, "Version Not Supported"};
    case sip_errc::too_many_headers:
      return {400, "Too Many Headers"};
    case sip_errc::header_too_long:
      return {400, "Header Line Too Long"};
    case sip_errc::bad_start_line:
      return {400, "Malformed Request Line"};
    case sip_errc::bad_method:
      return {400, "Malformed Method"};
    case sip_errc::bad_status:
      return {400, "Malformed Status Line"};
    case sip_errc::bad_header:
      return {400, "Malformed Header Line"};
    case sip_errc::bad_content_length:
      return {400, "Missing or Bad Content-Length"};
    case sip_errc::incomplete:
      return {400, "Body Shorter Than Content-Length"};
    case sip_errc::bad_uri:
      return {400, "Malformed Request-URI"};
    case sip_errc::bad_header_value:
      return {400, "Malformed Header Value"};
  }
  return {400, "Bad Request"};
}

std::optional<std::string> build_error_reply(std::string_view raw, const error_status& status,
                                             const flow& source) {
  const auto found = gather(raw);
  if (starts_with_nocase(found.start_line, "SIP/")) return std::nullopt;
  const auto method = found.start_line.substr(0, found.start_line.find(' '));
  if (iequals(method, "ACK") || found.vias.empty() || !found.cseq) return std::nullopt;
  if (auto cseq = parse_cseq(*found.cseq); cseq && iequals(cseq->method, "ACK")) {
    return std::nullopt;
  }

  std::string out = fmt::format("SIP/2.0 {} {}\r\n", status.code, clean(status.reason));
  for (std::size_t i = 0; i < found.vias.size(); ++i) {
    out += "Via: ";
    out += i == 0 ? stamped_top_via(found.vias[i], source) : found.vias[i];
    out += "\r\n";
  }
  if (found.from) out += fmt::format("From: {}\r\n", *found.from);
  if (found.to) {
    const auto seed =
        fmt::format("{}|{}|{}", found.call_id.value_or(""), *found.cseq, found.vias.front());
    out += fmt::format("To: {}\r\n", with_to_tag(*found.to, seed));
  }
  if (found.call_id) out += fmt::format("Call-ID: {}\r\n", *found.call_id);
  out += fmt::format("CSeq: {}\r\nContent-Length: 0\r\n\r\n", *found.cseq);
  return out;
}

}  // namespace callcenterd::sip::transport_detail
