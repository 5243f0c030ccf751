#pragma once

#include <cstddef>
#include <pqxx/connection>
#include <string>
#include <string_view>

#include "callcenterd/crm/crm_error.hpp"
#include "callcenterd/crm/customers.hpp"

namespace callcenterd::crm {

// Customers in and out as CSV (RFC 4180, UTF-8), for spreadsheets and migrations from other
// systems. The columns are
//
//   id,name,phones,vip_level,tags,notes,account
//
// phones: numbers separated by ';', each optionally preceded by its label and ':'
// ("mobile:+8613800138000;+861088886666"); tags: separated by ';'; account: the JSON object
// as text. Text that a spreadsheet would run as a formula is written with a leading
// apostrophe, which the import removes again (see neutralise_formula()). Both functions block
// on PostgreSQL: run them inside a db_pool job; libpqxx exceptions escape to the pool.

/// The most rows one import or export handles: bounded work and memory for one request.
inline constexpr std::size_t max_customer_csv_rows = 100'000;

/// What a committed import did.
struct customer_import_counts {
  std::size_t inserted = 0;
  std::size_t updated = 0;
  friend bool operator==(const customer_import_counts&, const customer_import_counts&) = default;
};

/// Imports `csv_text`, all or nothing, in one transaction. The header names the columns, in
/// any order, each at most once; `name` is needed for new customers; an unknown column is
/// refused. A row with an id updates that customer (the columns present replace its fields; an
/// empty cell is an empty value), a row without one inserts a new customer. Every row is
/// checked like an API write (validate_customer_input with `country_code`), ids must exist and
/// appear once, and a number may belong to one customer only, after the import: a number that
/// moves between two customers of the file is fine. When anything is wrong nothing is written
/// and the error is crm_errc::invalid_input with one problem per fault, each with its line
/// (the first line is 1, the header); crm_errc::too_large beyond max_customer_csv_rows rows.
/// Afterwards the caller should reload its customer_directory.
crm_result<customer_import_counts> blocking_import_customers_csv(pqxx::connection& connection,
                                                                 std::string_view csv_text,
                                                                 std::string_view country_code);

/// The customers matching `q` (as blocking_search_customers; empty: all) that `visibility`
/// covers, as CSV with a header line, CRLF line ends. crm_errc::too_large when more than
/// max_customer_csv_rows customers match: narrow the search.
crm_result<std::string> blocking_export_customers_csv(pqxx::connection& connection,
                                                      std::string_view q,
                                                      const customer_visibility& visibility,
                                                      std::string_view country_code);

}  // namespace callcenterd::crm
