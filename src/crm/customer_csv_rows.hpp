#pragma once

// The pure half of the customer CSV import and export: the columns, a customer as fields, and
// a file read into checked rows with every problem by line. Private to the crm library.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"
#include "callcenterd/crm/customers.hpp"

namespace callcenterd::crm {

/// The export's columns, in order.
const std::vector<std::string>& customer_csv_columns();

/// `c` as the export writes it, one field per column.
std::vector<std::string> customer_csv_fields(const customer& c);

/// One data row: where it is, which customer it updates (none: insert), its checked input.
struct customer_csv_row {
  std::size_t line = 0;
  std::optional<std::string> id;
  customer_input input;
};

/// A file read and checked as far as it can be without the database.
struct customer_csv_plan {
  std::vector<customer_csv_row> rows;  ///< the rows without problems
  std::vector<crm_problem> problems;   ///< by line, in file order
  bool has_phones = false;             ///< the phones column is present
};

/// Reads `csv_text`: refuses (as an error) what makes the whole file unusable: bad CSV syntax,
/// too many rows, an empty file, an unknown or repeated column. Problems of single rows (a
/// field breaking a rule, a wrong field count, a repeated id or number) go to `problems`.
crm_result<customer_csv_plan> plan_customer_csv(std::string_view csv_text,
                                                std::string_view country_code,
                                                std::size_t max_rows);

}  // namespace callcenterd::crm
