#pragma once

#include "callcenterd/config/settings.hpp"
#include "section_reader.hpp"

namespace callcenterd::config::detail {

/// Fills out.password once the database section's keys are read: from password_file when set
/// (one trailing line break removed; an unreadable file is an error on that key), else from
/// the environment variable named by password_env (absent: empty password, which is right
/// for trust and peer authentication). Neither the password nor any part of it ever appears
/// in an error. Blocking (reads a file).
void resolve_password(section_reader& in, database_settings& out);

/// The same rules for any secret read from a file (`file_key` names its key for errors) or an
/// environment variable. Blocking (reads a file).
void resolve_secret(section_reader& in, std::string_view file_key,
                    const std::filesystem::path& file, const std::string& env, secret& out);

}  // namespace callcenterd::config::detail
