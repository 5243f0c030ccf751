#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "callcenterd/config/settings.hpp"

namespace callcenterd::config::detail {

// The YAML spelling of each enumerator, indexed by its value: one list serves both parsing and
// to_string(), so the two cannot drift apart.

inline constexpr std::array<std::string_view, 6> ssl_mode_names{
    "disable", "allow", "prefer", "require", "verify-ca", "verify-full"};

inline constexpr std::array<std::string_view, 7> log_level_names{
    "trace", "debug", "info", "warn", "error", "critical", "off"};

inline constexpr std::array<std::string_view, 2> log_format_names{"text", "json"};

inline constexpr std::array<std::string_view, 5> sip_transport_names{"udp", "tcp", "tls", "ws",
                                                                     "wss"};

inline constexpr std::array<std::string_view, 2> sip_digest_algorithm_names{"sha-256", "md5"};

inline constexpr std::array<std::string_view, 3> did_target_names{"flow", "queue", "extension"};

template <class Enum, std::size_t N>
constexpr std::string_view name_of(Enum value, const std::array<std::string_view, N>& names) {
  return names.at(static_cast<std::size_t>(value));
}

}  // namespace callcenterd::config::detail
