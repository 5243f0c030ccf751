#include "secrets.hpp"

#include <cstdlib>

#include "file_text.hpp"

namespace callcenterd::config::detail {

void resolve_password(section_reader& in, database_settings& out) {
  resolve_secret(in, "password_file", out.password_file, out.password_env, out.password);
}

void resolve_secret(section_reader& in, std::string_view file_key,
                    const std::filesystem::path& file, const std::string& env, secret& out) {
  if (!file.empty()) {
    auto text = read_text_file(file);
    if (!text.value) {
      in.fail(file_key,
              "cannot read the password file " + in_quotes(file.string()) + ": " + text.error);
      return;
    }
    std::string& password = *text.value;
    // Editors and `echo` end files with a line break that is not part of the password.
    if (!password.empty() && password.back() == '\n') password.pop_back();
    if (!password.empty() && password.back() == '\r') password.pop_back();
    out = secret(std::move(password));
    return;
  }
  if (env.empty()) return;
  // getenv is not safe against a concurrent setenv; the daemon never calls setenv after start.
  if (const char* value = std::getenv(env.c_str())) out = secret(value);
}

}  // namespace callcenterd::config::detail
