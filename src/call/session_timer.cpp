#include "session_timer.hpp"

#include <algorithm>
#include <charconv>

#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::call::detail {

namespace {

// `delta-seconds *(;param)`, as Session-Expires and Min-SE are written.
struct interval_value {
  std::chrono::seconds seconds{0};
  std::optional<std::string> refresher;
};

std::optional<interval_value> parse_interval(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  const auto value = *text;
  const auto semicolon = value.find(';');
  const auto number = value.substr(0, semicolon);
  std::uint32_t seconds = 0;
  const auto* end = number.data() + number.size();
  auto [ptr, ec] = std::from_chars(number.data(), end, seconds);
  while (ptr != end && (*ptr == ' ' || *ptr == '\t')) ++ptr;
  if (ec != std::errc() || ptr != end) return std::nullopt;
  interval_value out;
  out.seconds = std::chrono::seconds(seconds);
  if (semicolon != std::string_view::npos) {
    if (auto params = sip::parse_params(value.substr(semicolon))) {
      out.refresher = sip::find_param(*params, "refresher");
    }
  }
  return out;
}

bool lists_timer(const sip::sip_message& message, std::string_view header) {
  for (const auto& option : message.header_values(header)) {
    if (option == "timer") return true;
  }
  return false;
}

}  // namespace

timer_request negotiate_as_uas(const sip::sip_message& request) {
  timer_request out;
  const auto expires = parse_interval(request.header("Session-Expires"));
  if (!expires) return out;
  if (expires->seconds < min_session_interval) {
    out.too_small = true;
    return out;
  }
  session_timer timer;
  timer.interval = expires->seconds;
  timer.peer_supports_timer = lists_timer(request, "Supported") || lists_timer(request, "Require");
  if (expires->refresher == "uas") {
    timer.we_refresh = true;
  } else if (expires->refresher == "uac") {
    timer.we_refresh = false;
  } else {
    // §9: with no refresher named the UAS picks; a peer without the extension cannot refresh.
    timer.we_refresh = !timer.peer_supports_timer;
  }
  out.timer = timer;
  return out;
}

std::optional<session_timer> negotiate_as_uac(const sip::sip_message& response) {
  const auto expires = parse_interval(response.header("Session-Expires"));
  if (!expires || expires->seconds.count() == 0) return std::nullopt;
  session_timer timer;
  timer.interval = std::max(expires->seconds, min_session_interval);
  timer.peer_supports_timer = true;
  timer.we_refresh = expires->refresher != "uas";
  return timer;
}

void add_timer_headers(sip::sip_message& response, const session_timer& timer) {
  response.set_header("Session-Expires",
                      std::to_string(timer.interval.count()) +
                          (timer.we_refresh ? ";refresher=uas" : ";refresher=uac"));
  if (timer.peer_supports_timer) response.add_header("Require", "timer");
}

std::string refresh_header(const session_timer& timer) {
  return std::to_string(timer.interval.count()) +
         (timer.we_refresh ? ";refresher=uac" : ";refresher=uas");
}

std::chrono::seconds refresh_after(const session_timer& timer) { return timer.interval / 2; }

std::chrono::seconds expire_after(const session_timer& timer) {
  return timer.interval - std::min(std::chrono::seconds(32), timer.interval / 3);
}

}  // namespace callcenterd::call::detail
