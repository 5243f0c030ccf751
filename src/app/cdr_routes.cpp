// Call detail records over HTTP: search with filters, paged JSON or a CSV export. Read from
// PostgreSQL on the pool; an agent sees the calls they talked on, a supervisor those of their
// teams' agents, an admin all.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agent_reach.hpp"
#include "api_routes.hpp"
#include "callcenterd/core/uuid.hpp"
#include "callcenterd/crm/csv.hpp"
#include "query_reading.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

struct cdr_filter {
  std::optional<std::string> from;  ///< ISO text, as iso_utc writes it
  std::optional<std::string> to;
  std::optional<std::string> number;
  std::optional<std::string> agent;
  std::optional<std::string> queue;
  std::optional<std::string> disposition;
  std::optional<std::string> customer;
  /// JSON array of the agents whose calls may be seen; nullopt: all.
  std::optional<std::string> visible_agents;
  page range;
};

// The columns in the order of the CSV header and of the JSON fields.
constexpr std::array<std::string_view, 22> columns{
    "id",          "sip_call_id",  "caller",      "caller_name", "dialed",  "started_at",
    "answered_at", "connected_at", "ended_at",    "disposition", "status",  "ended_by",
    "queue",       "agent",        "wait_ms",     "talk_ms",     "hold_ms", "customer_id",
    "callback_of", "recording",    "wrapup_code", "wrapup_notes"};

constexpr const char* cdr_select =
    "SELECT r.call_id::text, r.sip_call_id, r.caller, r.caller_name, r.dialed, "
    "to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(r.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(r.connected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(r.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "r.disposition, r.status, r.ended_by, r.queue, r.agent, r.wait_ms, r.talk_ms, r.hold_ms, "
    "r.customer_id::text, r.callback_of::text, "
    "(SELECT g.call_uuid::text FROM recordings g WHERE g.call_uuid = r.call_id "
    " AND g.status = 'completed'), "
    "w.disposition, w.notes, "
    "count(*) OVER () "
    "FROM call_records r LEFT JOIN call_wrapups w ON w.call_id = r.call_id "
    "WHERE ($1::timestamptz IS NULL OR r.started_at >= $1) "
    "AND ($2::timestamptz IS NULL OR r.started_at < $2) "
    "AND ($3::text IS NULL OR r.caller LIKE '%' || $3 || '%' OR r.dialed LIKE '%' || $3 || '%') "
    "AND ($4::text IS NULL OR r.agent = $4) AND ($5::text IS NULL OR r.queue = $5) "
    "AND ($6::text IS NULL OR r.disposition = $6) "
    "AND ($7::uuid IS NULL OR r.customer_id = $7) "
    "AND ($8::jsonb IS NULL OR r.agent IN (SELECT jsonb_array_elements_text($8::jsonb))) "
    "ORDER BY r.started_at DESC, r.call_id LIMIT $9 OFFSET $10";

struct cdr_page {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::int64_t total = 0;
};

cdr_page blocking_search_cdrs(pqxx::connection& connection, const cdr_filter& f) {
  pqxx::read_transaction tx(connection);
  const auto rows =
      tx.exec_params(cdr_select, f.from, f.to, f.number, f.agent, f.queue, f.disposition,
                     f.customer, f.visible_agents, f.range.limit, f.range.offset);
  cdr_page out;
  for (const auto& row : rows) {
    std::vector<std::optional<std::string>> values;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto field = row[static_cast<pqxx::row::size_type>(i)];
      values.push_back(field.is_null() ? std::nullopt
                                       : std::optional<std::string>(field.as<std::string>()));
    }
    out.total = row[static_cast<pqxx::row::size_type>(columns.size())].as<std::int64_t>();
    out.rows.push_back(std::move(values));
  }
  return out;
}

