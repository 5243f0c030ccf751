// Checks a flow set and compiles it: every piece of text that the interpreter will need parsed
// or resolved now, so that a mistake is found by --check-config and a reload, never by a
// caller. The graph checks (unreachable nodes, loops without input) are in flow_graph.cpp.
#include <algorithm>
#include <atomic>
#include <map>

#include "callcenterd/core/wording.hpp"
#include "callcenterd/ivr/flow_set.hpp"
#include "callcenterd/ivr/time_zone.hpp"
#include "callcenterd/media/wav.hpp"
#include "flow_graph.hpp"
#include "node_parts.hpp"

namespace callcenterd::ivr {

namespace {

std::atomic<std::uint64_t> versions{0};

using core::in_quotes;

}  // namespace

/// Compiles one set; the set's friend.
class flow_compiler {
 public:
  flow_compiler(flow_set& set, const flow_environment& environment)
      : set_(set), environment_(environment) {}

  std::vector<flow_problem> run() {
    load_calendars();
    for (const auto& flow : set_.settings_.flows) set_.flows_.emplace(flow.name, &flow);
    for (const auto& query : set_.settings_.queries) set_.queries_.emplace(query.name, &query);
    for (const auto& flow : set_.settings_.flows) compile(flow);
    if (problems_.empty()) {
      for (const auto& flow : set_.settings_.flows) {
        detail::check_graph(flow, set_.targets_, problems_);
      }
    }
    std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
      return a.file != b.file ? a.file < b.file
                              : (a.line != b.line ? a.line < b.line : a.column < b.column);
    });
    return std::move(problems_);
  }

 private:
  void fail(const config::flow_text& at, std::string reason) {
    problems_.push_back(at.problem(std::move(reason)));
  }

  void load_calendars() {
    std::map<std::string, time_zone> zones;
    for (const auto& settings : set_.settings_.calendars) {
      auto found = zones.find(settings.time_zone);
      if (found == zones.end()) {
        auto loaded = time_zone::blocking_load(settings.time_zone, environment_.zoneinfo);
        if (auto* why = std::get_if<std::string>(&loaded)) {
          fail(settings.at, *why);
          continue;
        }
        found = zones.emplace(settings.time_zone, std::get<time_zone>(std::move(loaded))).first;
      }
      set_.calendars_.emplace(settings.name, calendar(settings, found->second));
    }
  }

  void compile(const config::flow_settings& flow) {
    std::unordered_map<std::string, const config::flow_node_settings*> nodes;
    for (const auto& node : flow.nodes) nodes.emplace(node.name, &node);
    const auto resolve = [&](const config::flow_text& target, std::string_view role) {
      const auto it = nodes.find(target.text);
      if (it == nodes.end()) {
        fail(target, std::string(role) + " " + in_quotes(target.text) + " is not a node of flow " +
                         in_quotes(flow.name));
        return;
      }
      set_.targets_.emplace(&target, it->second);
    };
    // Always resolved, even when empty: start() relies on every flow having its target.
    resolve(flow.start, "start");
    for (const auto& node : flow.nodes) {
      const auto parts = detail::parts_of(node);
      for (const auto* target : parts.targets) resolve(*target, "the target");
      for (const auto* text : parts.expressions) parse_expression(*text);
      for (const auto* text : parts.templates) parse_template(*text);
      for (const auto* prompt : parts.prompts) load_files(*prompt);
      check_names(node);
    }
  }

  void parse_expression(const config::flow_text& text) {
    auto parsed = expression::parse(text.text);
    if (auto* error = std::get_if<parse_error>(&parsed)) {
      fail(text, "bad expression " + in_quotes(text.text) + ": " + error->reason +
                     " (at character " + std::to_string(error->offset + 1) + ")");
      return;
    }
    set_.expressions_.emplace(&text, std::get<expression>(std::move(parsed)));
  }

  void parse_template(const config::flow_text& text) {
    auto parsed = text_template::parse(text.text);
    if (auto* error = std::get_if<parse_error>(&parsed)) {
      fail(text, "bad ${...} in " + in_quotes(text.text) + ": " + error->reason +
                     " (at character " + std::to_string(error->offset + 1) + ")");
      return;
    }
    set_.templates_.emplace(&text, std::get<text_template>(std::move(parsed)));
  }

  void load_files(const config::prompt_settings& prompt) {
    for (const auto& piece : prompt) {
      if (piece.what != config::prompt_item::kind::file) continue;
      const std::filesystem::path name = piece.value.text;
      const auto path = name.is_absolute() ? name : environment_.prompts / name;
      auto cached = files_.find(path);
      if (cached == files_.end()) {
        auto wav = media::blocking_read_wav(path);
        if (!wav) {
          fail(piece.value, wav.reason);
          continue;
        }
        cached = files_.emplace(path, media::prompt::from_samples(std::move(wav.samples))).first;
      }
      set_.audio_.emplace(&piece.value, cached->second);
    }
  }

  // Names of things outside the flow: calendars, queues, flows.
  void check_names(const config::flow_node_settings& node) {
    if (const auto* schedule = std::get_if<config::schedule_node>(&node.body)) {
      const auto& name = schedule->calendar;
      const bool defined =
          std::any_of(set_.settings_.calendars.begin(), set_.settings_.calendars.end(),
                      [&](const auto& c) { return c.name == name.text; });
      if (!defined) fail(name, "no calendar " + in_quotes(name.text) + " in the flow files");
    } else if (const auto* queue = std::get_if<config::queue_node>(&node.body)) {
      const auto& queues = environment_.queues;
      if (std::find(queues.begin(), queues.end(), queue->queue.text) == queues.end()) {
        fail(queue->queue, "no queue " + in_quotes(queue->queue.text) + " in the configuration");
      }
    } else if (const auto* call = std::get_if<config::call_flow_node>(&node.body)) {
      if (!set_.flows_.contains(call->flow.text)) {
        fail(call->flow, "no flow " + in_quotes(call->flow.text) + " to call");
      }
    } else if (const auto* lookup = std::get_if<config::lookup_node>(&node.body)) {
      check_lookup(*lookup);
    } else if (const auto* transfer = std::get_if<config::transfer_node>(&node.body)) {
      if (transfer->what == config::transfer_node::kind::flow &&
          !set_.flows_.contains(transfer->target.text)) {
        fail(transfer->target, "no flow " + in_quotes(transfer->target.text) + " to transfer to");
      }
    }
  }

  void check_lookup(const config::lookup_node& lookup) {
    const auto it = set_.queries_.find(lookup.query.text);
    if (it == set_.queries_.end()) {
      fail(lookup.query, "no query " + in_quotes(lookup.query.text) + " in the flow files");
      return;
    }
    const auto wanted = it->second->parameters;
    if (lookup.parameters.size() != wanted) {
      fail(lookup.query, "the query " + in_quotes(lookup.query.text) + " takes " +
                             std::to_string(wanted) + " parameter(s) ($1..$" +
                             std::to_string(wanted) + "); with: gives " +
                             std::to_string(lookup.parameters.size()));
    }
  }

  flow_set& set_;
  const flow_environment& environment_;
  std::map<std::filesystem::path, std::shared_ptr<const media::prompt>> files_;
  std::vector<flow_problem> problems_;
};

