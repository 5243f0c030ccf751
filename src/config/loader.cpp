#include "callcenterd/config/loader.hpp"

#include "file_text.hpp"
#include "section_reader.hpp"
#include "sections.hpp"
#include "yaml_document.hpp"

namespace callcenterd::config {

std::string config_error::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += reason;
  return out;
}

const std::vector<config_error>& load_result::errors() const {
  static const std::vector<config_error> none;
  const auto* errors = std::get_if<std::vector<config_error>>(&value_);
  return errors != nullptr ? *errors : none;
}

load_result load_file(const std::filesystem::path& path) {
  auto text = detail::read_text_file(path);
  if (!text.value) {
    detail::error_list errors(path.string());
    errors.add_file_error("cannot read the configuration file: " + text.error);
    return load_result(errors.take_sorted());
  }
  return load_string(*text.value, path.string());
}

load_result load_string(std::string_view text, const std::string& file_name) {
  detail::error_list errors(file_name);
  daemon_settings settings;
  settings.source_file = file_name;
  // No document at all (an empty file, only comments) reads as an empty mapping: defaults.
  detail::read_yaml_file(text, errors, [&](detail::section_reader& root) {
    detail::read_daemon_settings(root, settings);
  });
  if (!errors.empty()) return load_result(errors.take_sorted());
  return load_result(std::move(settings));
}

}  // namespace callcenterd::config
