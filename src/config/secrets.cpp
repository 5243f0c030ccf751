#include "secrets.hpp"

#include <cstdlib>

#include "file_text.hpp"

namespace callcenterd::config::detail {

void resolve_password(section_reader& in, database_settings& out) {
  if (!out.password_file.empty()) {
    auto text = read_text_file(out.password_file);
    if (!text.value) {
      in.fail("password_file", "cannot read the password file " +
                                   in_quotes(out.password_file.string()) + ": " + text.error);
      return;
    }
    std::string& password = *text.value;
    // Editors and `echo` end files with a line break that is not part of the password.
    if (!password.empty() && password.back() == '\n') password.pop_back();
    if (!password.empty() && password.back() == '\r') password.pop_back();
    out.password = secret(std::move(password));
    return;
  }
  if (out.password_env.empty()) return;
  // getenv is not safe against a concurrent setenv; the daemon never calls setenv after start.
  if (const char* value = std::getenv(out.password_env.c_str())) out.password = secret(value);
}

}  // namespace callcenterd::config::detail
