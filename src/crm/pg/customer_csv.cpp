// Customer CSV import (all or nothing, bulk statements) and export in PostgreSQL.
#include "callcenterd/crm/customer_csv.hpp"

#include <map>
#include <pqxx/pqxx>
#include <set>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/core/wording.hpp"
#include "callcenterd/crm/csv.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "customer_csv_rows.hpp"
#include "customer_rows.hpp"
#include "customer_search.hpp"
#include "pg_support.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

// Rows per statement: one jsonb parameter per chunk keeps a 100,000-row import to a few dozen
// round trips without one huge parameter.
constexpr std::size_t chunk_rows = 5'000;

const std::string& existing_sql() {
  static const std::string sql = std::string("SELECT ") + pg::customer_columns +
                                 " FROM customers c WHERE c.id IN"
                                 " (SELECT jsonb_array_elements_text($1::jsonb)::uuid)"
                                 " FOR UPDATE OF c";
  return sql;
}

constexpr const char* owners_sql = R"sql(
SELECT p.number, p.customer_id::text, c.name
  FROM customer_phones p JOIN customers c ON c.id = p.customer_id
 WHERE p.number IN (SELECT jsonb_array_elements_text($1::jsonb))
)sql";

constexpr const char* record_columns =
    "r(id uuid, name text, account jsonb, vip_level smallint, tags jsonb, notes text,"
    " t_name text, t_tags text, t_notes text)";

constexpr const char* tags_of_r =
    "ARRAY(SELECT t FROM jsonb_array_elements_text(r.tags) WITH ORDINALITY AS e(t, n)"
    " ORDER BY n)";

constexpr const char* vector_of_r =
    "setweight(to_tsvector('simple', r.t_name), 'A') ||"
    " setweight(to_tsvector('simple', r.t_tags), 'B') ||"
    " setweight(to_tsvector('simple', r.t_notes), 'C')";

const std::string& insert_sql() {
  static const std::string sql =
      std::string(
          "INSERT INTO customers (id, name, account, vip_level, tags, notes, search_text)"
          " SELECT r.id, r.name, r.account, r.vip_level, ") +
      tags_of_r + ", r.notes, " + vector_of_r + " FROM jsonb_to_recordset($1::jsonb) AS " +
      record_columns;
  return sql;
}

const std::string& update_sql() {
  static const std::string sql = std::string(
                                     "UPDATE customers c SET name = r.name, account = r.account,"
                                     " vip_level = r.vip_level, tags = ") +
                                 tags_of_r + ", notes = r.notes, search_text = " + vector_of_r +
                                 ", updated_at = now() FROM jsonb_to_recordset($1::jsonb) AS " +
                                 record_columns + " WHERE c.id = r.id";
  return sql;
}

constexpr const char* delete_phones_sql =
    "DELETE FROM customer_phones WHERE customer_id IN"
    " (SELECT jsonb_array_elements_text($1::jsonb)::uuid)";

constexpr const char* insert_phones_sql = R"sql(
INSERT INTO customer_phones (number, customer_id, label, position)
SELECT r.number, r.customer_id, r.label, r.position
  FROM jsonb_to_recordset($1::jsonb)
       AS r(number text, customer_id uuid, label text, position smallint)
ON CONFLICT (number) DO NOTHING
)sql";

void prepare(pqxx::connection& connection) {
  store::prepare_once(connection, statement_name("csv_existing"), existing_sql());
  store::prepare_once(connection, statement_name("csv_owners"), owners_sql);
  store::prepare_once(connection, statement_name("csv_insert"), insert_sql());
  store::prepare_once(connection, statement_name("csv_update"), update_sql());
  store::prepare_once(connection, statement_name("csv_phones_delete"), delete_phones_sql);
  store::prepare_once(connection, statement_name("csv_phones_insert"), insert_phones_sql);
}

nlohmann::json record_of(const customer& c) {
  const auto terms = pg::terms_of(c);
  return {{"id", c.id},
          {"name", c.name},
          {"account", c.account},
          {"vip_level", c.vip_level},
          {"tags", c.tags},
          {"notes", c.notes},
          {"t_name", terms.name},
          {"t_tags", terms.tags},
          {"t_notes", terms.notes}};
}

// Runs `statement` over `records` in chunks; returns the rows it affected.
std::size_t exec_chunked(pqxx::work& tx, const std::string& statement,
                         const std::vector<nlohmann::json>& records) {
  std::size_t affected = 0;
  for (std::size_t start = 0; start < records.size(); start += chunk_rows) {
    auto chunk = nlohmann::json::array();
    for (std::size_t i = start; i < std::min(records.size(), start + chunk_rows); ++i) {
      chunk.push_back(records[i]);
    }
    affected += static_cast<std::size_t>(tx.exec_prepared(statement, chunk.dump()).affected_rows());
  }
  return affected;
}

// The customer a row becomes: the stored one with the row's columns over it, or a new one.
customer merged(const customer_csv_row& row, const std::map<std::string, customer>& existing) {
  customer c;
  if (row.id) {
    c = existing.at(*row.id);
  } else {
    c.id = core::make_uuid();
  }
  const auto& in = row.input;
  if (in.name) c.name = *in.name;
  if (in.phones) c.phones = *in.phones;
  if (in.account) c.account = *in.account;
  if (in.vip_level) c.vip_level = *in.vip_level;
  if (in.tags) c.tags = *in.tags;
  if (in.notes) c.notes = *in.notes;
  return c;
}

