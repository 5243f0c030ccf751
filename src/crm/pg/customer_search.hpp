#pragma once

// The customer search the API's search and the CSV export share. Private to the crm library.

#include <cstddef>
#include <pqxx/pqxx>
#include <string_view>
#include <vector>

#include "callcenterd/crm/customers.hpp"

namespace callcenterd::crm::pg {

struct customer_match {
  std::vector<customer> items;
  std::size_t total = 0;  ///< only when counted
};

/// Customers matching `q` (see blocking_search_customers), `limit` from `offset`; counts all
/// matches when `count_all`. Limits are the caller's to check.
customer_match blocking_find_customers(pqxx::connection& connection, pqxx::transaction_base& tx,
                                       std::string_view q, std::size_t limit, std::size_t offset,
                                       const customer_visibility& visibility,
                                       std::string_view country_code, bool count_all);

}  // namespace callcenterd::crm::pg
