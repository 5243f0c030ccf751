// The caller blocklist over HTTP. Rows live in caller_blocklist (sql/0006); the SIP service
// reads them into memory, so each change asks it to read them again at once. Patterns are kept
// as digits (with '*' for a prefix) whatever separators the client wrote, the way callers'
// numbers are compared.
#include "blocklist_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "crm_json.hpp"
#include "query_reading.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t max_pattern_digits = 20;
constexpr std::size_t max_reason_bytes = 200;

struct blocklist_access {
  audit_trail& audit;
  store::db_pool& pool;
  std::function<void()> changed;
};

using access_ptr = std::shared_ptr<blocklist_access>;

/// What a client sets of an entry. `expires_at` is set when the body names it: an empty inner
/// value means "until removed".
struct entry_input {
  std::optional<std::string> reason;
  std::optional<std::optional<std::string>> expires_at;  ///< ISO text for PostgreSQL
};

constexpr const char* entry_columns =
    "pattern, reason, to_char(created_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), to_char(expires_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), (expires_at IS NULL OR expires_at > now())";

json entry_json(const pqxx::row& row) {
  return {{"pattern", row[0].as<std::string>()},
          {"reason", row[1].as<std::string>()},
          {"created_at", row[2].as<std::string>()},
          {"expires_at", row[3].is_null() ? json(nullptr) : json(row[3].as<std::string>())},
          {"in_force", row[4].as<bool>()}};
}

/// Reads `reason` and `expires_at` of a body (`pattern` too when `creating`); any other field,
/// a wrong type, an over-long reason or an expiry not in the future is a 400.
std::optional<api::response> read_entry(const json& body, bool creating, std::string& pattern,
                                        entry_input& out) {
  for (const auto& [key, value] : body.items()) {
    if (key == "pattern" && creating) {
      if (!value.is_string()) return bad_request("pattern is text, e.g. \"+8613800001111\"");
      auto normalized = normalized_block_pattern(value.get<std::string>());
      if (!normalized) {
        return bad_request(
            "a pattern is a number of 1 to 20 digits, with a trailing * for a "
            "prefix; '+', spaces, '-', '.' and brackets are ignored");
      }
      pattern = std::move(*normalized);
    } else if (key == "reason") {
      if (!value.is_string()) return bad_request("reason is text");
      auto reason = value.get<std::string>();
      if (reason.size() > max_reason_bytes || !is_valid_utf8(reason)) {
        return bad_request("a reason is UTF-8 text of at most 200 bytes");
      }
      out.reason = std::move(reason);
    } else if (key == "expires_at") {
      if (value.is_null()) {
        out.expires_at.emplace();
        continue;
      }
      const auto at = value.is_string() ? parse_iso_time(value.get<std::string>()) : std::nullopt;
      if (!at) return bad_request("expires_at is an ISO 8601 time or null (never expires)");
      if (*at <= std::chrono::system_clock::now()) {
        return bad_request("expires_at must be in the future");
      }
      out.expires_at.emplace(iso_utc(*at));
    } else {
      return bad_request("unknown field " + key + "; expected " +
                         (creating ? "pattern, reason and expires_at" : "reason and expires_at"));
    }
  }
  if (creating && pattern.empty()) return bad_request("a new entry needs its pattern");
  return std::nullopt;
}

api::response no_such_entry() {
  return api::error_response(http::status::not_found, "not_found", "no such blocklist entry");
}

void register_list_route(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/blocklist", supervisors_and_admins,
      [access](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        page range;
        if (auto refused = read_page(ctx, range)) co_return std::move(*refused);
        std::optional<std::string> q;
        if (auto refused = read_text(ctx, "q", q, 40)) co_return std::move(*refused);
        // A search is by digits, as patterns are kept: "+86 138" finds "86138*".
        std::optional<std::string> digits;
        if (q) {
          digits.emplace();
          for (const char c : *q) {
            if (c >= '0' && c <= '9') digits->push_back(c);
          }
        }
        std::function<json(pqxx::connection&)> job = [digits, range](pqxx::connection& c) {
          pqxx::read_transaction tx(c);
          const auto rows = tx.exec_params(std::string("SELECT ") + entry_columns +
                                               ", count(*) OVER () FROM caller_blocklist "
                                               "WHERE $1::text IS NULL OR pattern LIKE $1 || '%' "
                                               "ORDER BY pattern LIMIT $2 OFFSET $3",
                                           digits, range.limit, range.offset);
          json entries = json::array();
          std::int64_t total = 0;
          for (const auto& row : rows) {
            entries.push_back(entry_json(row));
            total = row[5].as<std::int64_t>();
          }
          if (rows.empty() && range.offset > 0) {
            total = tx.exec_params(
                          "SELECT count(*) FROM caller_blocklist "
                          "WHERE $1::text IS NULL OR pattern LIKE $1 || '%'",
                          digits)[0][0]
                        .as<std::int64_t>();
          }
          return json{{"entries", std::move(entries)}, {"total", total}};
        };
        auto running =
            access->pool.async_run<json>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, list] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        co_return api::json_response(http::status::ok, list);
      });
}

