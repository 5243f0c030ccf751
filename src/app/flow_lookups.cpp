#include "flow_lookups.hpp"

#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace callcenterd::app {

namespace {

// PostgreSQL's type oids of the columns read as integers and booleans (pg_type.dat).
constexpr pqxx::oid bool_oid = 16;
constexpr pqxx::oid int8_oid = 20;
constexpr pqxx::oid int2_oid = 21;
constexpr pqxx::oid int4_oid = 23;

ivr::value value_of(const pqxx::field& field) {
  if (field.is_null()) return {};
  switch (field.type()) {
    case bool_oid:
      return ivr::value(field.as<bool>());
    case int2_oid:
    case int4_oid:
    case int8_oid:
      return ivr::value(field.as<std::int64_t>());
    default:
      return ivr::value(std::string(field.c_str()));
  }
}

ivr::lookup_result blocking_lookup(pqxx::connection& connection, const std::string& sql,
                                   std::int64_t timeout_ms,
                                   const std::vector<ivr::value>& parameters) {
  // Texts first, pointers after: the vector of texts no longer moves then. Null stays null;
  // the server infers each parameter's type from where the SQL uses it.
  std::vector<std::string> texts;
  texts.reserve(parameters.size());
  for (const auto& p : parameters) texts.push_back(p.to_text());
  std::vector<const char*> arguments;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    arguments.push_back(parameters[i].is_null() ? nullptr : texts[i].c_str());
  }
  pqxx::work tx(connection);
  try {
    tx.exec0("SET TRANSACTION READ ONLY");
    tx.exec0("SET LOCAL statement_timeout = " + std::to_string(timeout_ms));
    const auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(arguments));
    tx.commit();
    if (rows.empty()) return ivr::lookup_result{.what = ivr::lookup_result::kind::not_found};
    ivr::lookup_result found{.what = ivr::lookup_result::kind::found};
    const auto& row = rows[0];
    for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
      found.columns.emplace_back(rows.column_name(i), value_of(row[i]));
    }
    return found;
  } catch (const pqxx::sql_error& e) {
    // The query's own failure (a missing table, a timeout, a write refused as read-only):
    // the flow takes its error branch. A lost connection is the pool's to handle.
    return ivr::lookup_result{.what = ivr::lookup_result::kind::failed, .error = e.what()};
  }
}

}  // namespace

void run_flow_lookup(store::db_pool& pool, const config::query_settings& query,
                     std::vector<ivr::value> parameters,
                     std::function<void(ivr::lookup_result)> done) {
  pool.async_run<ivr::lookup_result>(
      [sql = query.sql.text, timeout_ms = std::int64_t{query.timeout.count()},
       parameters = std::move(parameters)](pqxx::connection& connection) {
        return blocking_lookup(connection, sql, timeout_ms, parameters);
      },
      [done = std::move(done)](boost::system::error_code ec, ivr::lookup_result result) {
        if (ec) {
          done(ivr::lookup_result{.what = ivr::lookup_result::kind::failed,
                                  .error = "the database: " + ec.message()});
          return;
        }
        done(std::move(result));
      });
}

}  // namespace callcenterd::app
