// Parsing and writing of Digest challenge and credentials values (RFC 7616 §3.3, §3.4 with the
// auth-param syntax of RFC 7235 §2.1, as SIP uses it in RFC 3261 §25.1).

#include <algorithm>

#include "auth_text.hpp"
#include "callcenterd/sip/auth_error.hpp"
#include "callcenterd/sip/digest.hpp"

namespace callcenterd::sip {
namespace {

using auth_detail::iequals;
using auth_detail::is_token_char;
using detail::quote;

struct auth_param {
  std::string name;  // lower case
  std::string value;
};
using auth_params = std::vector<auth_param>;

bool is_ws(char c) { return c == ' ' || c == '\t'; }

void skip_ws(std::string_view text, std::size_t& i) {
  while (i < text.size() && is_ws(text[i])) ++i;
}

std::size_t scan_token(std::string_view text, std::size_t i) {
  while (i < text.size() && is_token_char(text[i])) ++i;
  return i;
}

// Reads the quoted string starting at text[i] == '"', resolving escapes. A raw or escaped CR,
// LF or other control character (HTAB aside) is refused: such a value could not be echoed.
boost::system::result<std::string> scan_quoted(std::string_view text, std::size_t& i) {
  std::string out;
  for (++i; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c == '\\') {
      if (++i == text.size()) break;
      c = text[i];
    }
    if (auth_detail::has_control_char(std::string_view(&c, 1))) {
      return make_error_code(auth_errc::bad_syntax);
    }
    if (out.size() == max_digest_param_length) return make_error_code(auth_errc::value_too_long);
    out.push_back(c);
  }
  return make_error_code(auth_errc::bad_syntax);
}

// `Digest` 1*WS auth-param *(WS "," WS auth-param). Empty list elements are tolerated as the
// list rule of RFC 7230 §7 allows.
boost::system::result<auth_params> parse_auth_params(std::string_view text) {
  if (text.size() > max_digest_value_length) return make_error_code(auth_errc::value_too_long);
  std::size_t i = 0;
  skip_ws(text, i);
  auto scheme_end = scan_token(text, i);
  if (scheme_end == i) return make_error_code(auth_errc::bad_syntax);
  if (!iequals(text.substr(i, scheme_end - i), "Digest")) {
    return make_error_code(auth_errc::not_digest);
  }
  i = scheme_end;
  if (i == text.size() || !is_ws(text[i])) return make_error_code(auth_errc::bad_syntax);

  auth_params out;
  while (true) {
    skip_ws(text, i);
    if (i == text.size()) break;
    if (text[i] == ',') {
      ++i;
      continue;
    }
    auto name_end = scan_token(text, i);
    if (name_end == i) return make_error_code(auth_errc::bad_syntax);
    auth_param param{auth_detail::to_lower(text.substr(i, name_end - i)), {}};
    i = name_end;
    skip_ws(text, i);
    if (i == text.size() || text[i] != '=') return make_error_code(auth_errc::bad_syntax);
    ++i;
    skip_ws(text, i);
    if (i < text.size() && text[i] == '"') {
      auto quoted = scan_quoted(text, i);
      if (!quoted) return quoted.error();
      param.value = std::move(*quoted);
    } else {
      auto value_end = scan_token(text, i);
      if (value_end == i) return make_error_code(auth_errc::bad_syntax);
      if (value_end - i > max_digest_param_length) {
        return make_error_code(auth_errc::value_too_long);
      }
      param.value = std::string(text.substr(i, value_end - i));
      i = value_end;
    }
    skip_ws(text, i);
    if (i < text.size() && text[i] != ',') return make_error_code(auth_errc::bad_syntax);

    bool duplicate = std::any_of(out.begin(), out.end(),
                                 [&](const auth_param& p) { return p.name == param.name; });
    if (duplicate) return make_error_code(auth_errc::duplicate_param);
    if (out.size() == max_digest_params) return make_error_code(auth_errc::too_many_params);
    out.push_back(std::move(param));
  }
  if (out.empty()) return make_error_code(auth_errc::missing_param);
  return out;
}

const std::string* find(const auth_params& params, std::string_view name) {
  for (const auto& p : params) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

std::optional<std::string> find_optional(const auth_params& params, std::string_view name) {
  if (const auto* value = find(params, name)) return *value;
  return std::nullopt;
}

bool all_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), auth_detail::is_hex);
}

