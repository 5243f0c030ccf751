#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/config/loader.hpp"

namespace callcenterd::config {

/// Either every flow file of a directory, read, or every error found in them.
class flow_load_result {
 public:
  explicit flow_load_result(flow_set_settings flows) : value_(std::move(flows)) {}
  explicit flow_load_result(std::vector<config_error> errors) : value_(std::move(errors)) {}

  bool ok() const { return std::holds_alternative<flow_set_settings>(value_); }
  explicit operator bool() const { return ok(); }
  const flow_set_settings& flows() const& { return std::get<flow_set_settings>(value_); }
  flow_set_settings flows() && { return std::get<flow_set_settings>(std::move(value_)); }
  /// Empty when ok().
  const std::vector<config_error>& errors() const;

 private:
  std::variant<flow_set_settings, std::vector<config_error>> value_;
};

/// Reads every `*.yaml` file of `directory` (not its subdirectories), in name order: their
/// calendars and flows together, each name once across all files. A missing directory is an
/// error; an empty one is an empty set. Blocking file I/O; never throws for file content.
flow_load_result load_flow_directory(const std::filesystem::path& directory);

/// The same for files already in memory: (file name, text) pairs, for tests.
flow_load_result load_flow_texts(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace callcenterd::config
