// The nodes of a flow: one kind key per node and the keys of that kind.
#include <array>

#include "flow_sections.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// In the order of flow_node_body's alternatives.
constexpr std::array<std::string_view, 13> node_kinds = {
    "play",  "menu",     "collect", "set",    "branch", "switch", "schedule",
    "queue", "transfer", "call",    "return", "hangup", "lookup"};
static_assert(node_kinds.size() == std::variant_size_v<flow_node_body>);

std::string key_check(std::string_view text) {
  if (text.size() == 1 &&
      std::string_view("0123456789*#").find(text[0]) != std::string_view::npos) {
    return {};
  }
  return "a key is one of 0-9, * or #, got " + in_quotes(text);
}

/// `key` names a node to go to.
void target(section_reader& in, std::string_view key, flow_text& out) {
  in.located_text(key, out, token_check);
}

/// A mapping of `key` to the nodes to go to (a menu's options, a switch's cases): each
/// target a node name, and each key one `check_key` accepts, if given.
std::vector<std::pair<std::string, flow_text>> targets_by(section_reader& in, std::string_view key,
                                                          const text_check& check_key = {}) {
  std::vector<std::pair<std::string, flow_text>> out;
  for (auto& [name, node] : in.text_map(key)) {
    auto why = check_key ? check_key(name) : std::string();
    if (why.empty()) why = token_check(node.text);
    if (!why.empty()) {
      in.errors().add(node, std::move(why));
      continue;
    }
    out.emplace_back(name, std::move(node));
  }
  return out;
}

void read_play(section_reader& in, play_node& out) {
  out.prompt = read_prompt(in, "play");
  in.boolean("interruptible", out.interruptible);
  target(in, "next", out.next);
}

void read_menu(section_reader& in, menu_node& out) {
  out.prompt = read_prompt(in, "menu");
  out.options = targets_by(in, "options", key_check);
  if (out.options.empty()) in.fail("menu", "a menu needs options: {key: node, ...}");
  in.duration("timeout", out.timeout, seconds(1), minutes(1));
  in.integer<unsigned>("retries", out.retries, 1, 10);
  if (in.text("repeat_key", out.repeat_key, key_check)) {
    for (const auto& [key, node] : out.options) {
      if (key == out.repeat_key) in.fail("repeat_key", "the repeat key is also an option");
    }
  }
  out.invalid_prompt = read_prompt(in, "invalid_prompt");
  out.no_input_prompt = read_prompt(in, "no_input_prompt");
  target(in, "invalid", out.invalid);
  target(in, "no_input", out.no_input);
}

void read_collect(section_reader& in, collect_node& out) {
  out.prompt = read_prompt(in, "collect");
  if (in.required("into", "collect needs a variable: into: name")) {
    in.text("into", out.variable, variable_name_check);
  }
  in.integer<unsigned>("min_digits", out.min_digits, 1, 64);
  in.integer<unsigned>("max_digits", out.max_digits, 1, 64);
  if (out.min_digits > out.max_digits) in.fail("min_digits", "min_digits is above max_digits");
  if (auto raw = in.raw("terminator")) {
    // `terminator: ""` and `terminator:` (null) both mean none.
    if (raw->node.IsNull()) {
      out.terminator.clear();
    } else {
      in.text("terminator", out.terminator,
              [](std::string_view t) { return t.empty() ? std::string() : key_check(t); });
    }
  }
  in.located_text("valid_if", out.valid_if);
  in.duration("timeout", out.timeout, seconds(1), minutes(1));
  in.duration("digit_timeout", out.digit_timeout, seconds(1), minutes(1));
  in.integer<unsigned>("retries", out.retries, 1, 10);
  out.invalid_prompt = read_prompt(in, "invalid_prompt");
  out.no_input_prompt = read_prompt(in, "no_input_prompt");
  target(in, "next", out.next);
  target(in, "invalid", out.invalid);
  target(in, "no_input", out.no_input);
}

void read_set(section_reader& in, set_node& out) {
  for (auto& [name, expression] : in.text_map("set")) {
    if (auto why = variable_name_check(name); !why.empty()) {
      in.errors().add(expression, why);
      continue;
    }
    out.assignments.emplace_back(name, std::move(expression));
  }
  if (out.assignments.empty()) in.fail("set", "set needs variables: {name: expression, ...}");
  target(in, "next", out.next);
}

void read_branch(section_reader& in, branch_node& out) {
  for (auto& item : in.list("branch")) {
    branch_node::condition c;
    if (item.required("if", "each case needs if: expression")) item.located_text("if", c.when);
    if (item.required("go", "each case needs go: node")) target(item, "go", c.go);
    item.finish();
    out.cases.push_back(std::move(c));
  }
  if (out.cases.empty()) in.fail("branch", "branch needs cases: [{if: expression, go: node}]");
  target(in, "otherwise", out.otherwise);
}

void read_switch(section_reader& in, switch_node& out) {
  in.located_text("switch", out.value);
  out.cases = targets_by(in, "cases");
  if (out.cases.empty()) in.fail("switch", "switch needs cases: {value: node, ...}");
  target(in, "otherwise", out.otherwise);
}

