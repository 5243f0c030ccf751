#pragma once

// Customers as rows: the select list, reading a row, the search vector, the visibility
// condition and the phone number checks that create, update and import share. Private to the
// crm library.

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "callcenterd/crm/customers.hpp"

namespace callcenterd::crm::pg {

/// The select list of a customer from `customers c` (phones aggregated as JSON), read back by
/// customer_from_row(), which expects these columns first.
extern const char* const customer_columns;
customer customer_from_row(const pqxx::row& row);

/// The texts to tokenise into search_text, in weight order A (name), B (tags), C (notes).
struct customer_terms {
  std::string name;
  std::string tags;
  std::string notes;
};
customer_terms terms_of(const customer& c);

/// SQL for a customer's search_text from three text parameters, $first to $first + 2.
std::string search_vector_sql(int first);

/// A condition on `c.id` for `customer_visibility` in three parameters from $first: everyone
/// (boolean), agent logins (jsonb array), extra customer ids (jsonb array).
std::string visibility_sql(int first);

/// Builds the parameter values visibility_sql() expects.
struct visibility_params {
  bool everyone;
  std::string agents;
  std::string extra_ids;
};
visibility_params params_of(const customer_visibility& v);

/// The phones as the JSON that insert statements read with jsonb_to_recordset.
std::string phones_json(const std::vector<customer_phone>& phones);

/// One problem per number in `phones` that belongs to a customer other than `owner_id`,
/// naming that customer.
std::vector<crm_problem> blocking_phone_conflicts(pqxx::connection& connection,
                                                  pqxx::transaction_base& tx,
                                                  const std::string& owner_id,
                                                  const std::vector<customer_phone>& phones);

/// The conflict error for `problems`.
crm_error conflict_error(std::vector<crm_problem> problems);

}  // namespace callcenterd::crm::pg
