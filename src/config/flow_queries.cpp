// The named queries of flow files: one read-only SELECT each, parameters as $1..$n.
#include <cctype>
#include <set>

#include "flow_sections.hpp"
#include "text_checks.hpp"

namespace callcenterd::config::detail {

namespace {

constexpr std::size_t max_sql_bytes = 4096;
constexpr unsigned max_parameters = 16;

bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
  }
  return text.size() == word.size() || !std::isalnum(static_cast<unsigned char>(text[word.size()]));
}

/// Where a quoted string, quoted name or comment that starts at `i` ends (one past it), or
/// npos when it does not end; `i` itself when nothing of the kind starts there.
std::size_t skip_quoted(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  if (c == '\'' || c == '"') {
    for (std::size_t j = i + 1; j < sql.size(); ++j) {
      if (sql[j] != c) continue;
      if (j + 1 < sql.size() && sql[j + 1] == c) {
        ++j;  // '' or "" stands for the quote itself
        continue;
      }
      return j + 1;
    }
    return std::string_view::npos;
  }
  if (sql.substr(i, 2) == "--") {
    const auto end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (sql.substr(i, 2) == "/*") {
    const auto end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? end : end + 2;
  }
  return i;
}

struct sql_shape {
  std::string problem;
  unsigned parameters = 0;
};

/// The checks a query's text must pass before anything runs it: one SELECT (or WITH)
/// statement, parameters numbered $1..$n without gaps.
sql_shape check_sql(std::string_view sql) {
  if (sql.size() > max_sql_bytes) return {"a query is at most 4096 bytes", 0};
  std::size_t start = 0;
  while (start < sql.size() && std::isspace(static_cast<unsigned char>(sql[start]))) ++start;
  const auto body = sql.substr(start);
  if (!starts_with_word(body, "select") && !starts_with_word(body, "with")) {
    return {"a query is one SELECT (or WITH ... SELECT) statement", 0};
  }
  std::set<unsigned> used;
  for (std::size_t i = 0; i < sql.size();) {
    const auto after = skip_quoted(sql, i);
    if (after == std::string_view::npos) return {"a quote or comment is not closed", 0};
    if (after != i) {
      i = after;
      continue;
    }
    if (sql[i] == ';') {
      // A final semicolon is harmless; anything after one is a second statement.
      const auto rest = sql.substr(i + 1);
      if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) break;
      return {"a query is one statement: nothing may follow ';'", 0};
    }
    if (sql[i] == '$') {
      std::size_t j = i + 1;
      unsigned n = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) && n <= 99) {
        n = n * 10 + static_cast<unsigned>(sql[j] - '0');
        ++j;
      }
      if (j == i + 1 || n == 0) {
        return {"'$' only marks a parameter ($1, $2, ...); dollar quotes are not allowed", 0};
      }
      if (n > max_parameters) return {"a query takes at most 16 parameters", 0};
      used.insert(n);
      i = j;
      continue;
    }
    ++i;
  }
  const unsigned highest = used.empty() ? 0 : *used.rbegin();
  if (used.size() != highest) {
    return {"parameters are numbered $1 to $" + std::to_string(highest) + " without a gap", 0};
  }
  return {{}, highest};
}

}  // namespace

void read_query(section_reader& in, query_settings& out) {
  if (in.required("sql", "a query needs sql: SELECT ... with $1, $2 for its parameters") &&
      in.located_text("sql", out.sql, not_empty)) {
    auto shape = check_sql(out.sql.text);
    if (!shape.problem.empty()) {
      in.fail("sql", std::move(shape.problem));
    } else {
      out.parameters = shape.parameters;
    }
  }
  in.duration("timeout", out.timeout, std::chrono::milliseconds(100), std::chrono::seconds(30));
}

}  // namespace callcenterd::config::detail
