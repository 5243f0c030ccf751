#pragma once

// Tickets as rows: the select list, reading a row, and the visibility condition, shared by
// the ticket functions and the ticket search. Private to the crm library.

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "callcenterd/crm/tickets.hpp"

namespace callcenterd::crm::pg {

/// The select list of a ticket from `tickets t`, read back by ticket_from_row().
extern const char* const ticket_columns;
ticket ticket_from_row(const pqxx::row& row);

/// A condition on `t` for `ticket_visibility` in four parameters from $first: admin
/// (boolean), the user's login (text, NULL for none), teams and assignees (jsonb arrays).
std::string ticket_visibility_sql(int first);

struct ticket_visibility_params {
  bool admin;
  std::optional<std::string> login;
  std::string teams;
  std::string assignees;
};
ticket_visibility_params params_of(const ticket_visibility& v);

}  // namespace callcenterd::crm::pg
