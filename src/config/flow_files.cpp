// Flow files: a directory of YAML files read as one set.

#include <algorithm>
#include <map>
#include <system_error>

#include "callcenterd/config/flow_loader.hpp"
#include "file_text.hpp"
#include "flow_sections.hpp"
#include "text_checks.hpp"
#include "yaml_document.hpp"

namespace callcenterd::config {

namespace detail {

namespace {

/// An error for each of `items` (flows, calendars, queries) whose name an earlier one took, with
/// where the first one is: names are one namespace per kind across the whole set.
template <class Items>
void check_unique_names(const Items& items, std::string_view what,
                        std::vector<config_error>& errors) {
  std::map<std::string, const flow_text*> first;
  for (const auto& item : items) {
    const auto [it, added] = first.emplace(item.name, &item.at);
    if (added) continue;
    errors.push_back(item.at.problem("the " + std::string(what) + " " + in_quotes(item.name) +
                                     " is defined twice (first in " + it->second->file + ":" +
                                     std::to_string(it->second->line) + ")"));
  }
}

}  // namespace

text_check name_check(std::string what) {
  return [what = std::move(what)](std::string_view name) {
    auto why = token_check(name);
    return why.empty() ? why : "a " + what + " name " + why;
  };
}

void read_flow_file(section_reader& root, flow_set_settings& out) {
  read_named(root, "calendars", "calendar", out.calendars, read_calendar);
  read_named(root, "queries", "query", out.queries, read_query);
  read_named(root, "flows", "flow", out.flows, read_flow);
}

}  // namespace detail

const std::vector<config_error>& flow_load_result::errors() const {
  static const std::vector<config_error> none;
  const auto* errors = std::get_if<std::vector<config_error>>(&value_);
  return errors != nullptr ? *errors : none;
}

flow_load_result load_flow_texts(const std::vector<std::pair<std::string, std::string>>& files) {
  flow_set_settings set;
  std::vector<config_error> all;
  for (const auto& [file_name, text] : files) {
    detail::error_list errors(file_name);
    set.files.push_back(file_name);
    detail::read_yaml_file(
        text, errors, [&](detail::section_reader& root) { detail::read_flow_file(root, set); });
    auto sorted = errors.take_sorted();
    all.insert(all.end(), sorted.begin(), sorted.end());
  }
  detail::check_unique_names(set.flows, "flow", all);
  detail::check_unique_names(set.calendars, "calendar", all);
  detail::check_unique_names(set.queries, "query", all);
  if (!all.empty()) return flow_load_result(std::move(all));
  return flow_load_result(std::move(set));
}

flow_load_result load_flow_directory(const std::filesystem::path& directory) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file(ec)) paths.push_back(it->path());
  }
  if (ec) {
    return flow_load_result(std::vector<config_error>{config_error{
        directory.string(), 0, 0, {}, "cannot read the flow directory: " + ec.message()}});
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<config_error> unreadable;
  for (const auto& path : paths) {
    auto text = detail::read_text_file(path);
    if (!text.value) {
      unreadable.push_back(config_error{path.string(), 0, 0, {}, "cannot read: " + text.error});
      continue;
    }
    files.emplace_back(path.string(), std::move(*text.value));
  }
  if (!unreadable.empty()) return flow_load_result(std::move(unreadable));
  auto result = load_flow_texts(files);
  if (!result) return result;
  auto set = std::move(result).flows();
  set.directory = directory;
  return flow_load_result(std::move(set));
}

}  // namespace callcenterd::config
