// Tickets in PostgreSQL: create, read, change (workflow enforced, one history row per changed
// field) and comment.
#include "callcenterd/crm/tickets.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "callcenterd/crm/search_text.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "pg_support.hpp"
#include "ticket_rows.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

constexpr std::size_t max_comment_chars = 20'000;

const std::string& select_sql() {
  static const std::string sql =
      std::string("SELECT ") + pg::ticket_columns + " FROM tickets t WHERE t.id = $1";
  return sql;
}

const std::string& select_visible_sql() {
  static const std::string sql = select_sql() + " AND " + pg::ticket_visibility_sql(2);
  return sql;
}

const std::string& lock_visible_sql() {
  static const std::string sql = select_visible_sql() + " FOR UPDATE OF t";
  return sql;
}

constexpr const char* comments_sql = R"sql(
SELECT id, author, body, (extract(epoch FROM created_at) * 1000000)::bigint
  FROM ticket_comments WHERE ticket_id = $1 ORDER BY id
)sql";

constexpr const char* history_sql = R"sql(
SELECT id, actor, (extract(epoch FROM at) * 1000000)::bigint, field, old_value, new_value
  FROM ticket_history WHERE ticket_id = $1 ORDER BY id
)sql";

// KEY SHARE: the customer cannot be deleted under the new link before the commit.
constexpr const char* customer_exists_sql =
    "SELECT 1 FROM customers WHERE id = $1::uuid FOR KEY SHARE";

constexpr const char* insert_sql = R"sql(
INSERT INTO tickets (subject, description, priority, customer_id, call_id, assignee, team,
                     due_at, created_by, search)
VALUES ($1, $2, $3, $4::uuid, $5::uuid, $6, $7,
        timestamptz 'epoch' + $8::bigint * interval '1 microsecond', $9,
        setweight(to_tsvector('simple', $10), 'A') || setweight(to_tsvector('simple', $11), 'B'))
RETURNING id
)sql";

// The comments' words (weight C) stay in the vector when subject or description change.
constexpr const char* update_sql = R"sql(
UPDATE tickets
   SET subject = $2, description = $3, status = $4, priority = $5, customer_id = $6::uuid,
       call_id = $7::uuid, assignee = $8, team = $9,
       due_at = timestamptz 'epoch' + $10::bigint * interval '1 microsecond',
       search = setweight(to_tsvector('simple', $11), 'A')
                || setweight(to_tsvector('simple', $12), 'B') || ts_filter(search, '{c}'),
       updated_at = now()
 WHERE id = $1
)sql";

constexpr const char* history_insert_sql = R"sql(
INSERT INTO ticket_history (ticket_id, actor, field, old_value, new_value)
SELECT $1, $2, r.field, r.old_value, r.new_value
  FROM jsonb_to_recordset($3::jsonb) AS r(n integer, field text, old_value text, new_value text)
 ORDER BY r.n
)sql";

constexpr const char* comment_insert_sql = R"sql(
INSERT INTO ticket_comments (ticket_id, author, body) VALUES ($1, $2, $3)
RETURNING id, (extract(epoch FROM created_at) * 1000000)::bigint
)sql";

constexpr const char* comment_search_sql = R"sql(
UPDATE tickets SET search = search || setweight(to_tsvector('simple', $2), 'C'),
                   updated_at = now()
 WHERE id = $1
)sql";

void prepare(pqxx::connection& connection) {
  store::prepare_once(connection, statement_name("ticket_get"), select_sql());
  store::prepare_once(connection, statement_name("ticket_get_visible"), select_visible_sql());
  store::prepare_once(connection, statement_name("ticket_lock_visible"), lock_visible_sql());
  store::prepare_once(connection, statement_name("ticket_comments"), comments_sql);
  store::prepare_once(connection, statement_name("ticket_history"), history_sql);
  store::prepare_once(connection, statement_name("ticket_customer_exists"), customer_exists_sql);
  store::prepare_once(connection, statement_name("ticket_insert"), insert_sql);
  store::prepare_once(connection, statement_name("ticket_update"), update_sql);
  store::prepare_once(connection, statement_name("ticket_history_insert"), history_insert_sql);
  store::prepare_once(connection, statement_name("ticket_comment_insert"), comment_insert_sql);
  store::prepare_once(connection, statement_name("ticket_comment_search"), comment_search_sql);
}

crm_error not_found(std::int64_t id) {
  return make_crm_error(crm_errc::not_found, "no ticket " + std::to_string(id));
}

std::optional<std::int64_t> micros_of(
    const std::optional<std::chrono::system_clock::time_point>& t) {
  if (!t) return std::nullopt;
  return pg::to_micros(*t);
}

