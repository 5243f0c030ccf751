// Finding customers (by words or by number, within what the caller may see) and listing the
// calls the center had with one.
#include "customer_search.hpp"

#include <pqxx/pqxx>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/crm/customers.hpp"
#include "callcenterd/crm/phone_number.hpp"
#include "callcenterd/crm/search_text.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "customer_rows.hpp"
#include "pg_support.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

constexpr std::size_t max_page = 500;
// Deep pages are no use to a person and a huge offset would not fit PostgreSQL's bigint.
constexpr std::size_t max_offset = 1'000'000;
// Digits typed to find a number by its end (agents read out the last four).
constexpr std::size_t min_contained_digits = 4;

// $1 tsquery text ('' for none); visibility in $2..$4.
std::string words_condition() {
  return "($1 = '' OR c.search_text @@ to_tsquery('simple', nullif($1, ''))) AND " +
         pg::visibility_sql(2);
}

// $1 E.164 prefix, $2 digits to find anywhere ('' for none); visibility in $3..$5.
std::string number_condition() {
  return "c.id IN (SELECT p.customer_id FROM customer_phones p WHERE p.number LIKE $1 || '%'"
         " OR ($2 <> '' AND p.number LIKE '%' || $2 || '%')) AND " +
         pg::visibility_sql(3);
}

const std::string& words_page_sql() {
  static const std::string sql =
      std::string("SELECT ") + pg::customer_columns + " FROM customers c WHERE " +
      words_condition() +
      " ORDER BY ts_rank(c.search_text, to_tsquery('simple', nullif($1, ''))) DESC NULLS LAST,"
      " c.name, c.id LIMIT $5 OFFSET $6";
  return sql;
}

const std::string& words_count_sql() {
  static const std::string sql = "SELECT count(*) FROM customers c WHERE " + words_condition();
  return sql;
}

const std::string& number_page_sql() {
  static const std::string sql = std::string("SELECT ") + pg::customer_columns +
                                 " FROM customers c WHERE " + number_condition() +
                                 " ORDER BY c.name, c.id LIMIT $6 OFFSET $7";
  return sql;
}

const std::string& number_count_sql() {
  static const std::string sql = "SELECT count(*) FROM customers c WHERE " + number_condition();
  return sql;
}

constexpr const char* history_sql = R"sql(
SELECT r.call_id::text, (extract(epoch FROM r.started_at) * 1000000)::bigint,
       r.callback_of IS NOT NULL, r.dialed, r.caller, r.queue, r.agent, r.disposition,
       r.talk_ms, r.wait_ms, g.call_uuid::text, coalesce(g.status = 'completed', false)
  FROM call_records r LEFT JOIN recordings g ON g.call_uuid = r.call_id
 WHERE r.customer_id = $1::uuid
 ORDER BY r.started_at DESC, r.call_id
 LIMIT $2
)sql";

crm_error bad_limit() {
  return make_crm_error(crm_errc::invalid_input, "limit must be 1 to 500",
                        {{0, "limit", "limit must be 1 to 500"}});
}

}  // namespace

namespace pg {

customer_match blocking_find_customers(pqxx::connection& connection, pqxx::transaction_base& tx,
                                       std::string_view q, std::size_t limit, std::size_t offset,
                                       const customer_visibility& visibility,
                                       std::string_view country_code, bool count_all) {
  const auto v = params_of(visibility);
  const auto page_limit = static_cast<std::int64_t>(limit);
  const auto page_offset = static_cast<std::int64_t>(offset);
  customer_match out;
  pqxx::result rows;
  if (const auto prefix = e164_prefix(q, country_code)) {
    store::prepare_once(connection, statement_name("customer_number_page"), number_page_sql());
    store::prepare_once(connection, statement_name("customer_number_count"), number_count_sql());
    std::string digits;
    for (const char c : q) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    if (digits.size() < min_contained_digits) digits.clear();
    rows = tx.exec_prepared(statement_name("customer_number_page"), *prefix, digits, v.everyone,
                            v.agents, v.extra_ids, page_limit, page_offset);
    if (count_all) {
      out.total = tx.exec_prepared1(statement_name("customer_number_count"), *prefix, digits,
                                    v.everyone, v.agents, v.extra_ids)[0]
                      .as<std::size_t>();
    }
  } else {
    store::prepare_once(connection, statement_name("customer_words_page"), words_page_sql());
    store::prepare_once(connection, statement_name("customer_words_count"), words_count_sql());
    const std::string terms = tsquery_text(q);
    rows = tx.exec_prepared(statement_name("customer_words_page"), terms, v.everyone, v.agents,
                            v.extra_ids, page_limit, page_offset);
    if (count_all) {
      out.total = tx.exec_prepared1(statement_name("customer_words_count"), terms, v.everyone,
                                    v.agents, v.extra_ids)[0]
                      .as<std::size_t>();
    }
  }
  out.items.reserve(rows.size());
  for (const auto& row : rows) out.items.push_back(customer_from_row(row));
  return out;
}

}  // namespace pg

crm_result<customer_page> blocking_search_customers(pqxx::connection& connection,
                                                    const customer_query& query,
                                                    const customer_visibility& visibility,
                                                    std::string_view country_code) {
  if (query.limit == 0 || query.limit > max_page) return bad_limit();
  if (query.offset > max_offset) {
    return make_crm_error(crm_errc::invalid_input, "offset must be at most 1000000",
                          {{0, "offset", "offset must be at most 1000000"}});
  }
  pqxx::read_transaction tx(connection);
  auto found = pg::blocking_find_customers(connection, tx, query.q, query.limit, query.offset,
                                           visibility, country_code, true);
  return customer_page{std::move(found.items), found.total};
}

crm_result<std::vector<contact_record>> blocking_contact_history(pqxx::connection& connection,
                                                                 std::string_view customer_id,
                                                                 std::size_t limit) {
  if (limit == 0 || limit > max_page) return bad_limit();
  const std::string key(customer_id);
  if (!core::is_uuid(key)) return std::vector<contact_record>{};
  store::prepare_once(connection, statement_name("customer_history"), history_sql);
  pqxx::read_transaction tx(connection);
  std::vector<contact_record> out;
  for (const auto& row : tx.exec_prepared(statement_name("customer_history"), key,
                                          static_cast<std::int64_t>(limit))) {
    contact_record r;
    r.call_id = row[0].as<std::string>();
    r.started_at = pg::from_micros(row[1].as<std::int64_t>());
    r.direction = row[2].as<bool>() ? "outbound" : "inbound";
    r.dialed = row[3].as<std::string>();
    r.caller = row[4].as<std::string>();
    r.queue = pg::optional_text(row[5]);
    r.agent = pg::optional_text(row[6]);
    r.disposition = row[7].as<std::string>();
    r.talk_ms = row[8].as<std::int64_t>();
    if (!row[9].is_null()) r.wait_ms = row[9].as<std::int64_t>();
    r.recording_id = pg::optional_text(row[10]);
    r.recording_completed = row[11].as<bool>();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace callcenterd::crm
