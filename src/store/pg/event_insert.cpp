#include "event_insert.hpp"

#include <pqxx/pqxx>

#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::store::detail {
namespace {

// One parameter carries the whole batch, so one round trip inserts hundreds of rows without
// building SQL text. WITH ORDINALITY + ORDER BY keeps array order, which is the order
// log_position values are drawn in.
constexpr const char* insert_statement = "callcenterd_events_insert";
constexpr const char* insert_sql = R"sql(
INSERT INTO events (id, occurred_at, kind, correlation_id, node, payload)
SELECT (row_json->>'id')::uuid,
       (row_json->>'occurred_at')::timestamptz,
       row_json->>'kind',
       NULLIF(row_json->>'correlation_id', ''),
       row_json->>'node',
       coalesce(row_json->'payload', '{}'::jsonb)
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS batch(row_json, position)
 ORDER BY position
ON CONFLICT (id) DO NOTHING
)sql";

}  // namespace

std::function<std::size_t(pqxx::connection&)> make_event_insert_job(std::string rows_json) {
  return [rows = std::move(rows_json)](pqxx::connection& connection) -> std::size_t {
    prepare_once(connection, insert_statement, insert_sql);
    pqxx::work tx(connection);
    const pqxx::result result = tx.exec_prepared(insert_statement, rows);
    tx.commit();
    return static_cast<std::size_t>(result.affected_rows());
  };
}

}  // namespace callcenterd::store::detail
