#include "node_parts.hpp"

namespace callcenterd::ivr::detail {

namespace {

using namespace config;

struct collector {
  node_parts& out;

  void go(const flow_text& target) { out.targets.push_back(&target); }

  void operator()(const play_node& n) {
    out.prompts.push_back(&n.prompt);
    go(n.next);
    out.waits = true;
  }
  void operator()(const menu_node& n) {
    out.prompts.insert(out.prompts.end(), {&n.prompt, &n.invalid_prompt, &n.no_input_prompt});
    for (const auto& [key, target] : n.options) go(target);
    go(n.invalid);
    go(n.no_input);
    out.waits = true;
  }
  void operator()(const collect_node& n) {
    out.prompts.insert(out.prompts.end(), {&n.prompt, &n.invalid_prompt, &n.no_input_prompt});
    if (!n.valid_if.empty()) out.expressions.push_back(&n.valid_if);
    go(n.next);
    go(n.invalid);
    go(n.no_input);
    out.waits = true;
  }
  void operator()(const set_node& n) {
    for (const auto& [name, value] : n.assignments) out.expressions.push_back(&value);
    go(n.next);
  }
  void operator()(const branch_node& n) {
    for (const auto& c : n.cases) {
      out.expressions.push_back(&c.when);
      go(c.go);
    }
    go(n.otherwise);
  }
  void operator()(const switch_node& n) {
    out.expressions.push_back(&n.value);
    for (const auto& [value, target] : n.cases) go(target);
    go(n.otherwise);
  }
  void operator()(const schedule_node& n) {
    go(n.open);
    go(n.closed);
    go(n.holiday);
  }
  void operator()(const queue_node& n) {
    if (!n.priority.empty()) out.expressions.push_back(&n.priority);
    go(n.next);
    out.waits = true;
  }
  void operator()(const transfer_node& n) {
    if (n.what != transfer_node::kind::flow) out.templates.push_back(&n.target);
    go(n.failed);
    out.waits = true;
  }
  void operator()(const call_flow_node& n) { go(n.next); }
  void operator()(const return_node&) {}
  void operator()(const hangup_node&) { out.waits = true; }
  void operator()(const lookup_node& n) {
    for (const auto& parameter : n.parameters) out.expressions.push_back(&parameter);
    go(n.found);
    go(n.not_found);
    go(n.error);
    out.waits = true;  // for the database
  }
};

}  // namespace

node_parts parts_of(const config::flow_node_settings& node) {
  node_parts out;
  std::visit(collector{out}, node.body);
  // Empty targets mean "the flow ends here": nothing to resolve.
  std::erase_if(out.targets, [](const flow_text* t) { return t->empty(); });
  for (const auto* prompt : out.prompts) {
    for (const auto& piece : *prompt) {
      switch (piece.what) {
        case prompt_item::kind::say:
          out.templates.push_back(&piece.value);
          break;
        case prompt_item::kind::file:
          break;
        default:
          out.expressions.push_back(&piece.value);
          break;
      }
    }
  }
  return out;
}

}  // namespace callcenterd::ivr::detail
