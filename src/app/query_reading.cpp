// Query-string filters of the list routes: pages, times and short texts, each checked, each
// refusal the same 400 shape.
#include "query_reading.hpp"

#include <charconv>

#include "callcenterd/store/errors.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace http = boost::beast::http;

namespace {

std::optional<std::int64_t> read_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

api::response database_failure(const boost::system::error_code& ec) {
  if (ec == store::db_errc::query_failed) {
    return api::error_response(http::status::internal_server_error, "internal_error",
                               "the request failed; the log says why");
  }
  return api::error_response(http::status::service_unavailable, "unavailable",
                             "the database cannot be reached");
}

api::response bad_query(std::string_view message) {
  return api::error_response(http::status::bad_request, "bad_query", message);
}

std::optional<api::response> read_page(const api::request_context& ctx, page& out,
                                       std::int64_t fallback, std::int64_t max_limit) {
  out = page{.limit = fallback, .offset = 0};
  if (const auto limit = ctx.query_param("limit")) {
    const auto value = read_integer(*limit);
    if (!value || *value < 1 || *value > max_limit) {
      return bad_query("limit must be a whole number from 1 to " + std::to_string(max_limit));
    }
    out.limit = *value;
  }
  if (const auto offset = ctx.query_param("offset")) {
    constexpr std::int64_t max_offset = 10'000'000;
    const auto value = read_integer(*offset);
    if (!value || *value < 0 || *value > max_offset) {
      return bad_query("offset must be a whole number from 0 to 10000000");
    }
    out.offset = *value;
  }
  return std::nullopt;
}

std::optional<api::response> read_time(const api::request_context& ctx, std::string_view name,
                                       std::optional<std::chrono::system_clock::time_point>& out) {
  out.reset();
  const auto text = ctx.query_param(name);
  if (!text || text->empty()) return std::nullopt;
  out = parse_iso_time(*text);
  if (!out) {
    return bad_query(std::string(name) +
                     " must be an ISO 8601 date or time, e.g. 2026-11-24 or "
                     "2026-11-24T08:00:00+08:00");
  }
  return std::nullopt;
}

std::optional<api::response> read_text(const api::request_context& ctx, std::string_view name,
                                       std::optional<std::string>& out, std::size_t max_bytes) {
  out.reset();
  const auto text = ctx.query_param(name);
  if (!text || text->empty()) return std::nullopt;
  if (text->size() > max_bytes || !is_valid_utf8(*text)) {
    return bad_query(std::string(name) + " must be UTF-8 text of at most " +
                     std::to_string(max_bytes) + " bytes");
  }
  out = std::string(*text);
  return std::nullopt;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07u;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    constexpr std::uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < smallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace callcenterd::app
