// The ACD's model from the top-level `agents:`, `not_ready_reasons:` and `queues:`. Everything
// the engine's own model check (src/acd/model_check.cpp) would refuse is refused here first,
// with the file, line and key, so that a model that loads is one the engine takes.
#include <algorithm>
#include <array>
#include <set>

#include "sections.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t min_level = 1;
constexpr std::int64_t max_level = 10;

// The routing strategies src/acd/strategy.cpp registers, in its order. The ACD is not linked
// here, so the names are repeated; the engine refuses a name it does not know all the same.
constexpr std::array<std::string_view, 7> strategy_names{
    "longest_idle",    "most_skilled", "round_robin", "fewest_calls",
    "least_talk_time", "random",       "ring_all"};

// Indexed by acd::no_agents_policy.
constexpr std::array<std::string_view, 2> no_agents_names{"join", "refuse"};

// What supervisors see: any one line of text, not too long for a wallboard.
std::string display_name_check(std::string_view text) { return one_line_check(text, 100); }

std::string token_or_empty(std::string_view text) {
  return text.empty() ? std::string() : token_check(text);
}

std::string message_check(std::string_view text) {
  return text.empty() ? std::string() : greeting_check(text);
}

// A whisper or an agent announcement: a spoken line whose {fields} are filled in per call;
// every brace must open or close a field name.
std::string spoken_template_check(std::string_view text) {
  if (text.empty()) return {};
  if (auto why = one_line_check(text, 300); !why.empty()) return why;
  bool open = false;
  for (const char c : text) {
    if (c == '{') {
      if (open) return "a { inside a {field}: " + in_quotes(text);
      open = true;
    } else if (c == '}') {
      if (!open) return "a } without its {: " + in_quotes(text);
      open = false;
    }
  }
  if (open) return "a { without its }: " + in_quotes(text);
  return {};
}

// The key that takes a callback: one key of the keypad.
std::string key_check(std::string_view text) {
  if (text.size() == 1 &&
      std::string_view("0123456789*#").find(text[0]) != std::string_view::npos) {
    return {};
  }
  return "expected one key of 0-9, * or #, got " + in_quotes(text);
}

