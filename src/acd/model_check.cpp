// What makes a model unusable, said in sentences that name the agent or queue. The config
// loader reports these with file and line; the engine refuses a model that has any.
#include <algorithm>
#include <set>

#include "callcenterd/acd/engine.hpp"
#include "strategy.hpp"

namespace callcenterd::acd {

namespace {

constexpr int min_level = 1;
constexpr int max_level = 10;

std::string levels_problem(const std::string& whose, const std::string& skill, int level) {
  return whose + ": skill " + skill + " has level " + std::to_string(level) + "; levels are " +
         std::to_string(min_level) + " to " + std::to_string(max_level);
}

void check_requirements(const std::string& whose, const std::vector<skill_requirement>& needs,
                        std::vector<std::string>& problems) {
  std::set<std::string> seen;
  for (const auto& need : needs) {
    if (need.skill.empty()) problems.push_back(whose + ": a skill without a name");
    if (need.min_level < min_level || need.min_level > max_level) {
      problems.push_back(levels_problem(whose, need.skill, need.min_level));
    }
    if (!seen.insert(need.skill).second) {
      problems.push_back(whose + ": skill " + need.skill + " is named twice");
    }
  }
}

void check_target(const std::string& whose, const exit_target& target,
                  const std::set<std::string>& queue_names, std::vector<std::string>& problems) {
  if (target.what == exit_target::kind::hang_up) return;
  if (target.name.empty()) {
    problems.push_back(whose + ": the destination names no queue, flow or extension");
    return;
  }
  if (target.what == exit_target::kind::queue && !queue_names.contains(target.name)) {
    problems.push_back(whose + ": no queue named " + target.name);
  }
}

void check_queue(const queue_settings& q, const std::set<std::string>& queue_names,
                 std::vector<std::string>& problems) {
  const auto whose = "queue " + q.name;
  check_requirements(whose, q.skills, problems);
  if (detail::find_strategy(q.strategy) == nullptr) {
    std::string known;
    for (const auto name : detail::strategy_names()) {
      known += known.empty() ? "" : ", ";
      known += name;
    }
    problems.push_back(whose + ": unknown strategy " + q.strategy + " (known: " + known + ")");
  }
  if (q.ring_timeout.count() <= 0) problems.push_back(whose + ": ring_timeout must be positive");
  if (q.wrap_up.count() < 0) problems.push_back(whose + ": wrap_up cannot be negative");
  if (q.service_level_target < 0 || q.service_level_target > 1) {
    problems.push_back(whose + ": service_level_target is a fraction from 0 to 1");
  }
  for (std::size_t i = 0; i < q.overflow.size(); ++i) {
    const auto& rule = q.overflow[i];
    const auto which = whose + " overflow rule " + std::to_string(i + 1);
    const bool widens = rule.lower_min_level_by > 0 || !rule.add_skills.empty();
    if (widens == rule.move_to.has_value()) {
      problems.push_back(which + ": a rule either widens (lower_min_level_by, add_skills) or " +
                         "moves the call (move_to), one of the two");
    }
    if (rule.lower_min_level_by < 0) {
      problems.push_back(which + ": lower_min_level_by cannot be negative");
    }
    check_requirements(which, rule.add_skills, problems);
    if (rule.move_to) {
      check_target(which, *rule.move_to, queue_names, problems);
      if (rule.move_to->what == exit_target::kind::queue && rule.move_to->name == q.name) {
        problems.push_back(which + ": moves calls to the queue they are in");
      }
    }
  }
  check_target(whose + " when_no_agents", q.when_no_agents, queue_names, problems);
  check_target(whose + " when_full", q.when_full, queue_names, problems);
  check_target(whose + " when_max_wait", q.when_max_wait, queue_names, problems);
}

}  // namespace

std::vector<std::string> check_model(const acd_model& model) {
  std::vector<std::string> problems;
  std::set<std::string> agent_ids;
  for (const auto& a : model.agents) {
    const auto whose = "agent " + a.id;
    if (a.id.empty()) problems.push_back("an agent without an id");
    if (!agent_ids.insert(a.id).second) problems.push_back(whose + " is defined twice");
    if (a.extension.empty()) problems.push_back(whose + ": no extension to ring");
    std::set<std::string> skills;
    for (const auto& s : a.skills) {
      if (s.level < min_level || s.level > max_level) {
        problems.push_back(levels_problem(whose, s.skill, s.level));
      }
      if (!skills.insert(s.skill).second) {
        problems.push_back(whose + ": skill " + s.skill + " is named twice");
      }
    }
  }
  std::set<std::string> queue_names;
  for (const auto& q : model.queues) {
    if (q.name.empty()) problems.push_back("a queue without a name");
    if (!queue_names.insert(q.name).second) {
      problems.push_back("queue " + q.name + " is defined twice");
    }
  }
  for (const auto& q : model.queues) check_queue(q, queue_names, problems);
  std::set<std::string> reasons;
  for (const auto& r : model.not_ready_reasons) {
    if (r.empty()) problems.push_back("an empty not-ready reason");
    if (!reasons.insert(r).second) problems.push_back("not-ready reason " + r + " is listed twice");
  }
  return problems;
}

}  // namespace callcenterd::acd
