// Ticket rows: the select list, reading a row, and who may see a ticket.
#include "ticket_rows.hpp"

#include "pg_support.hpp"

namespace callcenterd::crm::pg {

const char* const ticket_columns = R"sql(
t.id, t.subject, t.description, t.status, t.priority, t.customer_id::text, t.call_id::text,
t.assignee, t.team, (extract(epoch FROM t.due_at) * 1000000)::bigint, t.created_by,
(extract(epoch FROM t.created_at) * 1000000)::bigint,
(extract(epoch FROM t.updated_at) * 1000000)::bigint
)sql";

ticket ticket_from_row(const pqxx::row& row) {
  ticket t;
  t.id = row[0].as<std::int64_t>();
  t.subject = row[1].as<std::string>();
  t.description = row[2].as<std::string>();
  // The table's CHECK constraints admit only known names.
  t.status = parse_ticket_status(row[3].as<std::string>()).value_or(ticket_status::new_);
  t.priority = parse_ticket_priority(row[4].as<std::string>()).value_or(ticket_priority::normal);
  t.customer_id = optional_text(row[5]);
  t.call_id = optional_text(row[6]);
  t.assignee = optional_text(row[7]);
  t.team = optional_text(row[8]);
  if (!row[9].is_null()) t.due_at = from_micros(row[9].as<std::int64_t>());
  t.created_by = row[10].as<std::string>();
  t.created_at = from_micros(row[11].as<std::int64_t>());
  t.updated_at = from_micros(row[12].as<std::int64_t>());
  return t;
}

std::string ticket_visibility_sql(int first) {
  const auto p = [first](int i) { return "$" + std::to_string(first + i); };
  return "(" + p(0) + "::boolean OR t.assignee = " + p(1) + "::text OR t.created_by = " + p(1) +
         "::text OR t.team IN (SELECT jsonb_array_elements_text(" + p(2) +
         "::jsonb)) OR t.assignee IN (SELECT jsonb_array_elements_text(" + p(3) + "::jsonb)))";
}

ticket_visibility_params params_of(const ticket_visibility& v) {
  using scope = ticket_visibility::scope;
  ticket_visibility_params out{v.kind == scope::admin, std::nullopt, "[]", "[]"};
  // An empty login is nobody: NULL matches no row, where '' could match a careless one.
  if (!v.login.empty()) out.login = v.login;
  if (v.kind == scope::supervisor) {
    out.teams = json_array(v.teams);
    out.assignees = json_array(v.assignees);
  }
  return out;
}

}  // namespace callcenterd::crm::pg
