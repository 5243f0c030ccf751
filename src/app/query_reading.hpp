#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/api/router.hpp"

namespace callcenterd::app {

/// A page of a list: at most `limit` items after skipping `offset`.
struct page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

/// Reads `limit` (1..max_limit, default `fallback`) and `offset` (0..10,000,000) from the
/// query. On a bad value, the 400 `bad_query` response to send; else nullopt.
std::optional<api::response> read_page(const api::request_context& ctx, page& out,
                                       std::int64_t fallback = 50, std::int64_t max_limit = 500);

/// Reads query parameter `name` as an ISO 8601 time (see parse_iso_time) into `out` (left
/// empty when absent). On a bad value, the 400 `bad_query` response to send; else nullopt.
std::optional<api::response> read_time(const api::request_context& ctx, std::string_view name,
                                       std::optional<std::chrono::system_clock::time_point>& out);

/// Reads query parameter `name` into `out` when present and not empty (left empty otherwise).
/// On a value over `max_bytes` or not valid UTF-8, the 400 `bad_query` response to send.
std::optional<api::response> read_text(const api::request_context& ctx, std::string_view name,
                                       std::optional<std::string>& out,
                                       std::size_t max_bytes = 200);

/// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view text);

/// The answer when a database job failed: 503 `unavailable` while PostgreSQL cannot be
/// reached (or the daemon is stopping), 500 `internal_error` when the job itself failed.
api::response database_failure(const boost::system::error_code& ec);

/// 400 `bad_query` with `message`.
api::response bad_query(std::string_view message);

}  // namespace callcenterd::app
