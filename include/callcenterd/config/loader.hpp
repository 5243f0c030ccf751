#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "callcenterd/config/config_error.hpp"
#include "callcenterd/config/settings.hpp"

namespace callcenterd::config {

/// Either the settings of a valid file or every error found in it, ordered by position.
class load_result {
 public:
  explicit load_result(daemon_settings settings) : value_(std::move(settings)) {}
  explicit load_result(std::vector<config_error> errors) : value_(std::move(errors)) {}

  bool ok() const { return std::holds_alternative<daemon_settings>(value_); }
  explicit operator bool() const { return ok(); }

  /// Only when ok(). On a temporary result the settings are moved out and returned by value,
  /// so `const auto& s = load_file(p).settings();` does not dangle.
  const daemon_settings& settings() const& { return std::get<daemon_settings>(value_); }
  daemon_settings settings() && { return std::get<daemon_settings>(std::move(value_)); }

  /// Empty when ok().
  const std::vector<config_error>& errors() const;

 private:
  std::variant<daemon_settings, std::vector<config_error>> value_;
};

/// Reads and validates a configuration file. Blocking file I/O (the file itself and a
/// database.password_file); reads the environment for database.password_env. Call it from
/// start-up or the signal-handling path, never from a strand that serves calls. Never throws
/// for anything about the file's content: all problems come back as errors in one pass.
load_result load_file(const std::filesystem::path& path);

/// Same as load_file for text already in memory; `file_name` is used in errors and as
/// daemon_settings::source_file. A database.password_file is still read from disk.
load_result load_string(std::string_view text, const std::string& file_name);

}  // namespace callcenterd::config
