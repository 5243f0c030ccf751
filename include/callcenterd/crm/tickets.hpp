#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"

namespace callcenterd::crm {

// Tickets: work items with a workflow, comments and a history of every change. The pure
// functions (names, workflow, validation) run on any thread. Every blocking_* function runs
// queries on `connection` and must run inside a db_pool job (store::db_pool::async_run), never
// on an I/O thread; bad client input comes back as a crm_error, libpqxx exceptions escape to
// the pool. `actor` is the signed-in user's login: it is written to created_by, comments and
// history.

/// The workflow's states; see may_move().
enum class ticket_status { new_, open, pending, resolved, closed };
enum class ticket_priority { low, normal, high, urgent };

/// "new", "open", ... as stored and shown. Pure.
std::string_view to_string(ticket_status s) noexcept;
/// "low", "normal", "high", "urgent". Pure.
std::string_view to_string(ticket_priority p) noexcept;
/// The status named `text`, or nothing. Pure.
std::optional<ticket_status> parse_ticket_status(std::string_view text) noexcept;
/// The priority named `text`, or nothing. Pure.
std::optional<ticket_priority> parse_ticket_priority(std::string_view text) noexcept;

/// Whether a ticket may go from `from` to `to`:
///   new      -> open, pending, resolved, closed
///   open     -> pending, resolved, closed
///   pending  -> open, resolved, closed
///   resolved -> open (reopened), closed
///   closed   -> nothing: closed is final.
/// Staying in the same status is no move (false). Pure.
bool may_move(ticket_status from, ticket_status to) noexcept;

struct ticket_comment {
  std::int64_t id = 0;
  std::string author;
  std::string body;
  std::chrono::system_clock::time_point created_at;
};

/// One changed field. Values are text as shown to people (times in ISO 8601 UTC); nothing
/// means none. The first row of every ticket has field "created" and the subject as value.
struct ticket_change {
  std::int64_t id = 0;
  std::string actor;
  std::chrono::system_clock::time_point at;
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

struct ticket {
  std::int64_t id = 0;
  std::string subject;
  std::string description;
  ticket_status status = ticket_status::new_;
  ticket_priority priority = ticket_priority::normal;
  std::optional<std::string> customer_id;  ///< UUID
  std::optional<std::string> call_id;      ///< UUID
  std::optional<std::string> assignee;     ///< an agent's login
  std::optional<std::string> team;
  std::optional<std::chrono::system_clock::time_point> due_at;
  std::string created_by;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  std::vector<ticket_comment> comments;  ///< oldest first; only when fetched singly
  std::vector<ticket_change> history;    ///< oldest first; only when fetched singly
};

/// What a client sends to create or change a ticket. A field left empty is left as it is
/// (on create: empty text, priority normal, nothing linked). For the nullable fields the inner
/// optional says what to store: `input.assignee = std::optional<std::string>{}` unassigns,
/// `input.assignee = "ann"` assigns. `status` is for updates only: new tickets start as new.
struct ticket_input {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<ticket_status> status;
  std::optional<ticket_priority> priority;
  std::optional<std::optional<std::string>> customer_id;
  std::optional<std::optional<std::string>> call_id;
  std::optional<std::optional<std::string>> assignee;
  std::optional<std::optional<std::string>> team;
  std::optional<std::optional<std::chrono::system_clock::time_point>> due_at;
};

/// `input` checked and cleaned (text trimmed), or invalid_input listing every problem by
/// field: subject 1..200 characters, description up to 20,000, assignee a login (1..64 of
/// A-Z a-z 0-9 _ . @ -), team 1..64 characters, customer_id and call_id UUIDs, due_at between
/// 2000 and 2200, status only when not `creating`, `creating` requires a subject. Pure.
crm_result<ticket_input> validate_ticket_input(const ticket_input& input, bool creating);

/// Which tickets a user may see and change. Default-constructed: an agent with no login, who
/// sees nothing.
struct ticket_visibility {
  enum class scope { agent, supervisor, admin };
  scope kind = scope::agent;
  std::string login;                   ///< agent, supervisor: their own tickets
  std::vector<std::string> teams;      ///< supervisor: tickets of these teams
  std::vector<std::string> assignees;  ///< supervisor: tickets assigned to these logins

  /// Tickets assigned to or created by `login`.
  static ticket_visibility agent(std::string login) {
    return ticket_visibility{scope::agent, std::move(login), {}, {}};
  }
  /// Their own (as an agent) plus those of `teams` and of `assignees`.
  static ticket_visibility supervisor(std::string login, std::vector<std::string> teams,
                                      std::vector<std::string> assignees) {
    return ticket_visibility{scope::supervisor, std::move(login), std::move(teams),
                             std::move(assignees)};
  }
  /// Every ticket.
  static ticket_visibility admin() { return ticket_visibility{scope::admin, {}, {}, {}}; }
};

/// Creates a ticket in status new with one history row "created". invalid_input as
/// validate_ticket_input(), or when customer_id names no customer.
crm_result<ticket> blocking_create_ticket(pqxx::connection& connection, const ticket_input& input,
                                          std::string_view actor);

/// The ticket with its comments and history; not_found when there is none or `visibility`
/// does not cover it.
crm_result<ticket> blocking_get_ticket(pqxx::connection& connection, std::int64_t id,
                                       const ticket_visibility& visibility);

/// Applies `changes` (see ticket_input) and writes one history row per field that really
/// changed; returns the ticket as blocking_get_ticket. crm_errc::refused_transition, saying
/// which moves are allowed, when may_move() refuses the status change; not_found and
/// invalid_input as for get and create. Nothing is written on refusal.
crm_result<ticket> blocking_update_ticket(pqxx::connection& connection, std::int64_t id,
                                          const ticket_input& changes, std::string_view actor,
                                          const ticket_visibility& visibility);

/// Adds a comment (1..20,000 characters) by `actor`; the ticket becomes findable by its
/// words. not_found as for get; invalid_input for the body.
crm_result<ticket_comment> blocking_add_ticket_comment(pqxx::connection& connection,
                                                       std::int64_t ticket_id,
                                                       std::string_view body,
                                                       std::string_view actor,
                                                       const ticket_visibility& visibility);

/// A ticket list: every given condition must hold.
struct ticket_filter {
  std::vector<ticket_status> statuses;  ///< any of these; empty: any status
  std::optional<std::string> assignee;
  std::optional<std::string> team;
  std::optional<std::string> customer_id;  ///< UUID
  std::string q;  ///< words in subject, description or comments (as customer search)
  std::optional<std::chrono::system_clock::time_point> due_before;
  std::size_t limit = 50;  ///< 1..500
  std::size_t offset = 0;
};

struct ticket_page {
  std::vector<ticket> items;  ///< without comments and history
  std::size_t total = 0;      ///< matches in all pages
};

/// The tickets matching `filter` that `visibility` covers: most urgent first, then the
/// earliest due (no due time last), then by number. invalid_input for a bad limit or a
/// customer_id that is not a UUID.
crm_result<ticket_page> blocking_search_tickets(pqxx::connection& connection,
                                                const ticket_filter& filter,
                                                const ticket_visibility& visibility);

}  // namespace callcenterd::crm
