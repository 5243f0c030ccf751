#include "callcenterd/store/caller_blocklist.hpp"

#include <pqxx/pqxx>

#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::store {
namespace {

constexpr const char* load_statement = "callcenterd_caller_blocklist_load";
constexpr const char* load_sql = R"sql(
SELECT pattern, reason
  FROM caller_blocklist
 WHERE expires_at IS NULL
    OR expires_at > timestamptz 'epoch' + $1::bigint * interval '1 microsecond'
 ORDER BY pattern
)sql";

}  // namespace

std::vector<blocklist_row> blocking_load_caller_blocklist(
    pqxx::connection& connection, std::chrono::system_clock::time_point now) {
  prepare_once(connection, load_statement, load_sql);
  pqxx::read_transaction tx(connection);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const pqxx::result result = tx.exec_prepared(load_statement, micros);
  std::vector<blocklist_row> rows;
  rows.reserve(result.size());
  for (const auto& r : result) {
    rows.push_back(blocklist_row{r[0].as<std::string>(), r[1].as<std::string>()});
  }
  return rows;
}

}  // namespace callcenterd::store
