// Customers in PostgreSQL: create, read, update, delete, with phone numbers kept unique
// across customers without letting a constraint violation reach the client.
#include "callcenterd/crm/customers.hpp"

#include <pqxx/pqxx>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "customer_rows.hpp"
#include "pg_support.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

const std::string& select_sql() {
  static const std::string sql =
      std::string("SELECT ") + pg::customer_columns + " FROM customers c WHERE c.id = $1::uuid";
  return sql;
}

const std::string& select_visible_sql() {
  static const std::string sql = select_sql() + " AND " + pg::visibility_sql(2);
  return sql;
}

constexpr const char* lock_sql = "SELECT 1 FROM customers WHERE id = $1::uuid FOR UPDATE";

// Tags keep their order: WITH ORDINALITY says so instead of trusting the executor.
constexpr const char* tags_sql =
    "ARRAY(SELECT t FROM jsonb_array_elements_text($5::jsonb) WITH ORDINALITY AS e(t, n)"
    " ORDER BY n)";

const std::string& insert_sql() {
  static const std::string sql =
      std::string(
          "INSERT INTO customers (id, name, account, vip_level, tags, notes, search_text)"
          " VALUES ($1::uuid, $2, $3::jsonb, $4, ") +
      tags_sql + ", $6, " + pg::search_vector_sql(7) + ")";
  return sql;
}

const std::string& update_sql() {
  static const std::string sql =
      std::string("UPDATE customers SET name = $2, account = $3::jsonb, vip_level = $4, tags = ") +
      tags_sql + ", notes = $6, search_text = " + pg::search_vector_sql(7) +
      ", updated_at = now() WHERE id = $1::uuid";
  return sql;
}

constexpr const char* delete_phones_sql =
    "DELETE FROM customer_phones WHERE customer_id = $1::uuid";

// DO NOTHING instead of an error: a number that another transaction took since the check shows
// up as a missing row, and the write is refused as a conflict like any other.
constexpr const char* insert_phones_sql = R"sql(
INSERT INTO customer_phones (number, customer_id, label, position)
SELECT r.number, $1::uuid, r.label, r.position
  FROM jsonb_to_recordset($2::jsonb) AS r(number text, label text, position smallint)
ON CONFLICT (number) DO NOTHING
)sql";

constexpr const char* delete_sql = "DELETE FROM customers WHERE id = $1::uuid";

void prepare(pqxx::connection& connection) {
  store::prepare_once(connection, statement_name("customer_get"), select_sql());
  store::prepare_once(connection, statement_name("customer_get_visible"), select_visible_sql());
  store::prepare_once(connection, statement_name("customer_lock"), lock_sql);
  store::prepare_once(connection, statement_name("customer_insert"), insert_sql());
  store::prepare_once(connection, statement_name("customer_update"), update_sql());
  store::prepare_once(connection, statement_name("customer_phones_delete"), delete_phones_sql);
  store::prepare_once(connection, statement_name("customer_phones_insert"), insert_phones_sql);
  store::prepare_once(connection, statement_name("customer_delete"), delete_sql);
}

crm_error not_found(std::string_view id) {
  return make_crm_error(crm_errc::not_found, "no customer " + std::string(id));
}

// Writes `c` (insert or update) and, when `write_phones`, replaces its numbers. Refuses with
// a conflict before writing when a number is another customer's; the caller commits only on
// success.
crm_result<void> blocking_write(pqxx::connection& connection, pqxx::work& tx, const customer& c,
                                bool insert, bool write_phones) {
  if (write_phones) {
    auto conflicts = pg::blocking_phone_conflicts(connection, tx, c.id, c.phones);
    if (!conflicts.empty()) return pg::conflict_error(std::move(conflicts));
  }
  const auto terms = pg::terms_of(c);
  tx.exec_prepared(statement_name(insert ? "customer_insert" : "customer_update"), c.id, c.name,
                   c.account.dump(), c.vip_level, pg::json_array(c.tags), c.notes, terms.name,
                   terms.tags, terms.notes);
  if (!write_phones) return {};
  if (!insert) tx.exec_prepared(statement_name("customer_phones_delete"), c.id);
  const auto inserted =
      tx.exec_prepared(statement_name("customer_phones_insert"), c.id, pg::phones_json(c.phones));
  if (static_cast<std::size_t>(inserted.affected_rows()) != c.phones.size()) {
    return pg::conflict_error({{0, "phones",
                                "a phone number was just given to another customer; "
                                "reload and try again"}});
  }
  return {};
}

customer read_back(pqxx::work& tx, const std::string& id) {
  return pg::customer_from_row(tx.exec_prepared1(statement_name("customer_get"), id));
}

}  // namespace

crm_result<customer> blocking_create_customer(pqxx::connection& connection,
                                              const customer_input& input,
                                              std::string_view country_code) {
  auto valid = validate_customer_input(input, country_code, true);
  if (!valid) return valid.error();
  customer c;
  c.id = core::make_uuid();
  c.name = *valid->name;
  if (valid->phones) c.phones = std::move(*valid->phones);
  if (valid->account) c.account = std::move(*valid->account);
  c.vip_level = valid->vip_level.value_or(0);
  if (valid->tags) c.tags = std::move(*valid->tags);
  if (valid->notes) c.notes = std::move(*valid->notes);

  prepare(connection);
  pqxx::work tx(connection);
  if (auto written = blocking_write(connection, tx, c, true, true); !written) {
    return written.error();
  }
  auto stored = read_back(tx, c.id);
  tx.commit();
  return stored;
}

crm_result<customer> blocking_get_customer(pqxx::connection& connection, std::string_view id,
                                           const customer_visibility& visibility) {
  const std::string key(id);
  if (!core::is_uuid(key)) return not_found(id);
  prepare(connection);
  const auto v = pg::params_of(visibility);
  pqxx::read_transaction tx(connection);
  const auto rows = tx.exec_prepared(statement_name("customer_get_visible"), key, v.everyone,
                                     v.agents, v.extra_ids);
  if (rows.empty()) return not_found(id);
  return pg::customer_from_row(rows[0]);
}

crm_result<customer> blocking_update_customer(pqxx::connection& connection, std::string_view id,
                                              const customer_input& input,
                                              std::string_view country_code) {
  auto valid = validate_customer_input(input, country_code, false);
  if (!valid) return valid.error();
  const std::string key(id);
  if (!core::is_uuid(key)) return not_found(id);

  prepare(connection);
  pqxx::work tx(connection);
  if (tx.exec_prepared(statement_name("customer_lock"), key).empty()) return not_found(id);
  customer c = read_back(tx, key);
  if (valid->name) c.name = *valid->name;
  if (valid->phones) c.phones = *valid->phones;
  if (valid->account) c.account = *valid->account;
  if (valid->vip_level) c.vip_level = *valid->vip_level;
  if (valid->tags) c.tags = *valid->tags;
  if (valid->notes) c.notes = *valid->notes;
  if (auto written = blocking_write(connection, tx, c, false, valid->phones.has_value());
      !written) {
    return written.error();
  }
  auto stored = read_back(tx, key);
  tx.commit();
  return stored;
}

crm_result<void> blocking_delete_customer(pqxx::connection& connection, std::string_view id) {
  const std::string key(id);
  if (!core::is_uuid(key)) return not_found(id);
  prepare(connection);
  pqxx::work tx(connection);
  const auto deleted = tx.exec_prepared(statement_name("customer_delete"), key);
  if (deleted.affected_rows() == 0) return not_found(id);
  tx.commit();
  return {};
}

}  // namespace callcenterd::crm