// Problems with ids that do not exist and numbers that stay another customer's. Numbers are
// unique within the file, so a number whose owner is updated in the file with a phones
// column is released by that row.
std::vector<crm_problem> blocking_check_against_database(
    pqxx::work& tx, const customer_csv_plan& plan, std::map<std::string, customer>& existing) {
  std::vector<crm_problem> problems;
  std::vector<std::string> ids;
  std::vector<std::string> numbers;
  std::map<std::string, const customer_csv_row*> claims;
  for (const auto& row : plan.rows) {
    if (row.id) ids.push_back(*row.id);
    for (const auto& phone : row.input.phones.value_or(std::vector<customer_phone>{})) {
      numbers.push_back(phone.number);
      claims.emplace(phone.number, &row);
    }
  }
  for (const auto& r : tx.exec_prepared(statement_name("csv_existing"), pg::json_array(ids))) {
    auto c = pg::customer_from_row(r);
    existing.emplace(c.id, std::move(c));
  }
  std::set<std::string> releasing;
  for (const auto& row : plan.rows) {
    if (!row.id) continue;
    if (existing.count(*row.id) == 0) {
      problems.push_back({row.line, "id", "no customer has id " + *row.id});
    } else if (plan.has_phones) {
      releasing.insert(*row.id);
    }
  }
  for (const auto& r : tx.exec_prepared(statement_name("csv_owners"), pg::json_array(numbers))) {
    const auto number = r[0].as<std::string>();
    const auto owner = r[1].as<std::string>();
    const customer_csv_row& row = *claims.at(number);
    if ((row.id && *row.id == owner) || releasing.count(owner) > 0) continue;
    std::string message = number + " belongs to customer ";
    message += core::in_quotes(r[2].as<std::string>());
    message += " (" + owner + ")";
    problems.push_back({row.line, "phones", std::move(message)});
  }
  std::sort(problems.begin(), problems.end(),
            [](const crm_problem& a, const crm_problem& b) { return a.line < b.line; });
  return problems;
}

}  // namespace

crm_result<customer_import_counts> blocking_import_customers_csv(pqxx::connection& connection,
                                                                 std::string_view csv_text,
                                                                 std::string_view country_code) {
  auto plan = plan_customer_csv(csv_text, country_code, max_customer_csv_rows);
  if (!plan) return plan.error();
  prepare(connection);
  pqxx::work tx(connection);
  std::map<std::string, customer> existing;
  auto problems = blocking_check_against_database(tx, *plan, existing);
  problems.insert(problems.end(), plan->problems.begin(), plan->problems.end());
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const crm_problem& a, const crm_problem& b) { return a.line < b.line; });
    const std::size_t count = problems.size();
    auto error = invalid_input(std::move(problems));
    error.message = "nothing imported: " + std::to_string(count) +
                    (count == 1 ? " problem" : " problems") + ", the first on line " +
                    std::to_string(error.problems.front().line) + ": " +
                    error.problems.front().message;
    return error;
  }

  std::vector<nlohmann::json> inserts;
  std::vector<nlohmann::json> updates;
  std::vector<std::string> replaced_phone_owners;
  std::vector<nlohmann::json> phones;
  for (const auto& row : plan->rows) {
    const customer c = merged(row, existing);
    (row.id ? updates : inserts).push_back(record_of(c));
    if (!plan->has_phones) continue;
    if (row.id) replaced_phone_owners.push_back(c.id);
    for (std::size_t i = 0; i < c.phones.size(); ++i) {
      phones.push_back({{"number", c.phones[i].number},
                        {"customer_id", c.id},
                        {"label", c.phones[i].label},
                        {"position", i}});
    }
  }
  exec_chunked(tx, statement_name("csv_insert"), inserts);
  exec_chunked(tx, statement_name("csv_update"), updates);
  if (!replaced_phone_owners.empty()) {
    tx.exec_prepared(statement_name("csv_phones_delete"), pg::json_array(replaced_phone_owners));
  }
  if (exec_chunked(tx, statement_name("csv_phones_insert"), phones) != phones.size()) {
    // Another writer took a number after the check; the transaction is rolled back.
    return pg::conflict_error({{0, "phones",
                                "a phone number was just given to another customer; nothing "
                                "imported, try again"}});
  }
  tx.commit();
  return customer_import_counts{inserts.size(), updates.size()};
}

crm_result<std::string> blocking_export_customers_csv(pqxx::connection& connection,
                                                      std::string_view q,
                                                      const customer_visibility& visibility,
                                                      std::string_view country_code) {
  pqxx::read_transaction tx(connection);
  auto found = pg::blocking_find_customers(connection, tx, q, max_customer_csv_rows + 1, 0,
                                           visibility, country_code, false);
  if (found.items.size() > max_customer_csv_rows) {
    return make_crm_error(crm_errc::too_large, "more than " +
                                                   std::to_string(max_customer_csv_rows) +
                                                   " customers match; narrow the search");
  }
  std::string out;
  append_csv_record(out, customer_csv_columns());
  for (const auto& c : found.items) append_csv_record(out, customer_csv_fields(c));
  return out;
}

}  // namespace callcenterd::crm
