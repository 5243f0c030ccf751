#pragma once

// A checked set of call flows, ready to run: the flow files' settings with every expression
// and `${...}` text parsed, every target resolved to a node, every recorded prompt loaded and
// every calendar's time zone read. Immutable once made and shared by the calls that run it: a
// reload makes a new set, and a call keeps the set it started with until it ends.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/ivr/calendar.hpp"
#include "callcenterd/ivr/expression.hpp"
#include "callcenterd/media/prompt.hpp"

namespace callcenterd::ivr {

/// Why a flow set was refused: a config_error at the text concerned, whose dotted key names
/// the flow and the node.
using flow_problem = config::config_error;

/// What flows may refer to that is defined elsewhere.
struct flow_environment {
  /// Where recorded prompt files (`file:` pieces) are; absolute names are taken as they are.
  std::filesystem::path prompts;
  /// The queues a `queue` node may name.
  std::vector<std::string> queues;
  /// The system's time zone files.
  std::filesystem::path zoneinfo = "/usr/share/zoneinfo";
};

class flow_set {
 public:
  /// Blocking (prompt files, time zones): checks and compiles `settings`; every problem found
  /// otherwise. Run it where a blocking read is fine (start-up, the reload path).
  static std::variant<std::shared_ptr<const flow_set>, std::vector<flow_problem>> blocking_compile(
      config::flow_set_settings settings, const flow_environment& environment);

  /// The flow called `name`, or null.
  [[nodiscard]] const config::flow_settings* find(std::string_view name) const;
  [[nodiscard]] const std::vector<config::flow_settings>& flows() const { return settings_.flows; }
  /// The node a target names, in the flow it belongs to; null for an empty target (the flow
  /// ends there). Only texts of this set's own settings.
  [[nodiscard]] const config::flow_node_settings* node(const config::flow_text& target) const;
  /// The flow's first node.
  [[nodiscard]] const config::flow_node_settings& start(const config::flow_settings& flow) const;
  /// The parsed expression of an expression text of this set (set, branch, switch, ...).
  [[nodiscard]] const expression& expr(const config::flow_text& text) const;
  /// The parsed template of a `say:` piece or a transfer target.
  [[nodiscard]] const text_template& text(const config::flow_text& text) const;
  /// The loaded audio of a `file:` piece.
  [[nodiscard]] const std::shared_ptr<const media::prompt>& audio(
      const config::flow_text& text) const;
  /// A calendar by name (checked to exist when a schedule names it).
  [[nodiscard]] const calendar& calendar_named(std::string_view name) const;
  /// A query by name (checked to exist, with as many parameters as its lookups give).
  [[nodiscard]] const config::query_settings& query_named(std::string_view name) const;

  /// Counts sets made in this process, so logs and events tell versions apart.
  [[nodiscard]] std::uint64_t version() const { return version_; }

  flow_set(const flow_set&) = delete;
  flow_set& operator=(const flow_set&) = delete;
  flow_set(flow_set&&) = delete;
  flow_set& operator=(flow_set&&) = delete;
  ~flow_set() = default;

 private:
  friend class flow_compiler;
  explicit flow_set(config::flow_set_settings settings);

  // Keyed by the address of the text inside settings_, which never moves: the set is
  // immutable once compiled and not copyable.
  config::flow_set_settings settings_;
  std::unordered_map<std::string, const config::flow_settings*> flows_;
  std::unordered_map<const config::flow_text*, const config::flow_node_settings*> targets_;
  std::unordered_map<const config::flow_text*, expression> expressions_;
  std::unordered_map<const config::flow_text*, text_template> templates_;
  std::unordered_map<const config::flow_text*, std::shared_ptr<const media::prompt>> audio_;
  std::unordered_map<std::string, calendar> calendars_;
  std::unordered_map<std::string, const config::query_settings*> queries_;
  std::uint64_t version_ = 0;
};

}  // namespace callcenterd::ivr