void register_create_route(secured_routes& routes, const access_ptr& access) {
  routes.post(
      "/api/v1/blocklist", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        std::string pattern;
        entry_input input;
        if (auto refused = read_entry(body, true, pattern, input)) co_return std::move(*refused);
        const auto reason = input.reason.value_or("");
        const auto expires = input.expires_at.value_or(std::nullopt);
        std::function<std::optional<json>(pqxx::connection&)> job =
            [pattern, reason, expires](pqxx::connection& c) -> std::optional<json> {
          pqxx::work tx(c);
          const auto rows = tx.exec_params(
              std::string("INSERT INTO caller_blocklist (pattern, reason, expires_at) "
                          "VALUES ($1, $2, $3::timestamptz) ON CONFLICT (pattern) DO NOTHING "
                          "RETURNING ") +
                  entry_columns,
              pattern, reason, expires);
          tx.commit();
          if (rows.empty()) return std::nullopt;
          return entry_json(rows[0]);
        };
        auto running = access->pool.async_run<std::optional<json>>(
            std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, created] = co_await std::move(running);
        api::response response;
        if (ec) {
          response = database_failure(ec);
        } else if (!created) {
          response = api::error_response(http::status::conflict, "conflict",
                                         "the pattern " + pattern + " is on the blocklist already");
        } else {
          access->changed();
          response = api::json_response(http::status::created, *created);
        }
        access->audit.answered(ctx, &who, "blocklist.create", pattern, response,
                               {{"fields", field_names(body)}});
        co_return response;
      });
}

/// The pattern of the path, normalised; a pattern no entry could have is reported as absent.
std::optional<std::string> path_pattern(const api::request_context& ctx) {
  return normalized_block_pattern(ctx.path_param("pattern").value_or(""));
}

void register_change_routes(secured_routes& routes, const access_ptr& access) {
  routes.put(
      "/api/v1/blocklist/{pattern}", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        std::string unused;
        entry_input input;
        if (auto refused = read_entry(body, false, unused, input)) co_return std::move(*refused);
        const auto pattern = path_pattern(ctx);
        if (!pattern) co_return no_such_entry();
        const bool set_expiry = input.expires_at.has_value();
        const auto expires = input.expires_at.value_or(std::nullopt);
        std::function<std::optional<json>(pqxx::connection&)> job =
            [pattern = *pattern, reason = input.reason, set_expiry,
             expires](pqxx::connection& c) -> std::optional<json> {
          pqxx::work tx(c);
          const auto rows = tx.exec_params(
              std::string("UPDATE caller_blocklist SET reason = coalesce($2, reason), "
                          "expires_at = CASE WHEN $3 THEN $4::timestamptz ELSE expires_at END "
                          "WHERE pattern = $1 RETURNING ") +
                  entry_columns,
              pattern, reason, set_expiry, expires);
          tx.commit();
          if (rows.empty()) return std::nullopt;
          return entry_json(rows[0]);
        };
        auto running = access->pool.async_run<std::optional<json>>(
            std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, updated] = co_await std::move(running);
        api::response response;
        if (ec) {
          response = database_failure(ec);
        } else if (!updated) {
          response = no_such_entry();
        } else {
          access->changed();
          response = api::json_response(http::status::ok, *updated);
        }
        access->audit.answered(ctx, &who, "blocklist.update", *pattern, response,
                               {{"fields", field_names(body)}});
        co_return response;
      });

  routes.del(
      "/api/v1/blocklist/{pattern}", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto pattern = path_pattern(ctx);
        if (!pattern) co_return no_such_entry();
        std::function<bool(pqxx::connection&)> job = [pattern = *pattern](pqxx::connection& c) {
          pqxx::work tx(c);
          const auto rows = tx.exec_params(
              "DELETE FROM caller_blocklist WHERE pattern = $1 RETURNING pattern", pattern);
          tx.commit();
          return !rows.empty();
        };
        auto running =
            access->pool.async_run<bool>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, removed] = co_await std::move(running);
        api::response response;
        if (ec) {
          response = database_failure(ec);
        } else if (!removed) {
          response = no_such_entry();
        } else {
          access->changed();
          response = api::response{http::status::no_content, 11};
        }
        access->audit.answered(ctx, &who, "blocklist.delete", *pattern, response);
        co_return response;
      });
}

}  // namespace

std::optional<std::string> normalized_block_pattern(std::string_view text) {
  std::string digits;
  bool prefix = false;
  for (const char c : text) {
    if (prefix) return std::nullopt;  // '*' ends a pattern
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '*') {
      prefix = true;
    } else if (c != '+' && c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits.size() > max_pattern_digits) return std::nullopt;
  if (prefix) digits.push_back('*');
  return digits;
}

void register_blocklist_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                               std::function<void()> changed) {
  auto access =
      std::make_shared<blocklist_access>(blocklist_access{audit, pool, std::move(changed)});
  register_list_route(routes, access);
  register_create_route(routes, access);
  register_change_routes(routes, access);
}

}  // namespace callcenterd::app
