#pragma once

// DTMF sent in SIP INFO requests. There is no standard for these bodies; two forms are in
// common use and both are read here:
//   application/dtmf-relay   "Signal=5\r\nDuration=160\r\n"
//   application/dtmf         "5"
// Pure functions on the body text; no strand affinity, never throw.

#include <chrono>
#include <optional>
#include <string_view>

#include "callcenterd/media/dtmf.hpp"

namespace callcenterd::media {

/// A key from an INFO body and, when the body says, how long it was pressed.
struct dtmf_info {
  dtmf_key key = dtmf_key::zero;
  std::optional<std::chrono::milliseconds> duration;

  friend bool operator==(const dtmf_info&, const dtmf_info&) = default;
};

/// Reads an application/dtmf-relay body: `name=value` lines ended by CRLF, LF or CR, names
/// in any case, blanks around names and values. `Signal` is required and must appear once:
/// a key character (0-9, `*`, `#`, A-D in either case) or an event code 10..15, which some
/// phones send for `*`, `#` and A-D. `Duration` is in milliseconds; when it is not a number
/// the key still counts and the duration is left out. Other names are ignored. nullopt for
/// a missing or unreadable Signal, a line without `=`, or a body over 1024 bytes.
std::optional<dtmf_info> parse_dtmf_relay(std::string_view body);

/// Reads an application/dtmf body: the key alone, as a character or an event code 0..15,
/// with optional surrounding blanks and line ends. Carries no duration.
std::optional<dtmf_info> parse_application_dtmf(std::string_view body);

/// The key in an INFO request, by its Content-Type (compared case-insensitively, parameters
/// ignored): one of the two above, nullopt for any other type.
std::optional<dtmf_info> parse_dtmf_info(std::string_view content_type, std::string_view body);

}  // namespace callcenterd::media
