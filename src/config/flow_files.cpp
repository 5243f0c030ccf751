// Flow files: a directory of YAML files read as one set.
#include <yaml-cpp/yaml.h>

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

/// Names given in more than one place of the set, with where the first one was.
class name_registry {
 public:
  explicit name_registry(std::string what) : what_(std::move(what)) {}
  /// Why `name` at `at` is refused, or empty when it is new.
  std::string add(const std::string& name, const flow_text& at) {
    const auto [it, added] = first_.emplace(name, at);
    if (added) return {};
    return "the " + what_ + " " + in_quotes(name) + " is defined twice (first in " +
           it->second.file + ":" + std::to_string(it->second.line) + ")";
  }

 private:
  std::string what_;
  std::map<std::string, flow_text> first_;
};

flow_text position_of(section_reader& reader) {
  return flow_text{
      {}, reader.errors().file(), reader.mark().line + 1, reader.mark().column + 1, reader.path()};
}

}  // namespace

void read_flow_file(section_reader& root, flow_set_settings& out) {
  for (auto& [name, in] : root.named_sections("calendars")) {
    calendar_settings calendar;
    calendar.name = name;
    calendar.at = position_of(in);
    calendar.at.text = name;
    if (auto why = token_check(name); !why.empty()) {
      in.errors().add(calendar.at, "a calendar name " + why);
    }
    read_calendar(in, calendar);
    in.finish();
    out.calendars.push_back(std::move(calendar));
  }
  for (auto& [name, in] : root.named_sections("flows")) {
    flow_settings flow;
    flow.name = name;
    flow.at = position_of(in);
    flow.at.text = name;
    if (auto why = token_check(name); !why.empty()) {
      in.errors().add(flow.at, "a flow name " + why);
    }
    read_flow(in, flow);
    in.finish();
    out.flows.push_back(std::move(flow));
  }
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
    try {
      const auto document = detail::load_single_document(text);
      if (document.problem) errors.add(document.problem->first, {}, document.problem->second);
      const YAML::Node root = document.problem ? YAML::Node() : document.root;
      detail::section_reader reader(root, {}, root.Mark(), errors);
      detail::read_flow_file(reader, set);
      reader.finish();
    } catch (const YAML::Exception& e) {
      errors.add(e.mark, {}, "YAML syntax error: " + e.msg);
    }
    auto sorted = errors.take_sorted();
    all.insert(all.end(), sorted.begin(), sorted.end());
  }
  // Names are one namespace per kind across the whole set.
  detail::name_registry flows("flow");
  detail::name_registry calendars("calendar");
  for (const auto& flow : set.flows) {
    if (auto why = flows.add(flow.name, flow.at); !why.empty()) {
      all.push_back(config_error{flow.at.file, flow.at.line, flow.at.column, flow.at.key_path,
                                 std::move(why)});
    }
  }
  for (const auto& calendar : set.calendars) {
    if (auto why = calendars.add(calendar.name, calendar.at); !why.empty()) {
      all.push_back(config_error{calendar.at.file, calendar.at.line, calendar.at.column,
                                 calendar.at.key_path, std::move(why)});
    }
  }
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