std::optional<std::string> text_of(const std::optional<std::chrono::system_clock::time_point>& t) {
  if (!t) return std::nullopt;
  return pg::utc_text(*t);
}

// A change of a field for the history: both values, or nothing when they are equal.
struct field_change {
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

void compare(std::vector<field_change>& out, const char* field,
             const std::optional<std::string>& before, const std::optional<std::string>& after) {
  if (before != after) out.push_back({field, before, after});
}

std::vector<field_change> changes_between(const ticket& before, const ticket& after) {
  std::vector<field_change> out;
  const auto text = [](auto value) { return std::optional<std::string>(std::string(value)); };
  compare(out, "status", text(to_string(before.status)), text(to_string(after.status)));
  compare(out, "priority", text(to_string(before.priority)), text(to_string(after.priority)));
  compare(out, "assignee", before.assignee, after.assignee);
  compare(out, "team", before.team, after.team);
  compare(out, "due_at", text_of(before.due_at), text_of(after.due_at));
  compare(out, "subject", before.subject, after.subject);
  compare(out, "description", before.description, after.description);
  compare(out, "customer_id", before.customer_id, after.customer_id);
  compare(out, "call_id", before.call_id, after.call_id);
  return out;
}

std::string history_json(const std::vector<field_change>& changes) {
  auto out = nlohmann::json::array();
  for (const auto& c : changes) {
    // The row's place in the list: history rows keep the order of this list.
    out.push_back({{"n", out.size()},
                   {"field", c.field},
                   {"old_value", c.old_value ? nlohmann::json(*c.old_value) : nlohmann::json()},
                   {"new_value", c.new_value ? nlohmann::json(*c.new_value) : nlohmann::json()}});
  }
  return out.dump();
}

std::string allowed_moves(ticket_status from) {
  std::string out;
  for (const auto to : {ticket_status::new_, ticket_status::open, ticket_status::pending,
                        ticket_status::resolved, ticket_status::closed}) {
    if (!may_move(from, to)) continue;
    if (!out.empty()) out += ", ";
    out += to_string(to);
  }
  return out;
}

crm_error refused(ticket_status from, ticket_status to) {
  const std::string allowed = allowed_moves(from);
  std::string message =
      "a " + std::string(to_string(from)) + " ticket cannot become " + std::string(to_string(to)) +
      (allowed.empty() ? std::string("; closed is final") : "; it can become " + allowed);
  return make_crm_error(crm_errc::refused_transition, message, {{0, "status", message}});
}

// Problems with the link to a customer that does not exist (or was just deleted).
std::vector<crm_problem> blocking_check_customer(pqxx::work& tx,
                                                 const std::optional<std::string>& customer_id) {
  if (!customer_id) return {};
  if (!tx.exec_prepared(statement_name("ticket_customer_exists"), *customer_id).empty()) {
    return {};
  }
  return {{0, "customer_id", "no customer has id " + *customer_id}};
}

crm_error bad_actor() {
  return make_crm_error(crm_errc::invalid_input, "the user making the change is unknown",
                        {{0, "actor", "the user making the change is unknown"}});
}

ticket blocking_read_full(pqxx::transaction_base& tx, const pqxx::row& row) {
  ticket t = pg::ticket_from_row(row);
  for (const auto& r : tx.exec_prepared(statement_name("ticket_comments"), t.id)) {
    t.comments.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                          pg::from_micros(r[3].as<std::int64_t>())});
  }
  for (const auto& r : tx.exec_prepared(statement_name("ticket_history"), t.id)) {
    t.history.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(),
                         pg::from_micros(r[2].as<std::int64_t>()), r[3].as<std::string>(),
                         pg::optional_text(r[4]), pg::optional_text(r[5])});
  }
  return t;
}

}  // namespace

crm_result<ticket> blocking_create_ticket(pqxx::connection& connection, const ticket_input& input,
                                          std::string_view actor) {
  if (actor.empty()) return bad_actor();
  auto valid = validate_ticket_input(input, true);
  if (!valid) return valid.error();
  ticket t;
  t.subject = *valid->subject;
  t.description = valid->description.value_or("");
  t.priority = valid->priority.value_or(ticket_priority::normal);
  t.customer_id = valid->customer_id.value_or(std::nullopt);
  t.call_id = valid->call_id.value_or(std::nullopt);
  t.assignee = valid->assignee.value_or(std::nullopt);
  t.team = valid->team.value_or(std::nullopt);
  t.due_at = valid->due_at.value_or(std::nullopt);

  prepare(connection);
  pqxx::work tx(connection);
  if (auto problems = blocking_check_customer(tx, t.customer_id); !problems.empty()) {
    return invalid_input(std::move(problems));
  }
  const std::string actor_login(actor);
  const auto id = tx.exec_prepared1(statement_name("ticket_insert"), t.subject, t.description,
                                    std::string(to_string(t.priority)), t.customer_id, t.call_id,
                                    t.assignee, t.team, micros_of(t.due_at), actor_login,
                                    index_terms(t.subject), index_terms(t.description))[0]
                      .as<std::int64_t>();
  tx.exec_prepared(statement_name("ticket_history_insert"), id, actor_login,
                   history_json({{"created", std::nullopt, t.subject}}));
  auto stored = blocking_read_full(tx, tx.exec_prepared1(statement_name("ticket_get"), id));
  tx.commit();
  return stored;
}

