#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"

namespace callcenterd::crm {

// RFC 4180 CSV for customer import and export. All functions here are pure and may run on
// any thread.

/// One record and the line of the file it starts on (1-based; a quoted field may run on over
/// several lines).
struct csv_record {
  std::size_t line = 0;
  std::vector<std::string> fields;
  friend bool operator==(const csv_record&, const csv_record&) = default;
};

/// The records of `text`: fields separated by ',', records by CRLF or LF; a field in double
/// quotes may hold commas, line breaks and doubled quotes (""). A UTF-8 byte order mark at the
/// start is skipped and empty lines are no records. Fields are bytes as written: checking
/// their encoding is the reader's job (customer import does). Refused with
/// crm_errc::invalid_input and the line: an unterminated quoted field (the line it opened on),
/// a character after a closing quote, a quote inside an unquoted field. Refused with
/// crm_errc::too_large as soon as there are more than `max_records` records, so a huge file
/// costs no more than the limit.
crm_result<std::vector<csv_record>> read_csv(std::string_view text, std::size_t max_records);

/// `value` guarded against formula injection: a spreadsheet runs a cell that starts with
/// = + - @ (or a tab or carriage return) as a formula, so such a value gets a leading
/// apostrophe, which spreadsheets hide. A phone number, '+' followed by digits only, is left
/// alone. A value that already starts with apostrophes followed by one of those characters
/// gets one more, so that restore_formula() gives back exactly what was written.
std::string neutralise_formula(std::string_view value);

/// The inverse of neutralise_formula(): drops the apostrophe it added. For reading back
/// files that this writer produced (customer import does it for every text column).
std::string restore_formula(std::string_view value);

/// `value` as one CSV field: neutralised, then in double quotes (inner quotes doubled) when it
/// holds a comma, a quote, a line break, or space at either end.
std::string csv_field(std::string_view value);

/// Appends `fields` as one record ending in CRLF (RFC 4180's line break).
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace callcenterd::crm
