// Filling the caller lookup from PostgreSQL at start.
#include <pqxx/pqxx>

#include "callcenterd/crm/customer_directory.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "pg_support.hpp"

namespace callcenterd::crm {
namespace {

// One row per number, its customer's summary beside it, grouped by customer so that each
// customer's summary is built once.
constexpr const char* load_sql = R"sql(
SELECT c.id::text, c.name, c.vip_level, to_jsonb(c.tags)::text, p.number
  FROM customer_phones p JOIN customers c ON c.id = p.customer_id
 ORDER BY c.id, p.position, p.number
)sql";

}  // namespace

void customer_directory::blocking_load(pqxx::connection& connection) {
  store::prepare_once(connection, pg::statement_name("directory_load"), load_sql);
  number_map by_number;
  owner_map numbers_of;
  {
    pqxx::read_transaction tx(connection);
    std::shared_ptr<const customer_summary> current;
    for (const auto& row : tx.exec_prepared(pg::statement_name("directory_load"))) {
      auto id = row[0].as<std::string>();
      if (!current || current->id != id) {
        current = std::make_shared<const customer_summary>(
            customer_summary{std::move(id), row[1].as<std::string>(), row[2].as<int>(),
                             pg::strings_from_json(row[3].as<std::string>())});
      }
      auto number = row[4].as<std::string>();
      numbers_of[current->id].push_back(number);
      by_number.emplace(std::move(number), current);
    }
  }
  std::unique_lock lock(mutex_);
  by_number_.swap(by_number);
  numbers_of_.swap(numbers_of);
}

}  // namespace callcenterd::crm