std::vector<std::string> split_qop_options(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    while (!item.empty() && is_ws(item.front())) item.remove_prefix(1);
    while (!item.empty() && is_ws(item.back())) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// RFC 7616 fixes which parameters are sent quoted and which as tokens; a value that is not a
// token is quoted anyway rather than written as something that would not parse.
void append_param(std::string& out, std::string_view name, std::string_view value, bool quoted) {
  out.append(out.back() == ' ' ? "" : ", ").append(name).append("=");
  bool token = !value.empty() && std::all_of(value.begin(), value.end(), is_token_char);
  out.append(quoted || !token ? quote(value) : std::string(value));
}

}  // namespace

boost::system::result<digest_challenge> parse_challenge(std::string_view value) {
  auto params = parse_auth_params(value);
  if (!params) return params.error();
  const auto* realm = find(*params, "realm");
  const auto* nonce = find(*params, "nonce");
  if (realm == nullptr || nonce == nullptr) return make_error_code(auth_errc::missing_param);

  digest_challenge out;
  out.realm = *realm;
  out.nonce = *nonce;
  out.opaque = find_optional(*params, "opaque");
  if (const auto* algorithm = find(*params, "algorithm")) out.algorithm = *algorithm;
  if (const auto* qop = find(*params, "qop")) out.qop = split_qop_options(*qop);
  if (const auto* stale = find(*params, "stale")) out.stale = iequals(*stale, "true");
  return out;
}

boost::system::result<digest_credentials> parse_credentials(std::string_view value) {
  auto params = parse_auth_params(value);
  if (!params) return params.error();
  digest_credentials out;
  const std::pair<std::string_view, std::string*> required[] = {{"username", &out.username},
                                                                {"realm", &out.realm},
                                                                {"nonce", &out.nonce},
                                                                {"uri", &out.uri},
                                                                {"response", &out.response}};
  for (const auto& [name, field] : required) {
    const auto* found = find(*params, name);
    if (found == nullptr) return make_error_code(auth_errc::missing_param);
    *field = *found;
  }
  if (out.response.empty() || !all_hex(out.response)) {
    return make_error_code(auth_errc::bad_param_value);
  }
  if (const auto* algorithm = find(*params, "algorithm")) out.algorithm = *algorithm;
  out.qop = find_optional(*params, "qop");
  out.nc = find_optional(*params, "nc");
  if (out.nc && (out.nc->size() != 8 || !all_hex(*out.nc))) {
    return make_error_code(auth_errc::bad_param_value);
  }
  out.cnonce = find_optional(*params, "cnonce");
  out.opaque = find_optional(*params, "opaque");
  return out;
}

std::string to_string(const digest_challenge& challenge) {
  std::string out = "Digest ";
  append_param(out, "realm", challenge.realm, true);
  append_param(out, "nonce", challenge.nonce, true);
  if (challenge.opaque) append_param(out, "opaque", *challenge.opaque, true);
  if (!challenge.qop.empty()) {
    std::string options;
    for (const auto& option : challenge.qop) {
      options.append(options.empty() ? "" : ",").append(option);
    }
    append_param(out, "qop", options, true);
  }
  if (!challenge.algorithm.empty()) append_param(out, "algorithm", challenge.algorithm, false);
  if (challenge.stale) append_param(out, "stale", "true", false);
  return out;
}

std::string to_string(const digest_credentials& credentials) {
  std::string out = "Digest ";
  append_param(out, "username", credentials.username, true);
  append_param(out, "realm", credentials.realm, true);
  append_param(out, "nonce", credentials.nonce, true);
  append_param(out, "uri", credentials.uri, true);
  append_param(out, "response", credentials.response, true);
  if (!credentials.algorithm.empty()) {
    append_param(out, "algorithm", credentials.algorithm, false);
  }
  if (credentials.cnonce) append_param(out, "cnonce", *credentials.cnonce, true);
  if (credentials.opaque) append_param(out, "opaque", *credentials.opaque, true);
  if (credentials.qop) append_param(out, "qop", *credentials.qop, false);
  if (credentials.nc) append_param(out, "nc", *credentials.nc, false);
  return out;
}

}  // namespace callcenterd::sip
