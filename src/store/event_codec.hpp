#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/store/event.hpp"

namespace callcenterd::store::detail {

/// "2024-05-01T12:34:56.123456Z": exact to the microsecond, which PostgreSQL's timestamptz
/// reads without the rounding a floating-point epoch would bring.
std::string format_timestamp(event::time_point at);
std::optional<event::time_point> parse_timestamp(std::string_view text);

/// One event as a compact JSON object: the spool record payload and, unchanged, one element
/// of the array the batch INSERT reads, so replay never re-encodes. Strings are made safe
/// for jsonb (valid UTF-8, no NUL characters), so a row can never poison a batch.
std::string encode_event_row(const event& e);

/// Back from encode_event_row's text; nullopt when it is not such an object.
std::optional<event> decode_event_row(std::string_view row);

/// Joins rows into a JSON array text, the parameter of the batch INSERT.
std::string join_event_rows(const std::vector<std::string>& rows);

}  // namespace callcenterd::store::detail
