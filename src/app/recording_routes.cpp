// Call recordings over HTTP: the index searched in PostgreSQL, the audio served by id (never
// by a path a client gives) with byte ranges for players, each playback and download audited.
// An agent reaches the recordings of calls they talked on, a supervisor their teams', an
// admin all.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agent_reach.hpp"
#include "api_routes.hpp"
#include "callcenterd/core/uuid.hpp"
#include "query_reading.hpp"
#include "recording_files.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

// Whether the user may reach the recording g: through the agent of its call's record.
constexpr const char* visible_clause =
    "($1::jsonb IS NULL OR EXISTS (SELECT 1 FROM call_records c WHERE c.call_id = g.call_uuid "
    "AND c.agent IN (SELECT jsonb_array_elements_text($1::jsonb))))";

constexpr const char* recording_columns =
    "g.call_uuid::text, g.status, g.failure, g.caller, g.agent, g.queue, "
    "to_char(g.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "g.duration_ms, g.size_bytes, g.sha256, g.pauses::text, g.quality::text";

json recording_json(const pqxx::row& row) {
  const auto text = [&](int i) {
    return row[i].is_null() ? json(nullptr) : json(row[i].as<std::string>());
  };
  return {{"id", row[0].as<std::string>()},
          {"status", row[1].as<std::string>()},
          {"failure", text(2)},
          {"caller", text(3)},
          {"agent", text(4)},
          {"queue", text(5)},
          {"started_at", row[6].as<std::string>()},
          {"duration_ms", row[7].as<std::int64_t>()},
          {"size_bytes", row[8].as<std::int64_t>()},
          {"sha256", text(9)},
          {"pauses", json::parse(row[10].as<std::string>(), nullptr, false)},
          {"quality", json::parse(row[11].as<std::string>(), nullptr, false)}};
}

struct recording_filter {
  std::optional<std::string> visible;  ///< JSON array of agent ids; nullopt: all
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> agent;
  std::optional<std::string> queue;
  std::optional<std::string> caller;
  page range;
};

json blocking_search_recordings(pqxx::connection& connection, const recording_filter& f) {
  pqxx::read_transaction tx(connection);
  const auto rows = tx.exec_params(
      std::string("SELECT ") + recording_columns + ", count(*) OVER () FROM recordings g WHERE " +
          visible_clause +
          " AND ($2::timestamptz IS NULL OR g.started_at >= $2)"
          " AND ($3::timestamptz IS NULL OR g.started_at < $3)"
          " AND ($4::text IS NULL OR g.agent = $4) AND ($5::text IS NULL OR g.queue = $5)"
          " AND ($6::text IS NULL OR g.caller LIKE '%' || $6 || '%')"
          " ORDER BY g.started_at DESC, g.call_uuid LIMIT $7 OFFSET $8",
      f.visible, f.from, f.to, f.agent, f.queue, f.caller, f.range.limit, f.range.offset);
  json list = json::array();
  std::int64_t total = 0;
  for (const auto& row : rows) {
    list.push_back(recording_json(row));
    total = row[12].as<std::int64_t>();
  }
  return {{"recordings", std::move(list)}, {"total", total}};
}

/// One recording's index row as JSON with its file path, and whether the user may reach it.
struct found_recording {
  bool exists = false;
  bool visible = false;
  json index;
  std::string path;
};

found_recording blocking_find_recording(pqxx::connection& connection,
                                        const std::optional<std::string>& visible,
                                        const std::string& id) {
  pqxx::read_transaction tx(connection);
  const auto rows =
      tx.exec_params(std::string("SELECT ") + recording_columns + ", " + visible_clause +
                         ", g.path FROM recordings g WHERE g.call_uuid = $2::uuid",
                     visible, id);
  found_recording out;
  if (rows.empty()) return out;
  out.exists = true;
  out.index = recording_json(rows[0]);
  out.visible = rows[0][12].as<bool>();
  out.path = rows[0][13].as<std::string>();
  return out;
}

struct recording_access {
  store::db_pool& pool;
  acd::acd_service& acd;
  audit_trail& audit;
  asio::any_io_executor files;
  std::filesystem::path root;
};

/// Finds recording {id} for `who`: the row, or the error response to send (404, 403, 503).
asio::awaitable<std::variant<found_recording, api::response>> find_for(
    recording_access& access, const api::request_context& ctx, const principal& who) {
  const auto id = std::string(ctx.path_param("id").value_or(""));
  if (!core::is_uuid(id)) {
    co_return api::error_response(http::status::not_found, "not_found", "no such recording");
  }
  auto reaching = reachable_agents(access.acd, who);
  const auto reachable = co_await std::move(reaching);
  std::optional<std::string> visible;
  if (reachable) visible = json(*reachable).dump();
  std::function<found_recording(pqxx::connection&)> job = [visible, id](pqxx::connection& c) {
    return blocking_find_recording(c, visible, id);
  };
  auto running =
      access.pool.async_run<found_recording>(std::move(job), asio::as_tuple(asio::use_awaitable));
  auto [ec, found] = co_await std::move(running);
  if (ec) co_return database_failure(ec);
  if (!found.exists) {
    co_return api::error_response(http::status::not_found, "not_found", "no such recording");
  }
  if (!found.visible) co_return forbidden_response("you may not reach this recording");
  co_return found;
}

