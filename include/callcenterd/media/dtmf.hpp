#pragma once

// The sixteen DTMF keys and the two ways they are named on the wire: as characters (SIP INFO
// bodies, logs, IVR digit strings) and as RFC 4733 event codes. Pure constexpr functions; no
// strand affinity.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace callcenterd::media {

/// One key of the 4x4 DTMF keypad. The underlying values are the RFC 4733 §3.2 event codes,
/// so a conversion either way is a range check.
enum class dtmf_key : std::uint8_t {
  zero = 0,
  one,
  two,
  three,
  four,
  five,
  six,
  seven,
  eight,
  nine,
  star,  ///< `*`, event 10
  hash,  ///< `#`, event 11
  a,     ///< event 12
  b,
  c,
  d,  ///< event 15
};

/// How many keys there are; event codes above this minus one are not DTMF.
inline constexpr std::size_t dtmf_key_count = 16;

/// The RFC 4733 event code of `key` (0..15). Any strand.
constexpr std::uint8_t to_event_code(dtmf_key key) noexcept {
  return static_cast<std::uint8_t>(key);
}

/// The key for an RFC 4733 event code; nullopt for codes 16..255, which name other telephony
/// events (fax tones, line signals). Any strand.
constexpr std::optional<dtmf_key> dtmf_key_from_event_code(std::uint8_t code) noexcept {
  if (code >= dtmf_key_count) return std::nullopt;
  return static_cast<dtmf_key>(code);
}

/// '0'..'9', '*', '#', 'A'..'D'. Any strand.
constexpr char to_char(dtmf_key key) noexcept {
  const auto code = to_event_code(key);
  if (code <= 9) return static_cast<char>('0' + code);
  if (key == dtmf_key::star) return '*';
  if (key == dtmf_key::hash) return '#';
  return static_cast<char>('A' + (code - to_event_code(dtmf_key::a)));
}

/// The key a character names: digits, `*`, `#` and A-D in either case; nullopt otherwise.
/// Any strand.
constexpr std::optional<dtmf_key> dtmf_key_from_char(char c) noexcept {
  if (c >= '0' && c <= '9') return static_cast<dtmf_key>(c - '0');
  if (c == '*') return dtmf_key::star;
  if (c == '#') return dtmf_key::hash;
  if (c >= 'A' && c <= 'D') return static_cast<dtmf_key>(to_event_code(dtmf_key::a) + (c - 'A'));
  if (c >= 'a' && c <= 'd') return static_cast<dtmf_key>(to_event_code(dtmf_key::a) + (c - 'a'));
  return std::nullopt;
}

}  // namespace callcenterd::media
