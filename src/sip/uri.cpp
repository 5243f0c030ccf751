#include "callcenterd/sip/uri.hpp"

#include <algorithm>
#include <cstring>

#include "callcenterd/sip/error.hpp"
#include "text.hpp"

namespace callcenterd::sip {
namespace {

using detail::is_hex;

bool is_unreserved(char c) {
  return detail::is_alpha(c) || detail::is_digit(c) || std::strchr("-_.!~*'()", c) != nullptr;
}

// Checks text against `extra` plus unreserved characters and %HH escapes. The escapes are
// kept verbatim: decoding would lose the distinction between `%40` and a literal `@`.
bool valid_escaped(std::string_view text, const char* extra) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      if (!is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
      i += 2;
    } else if (c == '\0' || (!is_unreserved(c) && std::strchr(extra, c) == nullptr)) {
      return false;
    }
  }
  return true;
}

constexpr const char* user_extra = "&=+$,;?/";
constexpr const char* password_extra = "&=+$,";
constexpr const char* param_extra = "[]/:&+$";
constexpr const char* header_extra = "[]/?:+$";

boost::system::error_code bad() { return make_error_code(sip_errc::bad_uri); }

}  // namespace

std::optional<std::string> sip_uri::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (detail::iequals(key, name)) return value.value_or(std::string{});
  }
  return std::nullopt;
}

bool sip_uri::has_param(std::string_view name) const { return param(name).has_value(); }

boost::system::result<sip_uri> parse_uri(std::string_view text) {
  sip_uri uri;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return bad();
  auto scheme = text.substr(0, colon);
  if (detail::iequals(scheme, "sips")) {
    uri.secure = true;
  } else if (!detail::iequals(scheme, "sip")) {
    return bad();
  }
  text.remove_prefix(colon + 1);

  if (auto at = text.find('@'); at != std::string_view::npos) {
    auto userinfo = text.substr(0, at);
    auto pw = userinfo.find(':');
    auto user = userinfo.substr(0, pw);
    if (user.empty() || !valid_escaped(user, user_extra)) return bad();
    uri.user = std::string(user);
    if (pw != std::string_view::npos) {
      auto password = userinfo.substr(pw + 1);
      if (!valid_escaped(password, password_extra)) return bad();
      uri.password = std::string(password);
    }
    text.remove_prefix(at + 1);
  }

  // The host ends at the first ';' or '?', except inside an IPv6 reference.
  std::size_t host_end = 0;
  if (!text.empty() && text.front() == '[') {
    host_end = text.find(']');
    if (host_end == std::string_view::npos) return bad();
  }
  host_end = text.find_first_of(";?", host_end);
  auto hp = detail::parse_host_port(text.substr(0, host_end));
  if (!hp) return bad();
  uri.host = std::move(hp->host);
  uri.kind = hp->kind;
  uri.port = hp->port;
  if (host_end == std::string_view::npos) return uri;
  text.remove_prefix(host_end);

  auto question = text.find('?');
  auto params = text.substr(0, question);
  while (!params.empty()) {
    // params starts with ';' here.
    params.remove_prefix(1);
    auto end = params.find(';');
    auto param = params.substr(0, end);
    auto eq = param.find('=');
    auto name = param.substr(0, eq);
    if (name.empty() || !valid_escaped(name, param_extra)) return bad();
    std::optional<std::string> value;
    if (eq != std::string_view::npos) {
      auto v = param.substr(eq + 1);
      if (!valid_escaped(v, param_extra)) return bad();
      value = std::string(v);
    }
    uri.params.emplace_back(std::string(name), std::move(value));
    params = end == std::string_view::npos ? std::string_view{} : params.substr(end);
  }
  if (question == std::string_view::npos) return uri;

  auto headers = text.substr(question + 1);
  if (headers.empty()) return bad();
  while (true) {
    auto end = headers.find('&');
    auto header = headers.substr(0, end);
    auto eq = header.find('=');
    if (eq == std::string_view::npos) return bad();
    auto name = header.substr(0, eq);
    auto value = header.substr(eq + 1);
    if (name.empty() || !valid_escaped(name, header_extra) || !valid_escaped(value, header_extra)) {
      return bad();
    }
    uri.headers.emplace_back(std::string(name), std::string(value));
    if (end == std::string_view::npos) break;
    headers.remove_prefix(end + 1);
  }
  return uri;
}

std::string to_string(const sip_uri& uri) {
  std::string out = uri.secure ? "sips:" : "sip:";
  if (!uri.user.empty()) {
    out += uri.user;
    if (uri.password) out.append(":").append(*uri.password);
    out += '@';
  }
  out += detail::host_port_text(uri.host, uri.kind, uri.port);
  for (const auto& [name, value] : uri.params) {
    out.append(";").append(name);
    if (value) out.append("=").append(*value);
  }
  char sep = '?';
  for (const auto& [name, value] : uri.headers) {
    out.append(1, sep).append(name).append("=").append(value);
    sep = '&';
  }
  return out;
}

}  // namespace callcenterd::sip
