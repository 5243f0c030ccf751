// Customer CSV rows without the database: the column layout the export writes, and an import
// file read into checked rows with every problem reported by line.
#include "customer_csv_rows.hpp"

#include <algorithm>
#include <map>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/core/wording.hpp"
#include "callcenterd/crm/csv.hpp"
#include "utf8.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

std::vector<std::string> split_list(std::string_view cell) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t end = cell.find(';');
    const std::string_view item = utf8::trim(cell.substr(0, end));
    if (!item.empty()) out.emplace_back(item);
    if (end == std::string_view::npos) break;
    cell.remove_prefix(end + 1);
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

// Column name to its index in the header; problems for unknown and repeated names.
crm_result<std::map<std::string, std::size_t>> read_header(const csv_record& header) {
  const auto& known = customer_csv_columns();
  std::map<std::string, std::size_t> columns;
  std::vector<crm_problem> problems;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = ascii_lower(utf8::trim(header.fields[i]));
    const bool printable = utf8::valid(name);
    const std::string shown = printable ? core::in_quotes(name) : "column " + std::to_string(i + 1);
    const std::string field = printable ? name : std::string("?");
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string message = "unknown column " + shown +
                            " (the columns are id, name, phones, "
                            "vip_level, tags, notes, account)";
      problems.push_back({header.line, field, std::move(message)});
    } else if (!columns.emplace(name, i).second) {
      problems.push_back({header.line, field, "column " + shown + " appears twice"});
    }
  }
  if (!problems.empty()) {
    auto error = invalid_input(std::move(problems));
    error.message = "line 1: " + error.message;
    return error;
  }
  return columns;
}

std::vector<customer_phone> parse_phones(std::string_view cell) {
  std::vector<customer_phone> phones;
  for (const auto& entry : split_list(cell)) {
    const std::size_t colon = entry.find(':');
    if (colon == std::string::npos) {
      phones.push_back({entry, ""});
    } else {
      phones.push_back({std::string(utf8::trim(std::string_view(entry).substr(colon + 1))),
                        std::string(utf8::trim(std::string_view(entry).substr(0, colon)))});
    }
  }
  return phones;
}

// The row's input from its cells; problems for cells that are not even the right type.
customer_input input_of(const std::map<std::string, std::size_t>& columns,
                        const std::vector<std::string>& cells, std::size_t line,
                        std::vector<crm_problem>& problems) {
  customer_input in;
  const auto cell = [&](const char* name) -> std::optional<std::string> {
    const auto found = columns.find(name);
    if (found == columns.end()) return std::nullopt;
    return restore_formula(cells[found->second]);
  };
  if (auto name = cell("name")) in.name = std::move(*name);
  if (auto phones = cell("phones")) in.phones = parse_phones(*phones);
  if (auto tags = cell("tags")) in.tags = split_list(*tags);
  if (auto notes = cell("notes")) in.notes = std::move(*notes);
  if (auto vip = cell("vip_level")) {
    const std::string_view digits = utf8::trim(*vip);
    if (digits.empty()) {
      in.vip_level = 0;
    } else if (digits.size() == 1 && digits[0] >= '0' && digits[0] <= '9') {
      in.vip_level = digits[0] - '0';
    } else {
      problems.push_back({line, "vip_level", "vip_level must be a whole number 0 to 5"});
    }
  }
  if (auto account = cell("account")) {
    if (utf8::trim(*account).empty()) {
      in.account = nlohmann::json::object();
    } else {
      auto parsed = nlohmann::json::parse(*account, nullptr, false);
      if (parsed.is_discarded()) {
        problems.push_back({line, "account", "account is not valid JSON"});
      } else {
        in.account = std::move(parsed);
      }
    }
  }
  return in;
}

}  // namespace

const std::vector<std::string>& customer_csv_columns() {
  static const std::vector<std::string> columns = {"id",   "name",  "phones", "vip_level",
                                                   "tags", "notes", "account"};
  return columns;
}

std::vector<std::string> customer_csv_fields(const customer& c) {
  std::string phones;
  for (const auto& phone : c.phones) {
    if (!phones.empty()) phones += ";";
    if (!phone.label.empty()) phones += phone.label + ":";
    phones += phone.number;
  }
  std::string tags;
  for (const auto& tag : c.tags) {
    if (!tags.empty()) tags += ";";
    tags += tag;
  }
  return {c.id, c.name, phones, std::to_string(c.vip_level), tags, c.notes, c.account.dump()};
}

crm_result<customer_csv_plan> plan_customer_csv(std::string_view csv_text,
                                                std::string_view country_code,
                                                std::size_t max_rows) {
  auto records = read_csv(csv_text, max_rows + 1);
  if (!records) {
    if (records.error().code == crm_errc::too_large) {
      return make_crm_error(crm_errc::too_large, "the file has more than " +
                                                     std::to_string(max_rows) +
                                                     " rows; split it into smaller files");
    }
    return records.error();
  }
  if (records->empty()) {
    return make_crm_error(crm_errc::invalid_input,
                          "the file is empty: the first line must name the columns",
                          {{1, "", "the file is empty"}});
  }
  auto columns = read_header(records->front());
  if (!columns) return columns.error();

  customer_csv_plan plan;
  plan.has_phones = columns->count("phones") > 0;
  std::map<std::string, std::size_t> id_lines;
  std::map<std::string, std::size_t> number_lines;
  const std::size_t width = records->front().fields.size();
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& record = (*records)[r];
    const std::size_t before = plan.problems.size();
    if (record.fields.size() != width) {
      plan.problems.push_back({record.line, "",
                               "the row has " + std::to_string(record.fields.size()) +
                                   " fields, the header " + std::to_string(width)});
      continue;
    }
    customer_csv_row row;
    row.line = record.line;
    if (const auto found = columns->find("id"); found != columns->end()) {
      const std::string id(utf8::trim(record.fields[found->second]));
      if (!id.empty()) {
        if (!core::is_uuid(id)) {
          plan.problems.push_back({record.line, "id", "id is not a UUID"});
        } else if (auto [at, fresh] = id_lines.emplace(id, record.line); !fresh) {
          plan.problems.push_back(
              {record.line, "id", "id " + id + " is also on line " + std::to_string(at->second)});
        } else {
          row.id = id;
        }
      }
    }
    auto input = input_of(*columns, record.fields, record.line, plan.problems);
    auto valid = validate_customer_input(input, country_code, !row.id.has_value());
    if (!valid) {
      for (auto problem : valid.error().problems) {
        problem.line = record.line;
        plan.problems.push_back(std::move(problem));
      }
    } else {
      row.input = std::move(*valid);
      for (const auto& phone : row.input.phones.value_or(std::vector<customer_phone>{})) {
        const auto [at, fresh] = number_lines.emplace(phone.number, record.line);
        if (!fresh) {
          plan.problems.push_back(
              {record.line, "phones",
               phone.number + " is also on line " + std::to_string(at->second)});
        }
      }
    }
    if (plan.problems.size() == before) plan.rows.push_back(std::move(row));
  }
  return plan;
}

}  // namespace callcenterd::crm
