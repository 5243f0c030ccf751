// Ticket lists: filters, words, visibility, most urgent first.
#include <pqxx/pqxx>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/crm/search_text.hpp"
#include "callcenterd/crm/tickets.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "pg_support.hpp"
#include "ticket_rows.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

constexpr std::size_t max_page = 500;
constexpr std::size_t max_offset = 1'000'000;

// A NULL parameter switches its condition off, so one prepared statement serves every filter.
std::string conditions() {
  return R"sql(
      ($1::jsonb = '[]'::jsonb OR t.status IN (SELECT jsonb_array_elements_text($1::jsonb)))
  AND ($2::text IS NULL OR t.assignee = $2::text)
  AND ($3::text IS NULL OR t.team = $3::text)
  AND ($4::uuid IS NULL OR t.customer_id = $4::uuid)
  AND ($5::text = '' OR t.search @@ to_tsquery('simple', nullif($5::text, '')))
  AND ($6::bigint IS NULL
       OR t.due_at < timestamptz 'epoch' + $6::bigint * interval '1 microsecond')
  AND )sql" +
         pg::ticket_visibility_sql(7);
}

const std::string& page_sql() {
  static const std::string sql =
      std::string("SELECT ") + pg::ticket_columns + " FROM tickets t WHERE " + conditions() +
      " ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2"
      " ELSE 3 END, t.due_at NULLS LAST, t.id LIMIT $11 OFFSET $12";
  return sql;
}

const std::string& count_sql() {
  static const std::string sql = "SELECT count(*) FROM tickets t WHERE " + conditions();
  return sql;
}

}  // namespace

crm_result<ticket_page> blocking_search_tickets(pqxx::connection& connection,
                                                const ticket_filter& filter,
                                                const ticket_visibility& visibility) {
  std::vector<crm_problem> problems;
  if (filter.limit == 0 || filter.limit > max_page) {
    problems.push_back({0, "limit", "limit must be 1 to 500"});
  }
  if (filter.offset > max_offset) {
    problems.push_back({0, "offset", "offset must be at most 1000000"});
  }
  if (filter.customer_id && !core::is_uuid(*filter.customer_id)) {
    problems.push_back({0, "customer_id", "customer_id is not a UUID"});
  }
  if (filter.assignee) check_text(problems, "assignee", *filter.assignee, 64, false);
  if (filter.team) check_text(problems, "team", *filter.team, 64, false);
  if (!problems.empty()) return invalid_input(std::move(problems));

  std::vector<std::string> statuses;
  for (const auto s : filter.statuses) statuses.emplace_back(to_string(s));
  std::optional<std::int64_t> due_before;
  if (filter.due_before) due_before = pg::to_micros(*filter.due_before);
  const auto v = pg::params_of(visibility);
  const std::string terms = tsquery_text(filter.q);

  store::prepare_once(connection, statement_name("ticket_page"), page_sql());
  store::prepare_once(connection, statement_name("ticket_count"), count_sql());
  pqxx::read_transaction tx(connection);
  ticket_page page;
  for (const auto& row : tx.exec_prepared(
           statement_name("ticket_page"), pg::json_array(statuses), filter.assignee, filter.team,
           filter.customer_id, terms, due_before, v.admin, v.login, v.teams, v.assignees,
           static_cast<std::int64_t>(filter.limit), static_cast<std::int64_t>(filter.offset))) {
    page.items.push_back(pg::ticket_from_row(row));
  }
  page.total = tx.exec_prepared1(statement_name("ticket_count"), pg::json_array(statuses),
                                 filter.assignee, filter.team, filter.customer_id, terms,
                                 due_before, v.admin, v.login, v.teams, v.assignees)[0]
                   .as<std::size_t>();
  return page;
}

}  // namespace callcenterd::crm
