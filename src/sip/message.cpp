#include "callcenterd/sip/message.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "text.hpp"

namespace callcenterd::sip {
namespace {

struct compact_form {
  char letter;
  std::string_view name;
};

// RFC 3261 §7.3.3 plus the extensions that define compact forms (3265, 3515, 3892, 4028).
constexpr std::array<compact_form, 15> compact_forms{{
    {'i', "Call-ID"},
    {'m', "Contact"},
    {'e', "Content-Encoding"},
    {'l', "Content-Length"},
    {'c', "Content-Type"},
    {'f', "From"},
    {'s', "Subject"},
    {'k', "Supported"},
    {'t', "To"},
    {'v', "Via"},
    {'o', "Event"},
    {'r', "Refer-To"},
    {'b', "Referred-By"},
    {'x', "Session-Expires"},
    {'u', "Allow-Events"},
}};

}  // namespace

std::string_view expand_header_name(std::string_view name) {
  if (name.size() != 1) return name;
  char letter = detail::to_lower(name)[0];
  for (const auto& form : compact_forms) {
    if (form.letter == letter) return form.name;
  }
  return name;
}

bool same_header_name(std::string_view a, std::string_view b) {
  return detail::iequals(expand_header_name(a), expand_header_name(b));
}

std::vector<std::string> split_header_list(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  int angle = 0;
  auto flush = [&](std::size_t end) {
    auto item = detail::trim(value.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '"') {
      auto close = detail::skip_quoted(value, i);
      // An unterminated quote swallows the rest; the element parser reports it.
      if (close == std::string_view::npos) break;
      i = close - 1;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == ',' && angle == 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(value.size());
  return out;
}

sip_message sip_message::make_request(std::string method, sip_uri request_uri) {
  sip_message m;
  m.method_ = std::move(method);
  m.request_uri_ = std::move(request_uri);
  return m;
}

sip_message sip_message::make_response(int status, std::string reason) {
  sip_message m;
  m.status_ = status;
  m.reason_ = std::move(reason);
  return m;
}

void sip_message::add_header(std::string name, std::string value) {
  headers_.push_back({std::move(name), std::move(value)});
}

void sip_message::prepend_header(std::string name, std::string value) {
  headers_.insert(headers_.begin(), sip_header{std::move(name), std::move(value)});
}

void sip_message::set_header(std::string_view name, std::string value) {
  for (auto& h : headers_) {
    if (same_header_name(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers_.push_back(sip_header{std::string(name), std::move(value)});
}

void sip_message::remove_headers(std::string_view name) {
  std::erase_if(headers_, [&](const sip_header& h) { return same_header_name(h.name, name); });
}

std::optional<std::string_view> sip_message::header(std::string_view name) const {
  for (const auto& h : headers_) {
    if (same_header_name(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string> sip_message::header_values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& h : headers_) {
    if (!same_header_name(h.name, name)) continue;
    auto parts = split_header_list(h.value);
    std::move(parts.begin(), parts.end(), std::back_inserter(out));
  }
  return out;
}

std::string to_string(const sip_message& message) {
  // Sized exactly up front: one allocation, and no spare capacity in answers that are held
  // for retransmissions (a 600-byte answer grown by doubling would keep 1 kB).
  const std::string start_text =
      message.is_request() ? to_string(message.request_uri()) : std::to_string(message.status());
  const std::string length_text = std::to_string(message.body().size());
  std::size_t size = message.is_request()
                         ? message.method().size() + 1 + start_text.size() + 10  // " SIP/2.0\r\n"
                         : 8 + start_text.size() + 1 + message.reason().size() + 2;
  for (const auto& h : message.headers()) {
    if (same_header_name(h.name, "Content-Length")) continue;
    size += expand_header_name(h.name).size() + 2 + h.value.size() + 2;
  }
  size += 16 + length_text.size() + 4 + message.body().size();
  std::string out;
  out.reserve(size);
  if (message.is_request()) {
    out.append(message.method()).append(" ").append(start_text).append(" SIP/2.0\r\n");
  } else {
    out.append("SIP/2.0 ").append(start_text).append(" ");
    out.append(message.reason()).append("\r\n");
  }
  for (const auto& h : message.headers()) {
    if (same_header_name(h.name, "Content-Length")) continue;
    out.append(expand_header_name(h.name)).append(": ").append(h.value).append("\r\n");
  }
  out.append("Content-Length: ").append(length_text);
  out.append("\r\n\r\n").append(message.body());
  return out;
}

}  // namespace callcenterd::sip
