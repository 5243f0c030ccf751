#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::call::detail {

/// RFC 4028's smallest session interval, and ours: a shorter Session-Expires gets 422.
constexpr std::chrono::seconds min_session_interval{90};

/// A session timer agreed on one leg (RFC 4028): how long the session lives without a
/// refresh, and whether we or the peer send the refreshes.
struct session_timer {
  std::chrono::seconds interval{1800};
  bool we_refresh = false;
  /// The peer listed `timer` in Supported or Require: our 2xx then says Require: timer.
  bool peer_supports_timer = false;

  friend bool operator==(const session_timer&, const session_timer&) = default;
};

/// What to do with a request (INVITE or UPDATE) the peer sent us, as UAS.
struct timer_request {
  bool too_small = false;  ///< answer 422 with Min-SE
  std::optional<session_timer> timer;
};

/// Reads Session-Expires, Min-SE and Supported of a request we answer (§9). No
/// Session-Expires means no timer (we only run timers peers ask for). When the peer names no
/// refresher, the peer refreshes if it supports the extension, else we do. Any strand.
timer_request negotiate_as_uas(const sip::sip_message& request);

/// The session timer a 2xx to our INVITE or UPDATE sets up (§7.2): none without
/// Session-Expires; the refresher as the response names it (absent means us, the UAC).
std::optional<session_timer> negotiate_as_uac(const sip::sip_message& response);

/// Adds Session-Expires (and Require: timer when the peer supports it) to our 2xx. The
/// refresher is named by its role in the transaction at hand, so here we are the UAS.
/// Any strand.
void add_timer_headers(sip::sip_message& response, const session_timer& timer);

/// Session-Expires for a refresh we send (we are its UAC). Any strand.
std::string refresh_header(const session_timer& timer);

/// When the refresher should refresh: half the interval (§10).
std::chrono::seconds refresh_after(const session_timer& timer);
/// When the other side gives up on a session nobody refreshed: the interval less a third of
/// it, at most 32 s (§10).
std::chrono::seconds expire_after(const session_timer& timer);

}  // namespace callcenterd::call::detail