// Dialled before a caller's number to call them back: digits, '+', '*' or '#'; may be empty.
std::string dial_prefix_or_empty(std::string_view text) {
  if (text.size() > 20) return "expected at most 20 characters, got " + in_quotes(text);
  for (const char c : text) {
    const bool ok = (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#';
    if (!ok) return "may contain only digits, '+', '*' and '#', got " + in_quotes(text);
  }
  return {};
}

void read_callback(section_reader& in, const std::vector<sip_trunk_settings>& trunks,
                   acd::callback_settings& out) {
  in.duration("after", out.offer_after, seconds(0), hours(24));
  std::string key(1, out.key);
  if (in.text("key", key, key_check)) out.key = key.front();
  in.integer<unsigned>("attempts", out.attempts, 1, 20);
  in.duration("retry_delay", out.retry_delay, seconds(10), hours(24));
  in.duration("ring_timeout", out.ring_timeout, seconds(5), minutes(5));
  in.text("dial_prefix", out.dial_prefix, dial_prefix_or_empty);
  in.text("offer", out.offer_text, spoken_template_check);
  in.text("confirmation", out.confirmation_text, spoken_template_check);
  in.text("greeting", out.greeting_text, spoken_template_check);
  const bool named = in.text("trunk", out.trunk, token_or_empty) && !out.trunk.empty();
  if (named) {
    const auto trunk = std::find_if(trunks.begin(), trunks.end(),
                                    [&](const auto& t) { return t.name == out.trunk; });
    if (trunk == trunks.end()) {
      in.fail("trunk", "no trunk " + in_quotes(out.trunk) + " in sip.trunks");
    } else if (trunk->host.empty()) {
      in.fail("trunk", "the trunk " + in_quotes(out.trunk) + " has no host to call out to");
    }
  } else if (out.offer_after.count() > 0) {
    in.fail("after", "callbacks go out through a trunk: name it in callback.trunk");
  }
}

// A list of names (token_check), each once: `what` names one in the error, "the team 'x'".
bool read_name_list(section_reader& in, std::string_view key, std::string_view what,
                    std::vector<std::string>& out) {
  std::vector<flow_text> located;
  if (!in.located_list(key, located, token_check)) return false;
  std::set<std::string> seen;
  bool unique = true;
  for (const auto& name : located) {
    if (!seen.insert(name.text).second) {
      in.errors().add(name,
                      "the " + std::string(what) + " " + in_quotes(name.text) + " is listed twice");
      unique = false;
    }
  }
  if (!unique) return false;
  out.clear();
  for (auto& name : located) out.push_back(std::move(name.text));
  return true;
}

std::vector<acd::skill_requirement> read_requirements(section_reader& in, std::string_view key) {
  std::vector<acd::skill_requirement> out;
  for (const auto& [skill, level] : in.integer_map(key, min_level, max_level, token_check)) {
    out.push_back(acd::skill_requirement{.skill = skill, .min_level = static_cast<int>(level)});
  }
  return out;
}

void read_agent(section_reader& item, std::set<std::string>& ids, acd::agent_settings& out) {
  if (item.required("id", "every agent needs an id") && item.text("id", out.id, extension_check) &&
      !ids.insert(out.id).second) {
    item.fail("id", "the agent " + in_quotes(out.id) + " is listed twice");
  }
  out.name = out.id;
  out.extension = out.id;
  item.text("name", out.name, display_name_check);
  item.text("extension", out.extension, extension_check);
  read_name_list(item, "teams", "team", out.teams);
  for (const auto& [skill, level] : item.integer_map("skills", min_level, max_level, token_check)) {
    out.skills.push_back(acd::agent_skill{.skill = skill, .level = static_cast<int>(level)});
  }
  item.boolean("auto_login", out.auto_login);
}

// Queue names that exit targets give, checked once every queue is known: a target may name a
// queue defined further down.
using queue_references = std::vector<flow_text>;

// The exit target at `key` (when_full, an overflow rule's move_to, ...): a mapping with exactly
// one of hang_up, queue, flow or extension. Returns whether the key is there at all, valid or
// not, so that callers do not report it missing as well.
bool read_exit_target(section_reader& in, std::string_view key, const std::string& own_queue,
                      queue_references& queues, acd::exit_target& out) {
  const auto value = in.raw(key);
  if (!value) return false;
  // Refuses a value that is not a mapping, with the reader's usual wording.
  section_reader target(value->node, value->path, value->key_mark, in.errors());
  const std::string exactly_one =
      "an exit target names exactly one of hang_up, queue, flow or extension";
  if (!value->node.IsMap()) {
    if (value->node.IsNull()) in.fail(key, exactly_one);
    return true;
  }
  const int given = static_cast<int>(target.has("hang_up")) +
                    static_cast<int>(target.has("queue")) + static_cast<int>(target.has("flow")) +
                    static_cast<int>(target.has("extension"));
  // No known key but others: finish() reports those, with the known ones.
  if (given > 1 || (given == 0 && value->node.size() == 0)) in.fail(key, exactly_one);
  std::string message;
  if (target.text("hang_up", message, message_check)) {
    out = acd::exit_target{.what = acd::exit_target::kind::hang_up, .message = message};
  }
  flow_text queue;
  if (target.located_text("queue", queue, queue_name_check)) {
    if (queue.text == own_queue) {
      in.errors().add(queue, "a queue cannot send its calls to itself");
    } else {
      queues.push_back(queue);
    }
    out = acd::exit_target{.what = acd::exit_target::kind::queue, .name = queue.text};
  }
  std::string name;
  if (target.text("flow", name, token_check)) {
    out = acd::exit_target{.what = acd::exit_target::kind::flow, .name = name};
  }
  if (target.text("extension", name, extension_check)) {
    out = acd::exit_target{.what = acd::exit_target::kind::extension, .name = name};
  }
  target.finish();
  return true;
}

void read_overflow_rule(section_reader& rule, const std::string& queue, queue_references& queues,
                        acd::overflow_rule& out) {
  if (rule.required("after", "every overflow rule needs 'after': how long a call waits first")) {
    rule.duration("after", out.after, milliseconds(0), hours(24));
  }
  // A value that is refused still counts as meant: it is reported once, as itself.
  const bool lower_given = rule.has("lower_min_level_by");
  const bool lower_read = rule.integer("lower_min_level_by", out.lower_min_level_by, 0, 9);
  out.add_skills = read_requirements(rule, "add_skills");
  const auto add = rule.raw("add_skills");
  const bool add_given = add.has_value();
  if (add && (add->node.IsNull() || (add->node.IsMap() && add->node.size() == 0))) {
    rule.fail("add_skills", "add_skills needs at least one skill");
  }
  acd::exit_target target;
  const bool moves = read_exit_target(rule, "move_to", queue, queues, target);
  if (moves) out.move_to = target;
  const bool widens = (lower_given && (!lower_read || out.lower_min_level_by > 0)) || add_given;
  if (widens && moves) {
    rule.fail("move_to",
              "an overflow rule widens (lower_min_level_by, add_skills) or moves calls "
              "(move_to), not both");
  } else if (!widens && !moves) {
    rule.errors().add(rule.mark(), rule.path(),
                      "an overflow rule widens who may take a call (lower_min_level_by above 0, "
                      "add_skills) or moves it (move_to)");
  }
}

void read_queue(section_reader& item, std::set<std::string>& names,
                const std::vector<hold_class_settings>& hold_classes,
                const std::vector<sip_trunk_settings>& trunks, queue_references& queues,
                acd::queue_settings& out) {
  read_item_name(item, "queue", names, out.name, queue_name_check);
  out.skills = read_requirements(item, "skills");
  std::size_t strategy = 0;
  if (item.enumeration("strategy", strategy, strategy_names)) {
    out.strategy = std::string(strategy_names.at(strategy));
  }
  item.duration("priority_aging", out.priority_aging, milliseconds(0), hours(24));
  item.integer<unsigned>("max_length", out.max_length, 0, 100000);
  item.duration("max_wait", out.max_wait, milliseconds(0), hours(24));
  item.duration("wrap_up", out.wrap_up, milliseconds(0), hours(1));
  item.duration("ring_timeout", out.ring_timeout, seconds(1), minutes(10));
  item.text("no_answer_reason", out.no_answer_reason, token_or_empty);
  item.read_section("service_level", [&out](section_reader& s) {
    s.duration("threshold", out.service_level_threshold, seconds(1), hours(1));
    s.fraction("target", out.service_level_target);
  });
  item.duration("short_abandon", out.short_abandon, milliseconds(0), hours(1));
  item.duration("expected_handle_time", out.expected_handle_time, seconds(1), hours(24));
  if (item.text("hold_class", out.hold_class, token_or_empty) && !out.hold_class.empty()) {
    const bool known = std::any_of(hold_classes.begin(), hold_classes.end(),
                                   [&](const auto& c) { return c.name == out.hold_class; });
    if (!known) {
      item.fail("hold_class",
                "no hold class " + in_quotes(out.hold_class) + " in media.hold_classes");
    }
  }
  item.boolean("record", out.record);
  item.read_section("announce", [&](section_reader& announce) {
    announce.duration("every", out.announce_every, seconds(0), hours(1));
    announce.boolean("position", out.announce_position);
    announce.boolean("wait", out.announce_wait);
    announce.text("language", out.announce_language, language_check);
  });
  item.text("whisper", out.whisper, spoken_template_check);
  item.text("agent_announcement", out.agent_announcement, spoken_template_check);
  item.read_section(
      "callback", [&](section_reader& callback) { read_callback(callback, trunks, out.callback); });
  item.enumeration("no_agents", out.when_no_agents_policy, no_agents_names);
  read_exit_target(item, "when_no_agents", out.name, queues, out.when_no_agents);
  read_exit_target(item, "when_full", out.name, queues, out.when_full);
  read_exit_target(item, "when_max_wait", out.name, queues, out.when_max_wait);
  for (auto& rule_item : item.list("overflow")) {
    acd::overflow_rule rule;
    read_overflow_rule(rule_item, out.name, queues, rule);
    rule_item.finish();
    out.overflow.push_back(std::move(rule));
  }
}

}  // namespace

void read_acd(section_reader& root, acd::acd_model& out,
              const std::vector<hold_class_settings>& hold_classes,
              const std::vector<sip_trunk_settings>& trunks) {
  std::set<std::string> ids;
  for (auto& item : root.list("agents")) {
    acd::agent_settings agent;
    read_agent(item, ids, agent);
    item.finish();
    out.agents.push_back(std::move(agent));
  }
  std::vector<std::string> reasons;
  if (read_name_list(root, "not_ready_reasons", "reason", reasons)) {
    if (reasons.empty()) {
      root.fail("not_ready_reasons", "not_ready_reasons needs at least one reason");
    } else {
      out.not_ready_reasons = std::move(reasons);
    }
  }
  std::set<std::string> names;
  queue_references references;
  for (auto& item : root.list("queues")) {
    acd::queue_settings queue;
    read_queue(item, names, hold_classes, trunks, references, queue);
    item.finish();
    out.queues.push_back(std::move(queue));
  }
  for (const auto& name : references) {
    if (!names.contains(name.text)) {
      root.errors().add(name, "no queue " + in_quotes(name.text) + " in queues");
    }
  }
}

}  // namespace callcenterd::config::detail