crm_result<ticket> blocking_get_ticket(pqxx::connection& connection, std::int64_t id,
                                       const ticket_visibility& visibility) {
  prepare(connection);
  const auto v = pg::params_of(visibility);
  pqxx::read_transaction tx(connection);
  const auto rows = tx.exec_prepared(statement_name("ticket_get_visible"), id, v.admin, v.login,
                                     v.teams, v.assignees);
  if (rows.empty()) return not_found(id);
  return blocking_read_full(tx, rows[0]);
}

crm_result<ticket> blocking_update_ticket(pqxx::connection& connection, std::int64_t id,
                                          const ticket_input& changes, std::string_view actor,
                                          const ticket_visibility& visibility) {
  if (actor.empty()) return bad_actor();
  auto valid = validate_ticket_input(changes, false);
  if (!valid) return valid.error();

  prepare(connection);
  const auto v = pg::params_of(visibility);
  pqxx::work tx(connection);
  const auto rows = tx.exec_prepared(statement_name("ticket_lock_visible"), id, v.admin, v.login,
                                     v.teams, v.assignees);
  if (rows.empty()) return not_found(id);
  const ticket before = pg::ticket_from_row(rows[0]);
  ticket after = before;
  if (valid->status && *valid->status != before.status) {
    if (!may_move(before.status, *valid->status)) return refused(before.status, *valid->status);
    after.status = *valid->status;
  }
  if (valid->subject) after.subject = *valid->subject;
  if (valid->description) after.description = *valid->description;
  if (valid->priority) after.priority = *valid->priority;
  if (valid->customer_id) after.customer_id = *valid->customer_id;
  if (valid->call_id) after.call_id = *valid->call_id;
  if (valid->assignee) after.assignee = *valid->assignee;
  if (valid->team) after.team = *valid->team;
  if (valid->due_at) after.due_at = *valid->due_at;

  const auto changed = changes_between(before, after);
  if (!changed.empty()) {
    if (after.customer_id != before.customer_id) {
      if (auto problems = blocking_check_customer(tx, after.customer_id); !problems.empty()) {
        return invalid_input(std::move(problems));
      }
    }
    tx.exec_prepared(statement_name("ticket_update"), id, after.subject, after.description,
                     std::string(to_string(after.status)), std::string(to_string(after.priority)),
                     after.customer_id, after.call_id, after.assignee, after.team,
                     micros_of(after.due_at), index_terms(after.subject),
                     index_terms(after.description));
    tx.exec_prepared(statement_name("ticket_history_insert"), id, std::string(actor),
                     history_json(changed));
  }
  auto stored = blocking_read_full(tx, tx.exec_prepared1(statement_name("ticket_get"), id));
  tx.commit();
  return stored;
}

crm_result<ticket_comment> blocking_add_ticket_comment(pqxx::connection& connection,
                                                       std::int64_t ticket_id,
                                                       std::string_view body,
                                                       std::string_view actor,
                                                       const ticket_visibility& visibility) {
  if (actor.empty()) return bad_actor();
  std::vector<crm_problem> problems;
  if (utf8::trim(body).empty()) {
    problems.push_back({0, "body", "body may not be empty"});
  } else {
    check_text(problems, "body", body, max_comment_chars, true);
  }
  if (!problems.empty()) return invalid_input(std::move(problems));

  prepare(connection);
  const auto v = pg::params_of(visibility);
  pqxx::work tx(connection);
  if (tx.exec_prepared(statement_name("ticket_lock_visible"), ticket_id, v.admin, v.login, v.teams,
                       v.assignees)
          .empty()) {
    return not_found(ticket_id);
  }
  const std::string text(body);
  const auto row = tx.exec_prepared1(statement_name("ticket_comment_insert"), ticket_id,
                                     std::string(actor), text);
  tx.exec_prepared(statement_name("ticket_comment_search"), ticket_id, index_terms(text));
  ticket_comment comment{row[0].as<std::int64_t>(), std::string(actor), text,
                         pg::from_micros(row[1].as<std::int64_t>())};
  tx.commit();
  return comment;
}

}  // namespace callcenterd::crm