flow_set::flow_set(config::flow_set_settings settings)
    : settings_(std::move(settings)), version_(versions.fetch_add(1) + 1) {}

std::variant<std::shared_ptr<const flow_set>, std::vector<flow_problem>> flow_set::blocking_compile(
    config::flow_set_settings settings, const flow_environment& environment) {
  std::shared_ptr<flow_set> set(new flow_set(std::move(settings)));
  auto problems = flow_compiler(*set, environment).run();
  if (!problems.empty()) return problems;
  return std::shared_ptr<const flow_set>(std::move(set));
}

const config::flow_settings* flow_set::find(std::string_view name) const {
  const auto it = flows_.find(std::string(name));
  return it == flows_.end() ? nullptr : it->second;
}

const config::flow_node_settings* flow_set::node(const config::flow_text& target) const {
  const auto it = targets_.find(&target);
  return it == targets_.end() ? nullptr : it->second;
}

const config::flow_node_settings& flow_set::start(const config::flow_settings& flow) const {
  return *targets_.at(&flow.start);
}

const expression& flow_set::expr(const config::flow_text& text) const {
  return expressions_.at(&text);
}

const text_template& flow_set::text(const config::flow_text& text) const {
  return templates_.at(&text);
}

const std::shared_ptr<const media::prompt>& flow_set::audio(const config::flow_text& text) const {
  return audio_.at(&text);
}

const calendar& flow_set::calendar_named(std::string_view name) const {
  return calendars_.at(std::string(name));
}

const config::query_settings& flow_set::query_named(std::string_view name) const {
  return *queries_.at(std::string(name));
}

}  // namespace callcenterd::ivr
