#pragma once

#include <string>
#include <string_view>

namespace callcenterd::config::detail {

// Checks for text values shared by several sections. Each returns why a value is refused, as a
// sentence for the user, or an empty string when the value is fine (see text_check).

bool is_alnum(char c);

/// A listen address, not a host name: resolving names at start-up would make the daemon's
/// behaviour depend on DNS, and binding needs one address anyway.
std::string ip_address_check(std::string_view text);

/// The name of an environment variable (letters, digits and '_', not starting with a digit).
std::string env_name_check(std::string_view text);

/// A name (a trunk, flow, queue, hold class, ...): 1 to 64 letters, digits, '.', '-', '_', '+'.
std::string token_check(std::string_view text);

/// A name a flow can set and read: 1 to 64 letters, digits and '_', not starting with a digit.
std::string variable_name_check(std::string_view text);

/// A language of speech: "en" (English) or "zh" (Mandarin).
std::string language_check(std::string_view text);

/// Non-empty text.
std::string not_empty(std::string_view text);

}  // namespace callcenterd::config::detail
