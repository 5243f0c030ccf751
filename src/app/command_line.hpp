#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace callcenterd::app {

/// What the process was asked to do.
struct command_line {
  enum class mode { run, migrate, check_config, version, help };
  mode what = mode::run;
  std::filesystem::path config_path;
};

/// A usage error: the message says what was wrong; main prints it with the usage text.
struct usage_error {
  std::string message;
};

/// Parses argv (without argv[0]). Forms: `--config PATH [--migrate]`, `--check-config PATH`,
/// `--version`, `--help`; `--config=PATH` is accepted too.
std::variant<command_line, usage_error> parse_command_line(const std::vector<std::string>& args);

/// The usage text printed by --help and after a usage error.
std::string usage_text();

}  // namespace callcenterd::app