api::response audio_response(const recording_read& read, bool download, const std::string& id) {
  using kind = recording_read::kind;
  if (read.what == kind::too_large) {
    return api::error_response(http::status::payload_too_large, "too_large",
                               "the recording is too large to send whole; ask with Range");
  }
  if (read.what != kind::ok) {
    return api::error_response(http::status::not_found, "not_found",
                               "the recording's file cannot be read");
  }
  if (read.unsatisfiable) {
    auto response = api::error_response(http::status::range_not_satisfiable, "bad_range",
                                        "the range lies past the end of the recording");
    response.set(http::field::content_range, "bytes */" + std::to_string(read.size));
    return response;
  }
  api::response response{read.partial ? http::status::partial_content : http::status::ok, 11};
  response.set(http::field::content_type, "audio/wav");
  response.set(http::field::accept_ranges, "bytes");
  // Recordings are personal data: no shared cache keeps them.
  response.set(http::field::cache_control, "private, no-store");
  response.set(http::field::content_disposition,
               std::string(download ? "attachment" : "inline") + "; filename=\"" + id + ".wav\"");
  if (read.partial) {
    response.set(http::field::content_range, "bytes " + std::to_string(read.first) + "-" +
                                                 std::to_string(read.last) + "/" +
                                                 std::to_string(read.size));
  }
  response.body() = read.bytes;
  return response;
}

}  // namespace

void register_recording_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                               acd::acd_service& acd, asio::any_io_executor files,
                               std::filesystem::path root) {
  auto access = std::make_shared<recording_access>(
      recording_access{pool, acd, audit, std::move(files), std::move(root)});

  routes.get(
      "/api/v1/recordings", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        recording_filter f;
        std::optional<std::chrono::system_clock::time_point> from;
        std::optional<std::chrono::system_clock::time_point> to;
        for (auto refused :
             {read_page(ctx, f.range), read_time(ctx, "from", from), read_time(ctx, "to", to),
              read_text(ctx, "agent", f.agent, 64), read_text(ctx, "queue", f.queue, 64),
              read_text(ctx, "caller", f.caller, 32)}) {
          if (refused) co_return std::move(*refused);
        }
        if (f.caller && f.caller->find_first_not_of("0123456789+*#") != std::string::npos) {
          co_return bad_query("caller takes digits, '+', '*' and '#' only");
        }
        if (from) f.from = iso_utc(*from);
        if (to) f.to = iso_utc(*to);
        auto reaching = reachable_agents(access->acd, who);
        const auto reachable = co_await std::move(reaching);
        if (reachable) f.visible = json(*reachable).dump();
        std::function<json(pqxx::connection&)> job = [f](pqxx::connection& c) {
          return blocking_search_recordings(c, f);
        };
        auto running =
            access->pool.async_run<json>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, found] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        co_return api::json_response(http::status::ok, found);
      });

  routes.get(
      "/api/v1/recordings/{id}", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        auto finding = find_for(*access, ctx, who);
        auto found = co_await std::move(finding);
        if (auto* refused = std::get_if<api::response>(&found)) co_return std::move(*refused);
        co_return api::json_response(http::status::ok, std::get<found_recording>(found).index);
      });

  routes.get(
      "/api/v1/recordings/{id}/audio", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto id = std::string(ctx.path_param("id").value_or(""));
        const bool download = ctx.query_param("download") == std::optional<std::string_view>("1");
        const auto range = std::string(ctx.header("Range"));
        // A player asks for many parts of one playback: the access is its first request (no
        // range, or one from the start); a download is always one.
        const auto action = download ? "recording.download" : "recording.play";
        const auto parsed = api::parse_byte_range(range, UINT64_MAX);
        const bool first_request =
            download || parsed.what != api::byte_range_request::kind::part || parsed.first == 0;
        auto finding = find_for(*access, ctx, who);
        auto found = co_await std::move(finding);
        if (auto* refused = std::get_if<api::response>(&found)) {
          access->audit.answered(ctx, &who, action, id, *refused);
          co_return std::move(*refused);
        }
        const auto path = std::filesystem::path(std::get<found_recording>(found).path);
        auto reading = asio::co_spawn(
            access->files,
            [root = access->root, path, id, range]() -> asio::awaitable<recording_read> {
              co_return blocking_read_recording(root, path, id, range);
            },
            asio::use_awaitable);
        const auto read = co_await std::move(reading);
        auto response = audio_response(read, download, id);
        if (first_request) {
          access->audit.answered(ctx, &who, action, id, response, {{"range", range}});
        }
        co_return response;
      });
}

}  // namespace callcenterd::app