json row_json(const std::vector<std::optional<std::string>>& row) {
  json out = json::object();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& value = row[i];
    const auto name = std::string(columns[i]);
    if (!value) {
      out[name] = nullptr;
    } else if (name == "status" || name.ends_with("_ms")) {
      out[name] = std::stoll(*value);
    } else {
      out[name] = *value;
    }
  }
  return out;
}

std::string rows_csv(const cdr_page& page) {
  std::string out;
  crm::append_csv_record(out, std::vector<std::string>(columns.begin(), columns.end()));
  for (const auto& row : page.rows) {
    std::vector<std::string> fields;
    fields.reserve(row.size());
    for (const auto& value : row) fields.push_back(value.value_or(""));
    crm::append_csv_record(out, fields);
  }
  return out;
}

bool is_phone_fragment(std::string_view text) {
  return !text.empty() && text.size() <= 32 &&
         text.find_first_not_of("0123456789+*#") == std::string_view::npos;
}

bool is_disposition(std::string_view text) {
  return text == "connected" || text == "abandoned" || text == "self_service" ||
         text == "refused" || text == "callback";
}

/// Reads the filters of GET /api/v1/cdrs; the 400 to send on a bad one.
std::optional<api::response> read_cdr_filter(const api::request_context& ctx, cdr_filter& f,
                                             bool csv) {
  std::optional<std::chrono::system_clock::time_point> from;
  std::optional<std::chrono::system_clock::time_point> to;
  // A CSV export is one answer for the whole range; JSON pages.
  const std::int64_t max_rows = csv ? 100'000 : 500;
  for (auto refused :
       {read_page(ctx, f.range, csv ? max_rows : 50, max_rows), read_time(ctx, "from", from),
        read_time(ctx, "to", to), read_text(ctx, "number", f.number, 32),
        read_text(ctx, "agent", f.agent, 64), read_text(ctx, "queue", f.queue, 64),
        read_text(ctx, "disposition", f.disposition, 32),
        read_text(ctx, "customer", f.customer, 36)}) {
    if (refused) return refused;
  }
  if (f.number && !is_phone_fragment(*f.number)) {
    return bad_query("number takes digits, '+', '*' and '#' only");
  }
  if (f.disposition && !is_disposition(*f.disposition)) {
    return bad_query("disposition must be connected, abandoned, self_service, refused or callback");
  }
  if (f.customer && !core::is_uuid(*f.customer)) return bad_query("customer must be a UUID");
  if (from) f.from = iso_utc(*from);
  if (to) f.to = iso_utc(*to);
  return std::nullopt;
}

}  // namespace

void register_cdr_routes(secured_routes& routes, store::db_pool& pool, acd::acd_service& acd) {
  routes.get(
      "/api/v1/cdrs", any_role,
      [&pool, &acd](api::request_context& ctx,
                    const principal& who) -> asio::awaitable<api::response> {
        const bool csv = ctx.query_param("format") == std::optional<std::string_view>("csv");
        cdr_filter filter;
        if (auto refused = read_cdr_filter(ctx, filter, csv)) co_return std::move(*refused);
        auto reaching = reachable_agents(acd, who);
        const auto visible = co_await std::move(reaching);
        if (visible) filter.visible_agents = json(*visible).dump();
        std::function<cdr_page(pqxx::connection&)> job = [filter](pqxx::connection& connection) {
          return blocking_search_cdrs(connection, filter);
        };
        auto running =
            pool.async_run<cdr_page>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, found] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        if (csv) {
          auto response =
              api::text_response(http::status::ok, rows_csv(found), "text/csv; charset=utf-8");
          response.set(http::field::content_disposition, "attachment; filename=\"cdrs.csv\"");
          co_return response;
        }
        json list = json::array();
        for (const auto& row : found.rows) list.push_back(row_json(row));
        co_return api::json_response(http::status::ok,
                                     {{"cdrs", std::move(list)}, {"total", found.total}});
      });
}

}  // namespace callcenterd::app
