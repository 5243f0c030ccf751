// What only admins read: the routes this daemon serves (with the roles each admits), and the
// audit log.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api_routes.hpp"
#include "query_reading.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

struct audit_filter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> target;
  std::optional<std::string> from;  ///< ISO text, as iso_utc writes it
  std::optional<std::string> to;
  page range;
};

json blocking_read_audit(pqxx::connection& connection, const audit_filter& f) {
  pqxx::read_transaction tx(connection);
  const auto rows = tx.exec_params(
      "SELECT event_id::text, to_char(at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), actor, actor_role, source, action, target, outcome, "
      "request_id, detail::text, count(*) OVER () FROM audit_log "
      "WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2) "
      "AND ($3::text IS NULL OR target = $3) "
      "AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5) "
      "ORDER BY at DESC, event_id LIMIT $6 OFFSET $7",
      f.actor, f.action, f.target, f.from, f.to, f.range.limit, f.range.offset);
  json entries = json::array();
  std::int64_t total = 0;
  for (const auto& row : rows) {
    total = row[10].as<std::int64_t>();
    entries.push_back({{"id", row[0].as<std::string>()},
                       {"at", row[1].as<std::string>()},
                       {"user", row[2].is_null() ? json(nullptr) : json(row[2].as<std::string>())},
                       {"role", row[3].is_null() ? json(nullptr) : json(row[3].as<std::string>())},
                       {"source", row[4].as<std::string>()},
                       {"action", row[5].as<std::string>()},
                       {"target", row[6].as<std::string>()},
                       {"outcome", row[7].as<std::string>()},
                       {"request_id", row[8].as<std::string>()},
                       {"detail", json::parse(row[9].as<std::string>(), nullptr, false)}});
  }
  if (rows.empty() && f.range.offset > 0) {
    // Past the end: the total still answers how many there are.
    const auto counted = tx.exec_params(
        "SELECT count(*) FROM audit_log WHERE ($1::text IS NULL OR actor = $1) "
        "AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target = $3) "
        "AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)",
        f.actor, f.action, f.target, f.from, f.to);
    total = counted[0][0].as<std::int64_t>();
  }
  return {{"entries", std::move(entries)}, {"total", total}};
}

}  // namespace

void register_admin_routes(secured_routes& routes, store::db_pool& pool) {
  routes.get("/api/v1/routes", admins_only,
             [&routes](api::request_context&, const principal&) -> asio::awaitable<api::response> {
               json list = json::array();
               for (const auto& r : routes.router().routes()) {
                 list.push_back({{"method", r.method},
                                 {"path", r.pattern},
                                 {"roles", routes.roles_of(r.method, r.pattern)}});
               }
               co_return api::json_response(http::status::ok, {{"routes", std::move(list)}});
             });

  routes.get(
      "/api/v1/audit", admins_only,
      [&pool](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        audit_filter filter;
        std::optional<std::chrono::system_clock::time_point> from;
        std::optional<std::chrono::system_clock::time_point> to;
        for (auto refused :
             {read_page(ctx, filter.range, 100, 1000), read_text(ctx, "user", filter.actor),
              read_text(ctx, "action", filter.action), read_text(ctx, "target", filter.target),
              read_time(ctx, "from", from), read_time(ctx, "to", to)}) {
          if (refused) co_return std::move(*refused);
        }
        if (from) filter.from = iso_utc(*from);
        if (to) filter.to = iso_utc(*to);
        std::function<json(pqxx::connection&)> job = [filter](pqxx::connection& connection) {
          return blocking_read_audit(connection, filter);
        };
        auto running = pool.async_run<json>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, found] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        co_return api::json_response(http::status::ok, found);
      });
}

}  // namespace callcenterd::app