void read_schedule(section_reader& in, schedule_node& out) {
  in.located_text("schedule", out.calendar, token_check);
  if (in.required("open", "schedule needs open: node")) target(in, "open", out.open);
  if (in.required("closed", "schedule needs closed: node")) target(in, "closed", out.closed);
  target(in, "holiday", out.holiday);
}

void read_queue(section_reader& in, queue_node& out) {
  in.located_text("queue", out.queue, token_check);
  in.located_text("priority", out.priority);
  for (auto& item : in.list("escalate")) {
    acd::priority_step step;
    if (item.required("after", "an escalation step needs after: (a wait)")) {
      item.duration("after", step.after, std::chrono::seconds(1), std::chrono::hours(24));
    }
    if (item.required("priority", "an escalation step needs priority: (0 to 100)")) {
      item.integer<int>("priority", step.priority, 0, 100);
    }
    item.finish();
    out.escalate.push_back(step);
  }
  target(in, "next", out.next);
}

void read_transfer(section_reader& in, transfer_node& out) {
  auto where = in.section("transfer");
  int kinds = 0;
  if (where.located_text("extension", out.target, not_empty)) {
    out.what = transfer_node::kind::extension;
    ++kinds;
  }
  if (where.located_text("number", out.target, not_empty)) {
    out.what = transfer_node::kind::number;
    ++kinds;
  }
  if (where.located_text("flow", out.target, token_check)) {
    out.what = transfer_node::kind::flow;
    ++kinds;
  }
  if (where.text("trunk", out.trunk, token_check) && out.what != transfer_node::kind::number) {
    where.fail("trunk", "a trunk goes with number:");
  }
  if (kinds != 1) in.fail("transfer", "transfer names exactly one of extension, number or flow");
  where.finish();
  target(in, "failed", out.failed);
  if (out.what == transfer_node::kind::flow && !out.failed.empty()) {
    in.fail("failed", "a transfer to a flow cannot fail");
  }
}

void read_call(section_reader& in, call_flow_node& out) {
  in.located_text("call", out.flow, token_check);
  target(in, "next", out.next);
}

void read_hangup(section_reader& in, hangup_node& out) {
  if (auto raw = in.raw("hangup"); raw && !raw->node.IsNull()) in.text("hangup", out.reason);
}

void read_lookup(section_reader& in, lookup_node& out) {
  in.located_text("lookup", out.query, token_check);
  in.located_list("with", out.parameters, not_empty);
  in.text("into", out.into, variable_name_check);
  if (in.required("found", "lookup needs found: node")) target(in, "found", out.found);
  if (in.required("not_found", "lookup needs not_found: node")) {
    target(in, "not_found", out.not_found);
  }
  target(in, "error", out.error);
}

}  // namespace

void read_flow_node(section_reader& in, flow_node_settings& out) {
  std::size_t kind = node_kinds.size();
  int kinds = 0;
  for (std::size_t i = 0; i < node_kinds.size(); ++i) {
    if (in.has(node_kinds[i])) {
      kind = i;
      ++kinds;
    }
  }
  if (kinds != 1) {
    in.errors().add(in.mark(), in.path(),
                    kinds == 0 ? "a node needs a kind: one of play, menu, collect, set, branch, "
                                 "switch, schedule, queue, transfer, call, return, hangup, lookup"
                               : "a node has exactly one kind; this one has several");
    if (kinds == 0) return;  // finish() names the unknown keys, with a likely kind
  }
  switch (kind) {
    case 0:
      read_play(in, out.body.emplace<play_node>());
      break;
    case 1:
      read_menu(in, out.body.emplace<menu_node>());
      break;
    case 2:
      read_collect(in, out.body.emplace<collect_node>());
      break;
    case 3:
      read_set(in, out.body.emplace<set_node>());
      break;
    case 4:
      read_branch(in, out.body.emplace<branch_node>());
      break;
    case 5:
      read_switch(in, out.body.emplace<switch_node>());
      break;
    case 6:
      read_schedule(in, out.body.emplace<schedule_node>());
      break;
    case 7:
      read_queue(in, out.body.emplace<queue_node>());
      break;
    case 8:
      read_transfer(in, out.body.emplace<transfer_node>());
      break;
    case 9:
      read_call(in, out.body.emplace<call_flow_node>());
      break;
    case 10:
      out.body.emplace<return_node>();
      break;
    case 11:
      read_hangup(in, out.body.emplace<hangup_node>());
      break;
    default:
      read_lookup(in, out.body.emplace<lookup_node>());
      break;
  }
}

void read_flow(section_reader& in, flow_settings& out) {
  in.text("language", out.language, language_check);
  if (in.required("start", "a flow needs start: node")) target(in, "start", out.start);
  if (!in.has("nodes")) in.fail("nodes", "a flow needs nodes");
  read_named(in, "nodes", "node", out.nodes, read_flow_node);
}

}  // namespace callcenterd::config::detail
