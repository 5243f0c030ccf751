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

/// A SIP extension (an agent's id and device): 1 to 32 letters, digits, '.', '-', '_', '+', as
/// the sip_accounts table allows.
std::string extension_check(std::string_view text);

/// A queue's name: 1 to 64 lower-case letters, digits, '-' and '_', as the queues table allows.
std::string queue_name_check(std::string_view text);

/// Non-empty, one line (no CR, LF or NUL), at most `max_bytes`.
std::string one_line_check(std::string_view text, std::size_t max_bytes);
/// Text for the speech engine (a greeting, a message before a hang-up): one line, up to 1000
/// bytes, so that it renders at start-up quickly.
std::string greeting_check(std::string_view text);

/// A name a flow can set and read: 1 to 64 letters, digits and '_', not starting with a digit.
std::string variable_name_check(std::string_view text);

/// A language of speech: "en" (English) or "zh" (Mandarin).
std::string language_check(std::string_view text);

/// Non-empty text.
std::string not_empty(std::string_view text);

}  // namespace callcenterd::config::detail
