// RFC 4180 CSV reading (with line numbers for errors) and writing (with spreadsheet formula
// injection neutralised) for the customer import and export.
#include "callcenterd/crm/csv.hpp"

#include <algorithm>

namespace callcenterd::crm {
namespace {

bool starts_formula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

bool is_phone_number(std::string_view value) {
  return value.size() > 1 && value[0] == '+' &&
         std::all_of(value.begin() + 1, value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Apostrophes then a formula character: the shape that neutralise_formula() prefixes and
// restore_formula() strips.
bool quoted_formula(std::string_view value) {
  const std::size_t quotes = value.find_first_not_of('\'');
  return quotes != std::string_view::npos && quotes > 0 && starts_formula(value[quotes]);
}

crm_error syntax_error(std::size_t line, std::string message) {
  std::string summary = "line " + std::to_string(line) + ": " + message;
  return make_crm_error(crm_errc::invalid_input, std::move(summary),
                        {crm_problem{line, "", std::move(message)}});
}

}  // namespace

crm_result<std::vector<csv_record>> read_csv(std::string_view text, std::size_t max_records) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<csv_record> records;
  std::size_t line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // An empty line is no record.
    if (text[pos] == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (text.substr(pos, 2) == "\r\n") {
      ++line;
      pos += 2;
      continue;
    }
    if (records.size() == max_records) {
      return make_crm_error(crm_errc::too_large,
                            "more than " + std::to_string(max_records) + " records");
    }
    csv_record record;
    record.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      if (pos < text.size() && text[pos] == '"') {
        const std::size_t opened = line;
        ++pos;
        while (true) {
          if (pos >= text.size()) {
            return syntax_error(opened, "quoted field is not closed (it opens on line " +
                                            std::to_string(opened) + ")");
          }
          const char c = text[pos++];
          if (c == '"') {
            if (pos < text.size() && text[pos] == '"') {
              field.push_back('"');
              ++pos;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
        }
        const bool at_end = pos >= text.size() || text[pos] == ',' || text[pos] == '\n' ||
                            text.substr(pos, 2) == "\r\n";
        if (!at_end) return syntax_error(line, "unexpected character after a closing quote");
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n' &&
               text.substr(pos, 2) != "\r\n") {
          if (text[pos] == '"') {
            return syntax_error(line,
                                "a quote inside an unquoted field (quote the field and "
                                "double the quote)");
          }
          field.push_back(text[pos++]);
        }
      }
      record.fields.push_back(std::move(field));
      field.clear();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      record_done = true;
      if (pos < text.size()) {
        pos += text[pos] == '\n' ? 1 : 2;
        ++line;
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string neutralise_formula(std::string_view value) {
  if (value.empty() || is_phone_number(value)) return std::string(value);
  if (starts_formula(value[0]) || quoted_formula(value)) return "'" + std::string(value);
  return std::string(value);
}

std::string restore_formula(std::string_view value) {
  if (quoted_formula(value)) value.remove_prefix(1);
  return std::string(value);
}

std::string csv_field(std::string_view value) {
  std::string safe = neutralise_formula(value);
  const bool needs_quotes = safe.find_first_of(",\"\r\n") != std::string::npos ||
                            (!safe.empty() && (safe.front() == ' ' || safe.back() == ' '));
  if (!needs_quotes) return safe;
  std::string out = "\"";
  for (const char c : safe) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += csv_field(fields[i]);
  }
  out += "\r\n";
}

}  // namespace callcenterd::crm
