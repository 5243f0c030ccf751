#pragma once

// What the CRM's PostgreSQL code shares: times as integer microseconds, lists as JSON
// parameters, nullable columns. Private to the crm library.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::crm::pg {

using time_point = std::chrono::system_clock::time_point;

/// Timestamps cross as integer microseconds since the epoch: exact both ways, and free of the
/// text formats of timestamptz. In SQL: timestamptz 'epoch' + $n * interval '1 microsecond'
/// one way, (extract(epoch FROM t) * 1000000)::bigint the other.
std::int64_t to_micros(time_point t);
time_point from_micros(std::int64_t us);

/// `t` as ISO 8601 in UTC with seconds ("2024-05-01T08:30:00Z"), for history rows.
std::string utc_text(time_point t);

/// A list as JSON array text: lists go to PostgreSQL as one jsonb parameter (expanded with
/// jsonb_array_elements_text), so no statement text is built from values.
std::string json_array(const std::vector<std::string>& values);

/// The strings of a JSON array text (what to_jsonb(text[])::text returns).
std::vector<std::string> strings_from_json(const std::string& json_text);

/// The UUIDs among `ids`: a malformed one would make the uuid cast fail the whole statement.
std::vector<std::string> only_uuids(const std::vector<std::string>& ids);

/// The field's text, or nothing when it is NULL.
std::optional<std::string> optional_text(const pqxx::field& field);

/// Statements are prepared by name once per connection; this names them all alike.
std::string statement_name(std::string_view suffix);

}  // namespace callcenterd::crm::pg
