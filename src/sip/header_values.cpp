#include "callcenterd/sip/header_values.hpp"

#include "callcenterd/sip/error.hpp"
#include "text.hpp"

namespace callcenterd::sip {
namespace {

using detail::quote;
using detail::trim;

boost::system::error_code bad() { return make_error_code(sip_errc::bad_header_value); }

void skip_ws(std::string_view text, std::size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
}

// gen-value: a token, or a host that may be a bracketed IPv6 reference (Via received).
bool is_value_char(char c) { return detail::is_token_char(c) || c == '[' || c == ']' || c == ':'; }

// Resolves the escapes of a quoted string given with its quotes.
std::string unquote(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) ++i;
    out += quoted[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> find_param(const header_params& params, std::string_view name) {
  for (const auto& p : params) {
    if (detail::iequals(p.name, name)) return p.value.value_or(std::string{});
  }
  return std::nullopt;
}

boost::system::result<header_params> parse_params(std::string_view text) {
  header_params out;
  std::size_t i = 0;
  while (true) {
    skip_ws(text, i);
    if (i == text.size()) return out;
    if (text[i] != ';') return bad();
    ++i;
    skip_ws(text, i);
    auto name_start = i;
    while (i < text.size() && detail::is_token_char(text[i])) ++i;
    if (i == name_start) return bad();
    header_param param;
    param.name = std::string(text.substr(name_start, i - name_start));
    skip_ws(text, i);
    if (i < text.size() && text[i] == '=') {
      ++i;
      skip_ws(text, i);
      if (i < text.size() && text[i] == '"') {
        auto end = detail::skip_quoted(text, i);
        if (end == std::string_view::npos) return bad();
        param.value = unquote(text.substr(i, end - i));
        param.quoted = true;
        i = end;
      } else {
        auto value_start = i;
        while (i < text.size() && is_value_char(text[i])) ++i;
        if (i == value_start) return bad();
        param.value = std::string(text.substr(value_start, i - value_start));
      }
    }
    out.push_back(std::move(param));
  }
}

std::string to_string(const header_params& params) {
  std::string out;
  for (const auto& p : params) {
    out.append(";").append(p.name);
    if (p.value) out.append("=").append(p.quoted ? quote(*p.value) : *p.value);
  }
  return out;
}

boost::system::result<name_addr> parse_name_addr(std::string_view text) {
  text = trim(text);
  name_addr out;
  std::size_t uri_start = 0;
  std::size_t uri_end = 0;
  if (!text.empty() && text.front() == '"') {
    auto end = detail::skip_quoted(text, 0);
    if (end == std::string_view::npos) return bad();
    out.display_name = unquote(text.substr(0, end));
    skip_ws(text, end);
    if (end == text.size() || text[end] != '<') return bad();
    uri_start = end + 1;
  } else if (auto lt = text.find('<'); lt != std::string_view::npos) {
    // An unquoted display name is tokens separated by whitespace.
    auto name = trim(text.substr(0, lt));
    for (char c : name) {
      if (!detail::is_token_char(c) && c != ' ' && c != '\t') return bad();
    }
    out.display_name = std::string(name);
    uri_start = lt + 1;
  }
  std::string_view rest;
  if (uri_start > 0) {
    uri_end = text.find('>', uri_start);
    if (uri_end == std::string_view::npos) return bad();
    rest = text.substr(uri_end + 1);
  } else {
    // addr-spec: a ';' after the URI starts header parameters, never URI parameters.
    uri_end = text.find(';');
    if (uri_end == std::string_view::npos) uri_end = text.size();
    rest = text.substr(uri_end);
  }
  auto uri = parse_uri(text.substr(uri_start, uri_end - uri_start));
  if (!uri) return bad();
  out.uri = std::move(*uri);
  auto params = parse_params(rest);
  if (!params) return params.error();
  out.params = std::move(*params);
  return out;
}

std::string to_string(const name_addr& value) {
  std::string out;
  if (!value.display_name.empty()) out.append(quote(value.display_name)).append(" ");
  out.append("<").append(to_string(value.uri)).append(">").append(to_string(value.params));
  return out;
}

boost::system::result<via_value> parse_via(std::string_view text) {
  // sent-protocol is "SIP / 2.0 / transport", whitespace allowed around the slashes.
  std::size_t i = 0;
  std::string_view parts[3];
  for (int n = 0; n < 3; ++n) {
    skip_ws(text, i);
    auto start = i;
    while (i < text.size() && detail::is_token_char(text[i])) ++i;
    if (i == start) return bad();
    parts[n] = text.substr(start, i - start);
    skip_ws(text, i);
    if (n < 2) {
      if (i == text.size() || text[i] != '/') return bad();
      ++i;
    }
  }
  if (!detail::iequals(parts[0], "SIP") || parts[1] != "2.0") return bad();
  via_value out;
  out.transport = std::string(parts[2]);
  // Transport names are case-insensitive; upper case keeps comparisons simple for users.
  for (auto& c : out.transport) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  auto end = text.find_first_of("; \t", i);
  if (end == std::string_view::npos) end = text.size();
  auto hp = detail::parse_host_port(text.substr(i, end - i));
  if (!hp) return bad();
  out.host = std::move(hp->host);
  out.kind = hp->kind;
  out.port = hp->port;
  auto params = parse_params(text.substr(end));
  if (!params) return params.error();
  out.params = std::move(*params);
  return out;
}

std::string to_string(const via_value& value) {
  return "SIP/2.0/" + value.transport + " " +
         detail::host_port_text(value.host, value.kind, value.port) + to_string(value.params);
}

boost::system::result<cseq_value> parse_cseq(std::string_view text) {
  text = trim(text);
  auto sp = text.find_first_of(" \t");
  if (sp == std::string_view::npos) return bad();
  // RFC 3261 §8.1.1.5: the sequence number stays below 2**31.
  auto number = detail::parse_decimal(text.substr(0, sp), 0x7fffffff);
  auto method = trim(text.substr(sp));
  if (!number || !detail::is_token(method)) return bad();
  return cseq_value{static_cast<std::uint32_t>(*number), std::string(method)};
}

std::string to_string(const cseq_value& value) {
  return std::to_string(value.number) + " " + value.method;
}

}  // namespace callcenterd::sip
