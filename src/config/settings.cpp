#include "callcenterd/config/settings.hpp"

#include "enum_names.hpp"

namespace callcenterd::config {

namespace {

// libpq's keyword/value syntax: a value in single quotes may hold anything, provided quotes
// and backslashes inside it are escaped with a backslash. Quoting every value keeps the rule
// uniform, so an empty value or one with spaces needs no special case.
void append_pair(std::string& out, std::string_view keyword, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += keyword;
  out += "='";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

std::string build_conninfo(const database_settings& db, bool redact) {
  std::string out;
  append_pair(out, "host", db.host);
  append_pair(out, "port", std::to_string(db.port));
  append_pair(out, "dbname", db.name);
  append_pair(out, "user", db.user);
  // Without a password key libpq still tries ~/.pgpass and PGPASSWORD, which an empty
  // password= would not be any better at.
  if (!db.password.empty()) append_pair(out, "password", redact ? "***" : db.password.reveal());
  append_pair(out, "sslmode", to_string(db.sslmode));
  // libpq counts whole seconds; rounding down could turn 1500ms into a shorter wait.
  const auto timeout_seconds = (db.connect_timeout.count() + 999) / 1000;
  append_pair(out, "connect_timeout", std::to_string(timeout_seconds));
  append_pair(out, "application_name", "callcenterd");
  return out;
}

}  // namespace

std::string database_settings::conninfo() const { return build_conninfo(*this, false); }

std::string database_settings::conninfo_redacted() const { return build_conninfo(*this, true); }

std::string_view to_string(ssl_mode mode) { return detail::name_of(mode, detail::ssl_mode_names); }

std::string_view to_string(log_level level) {
  return detail::name_of(level, detail::log_level_names);
}

std::string_view to_string(log_format format) {
  return detail::name_of(format, detail::log_format_names);
}

}  // namespace callcenterd::config
