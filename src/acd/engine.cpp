// The engine's construction from the model (who may serve which queue from which overflow
// stage on), and its public entry points, each a check of the request and then the operation
// in the file of its concern.
#include "callcenterd/acd/engine.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

namespace {

/// Strict priority: a point of priority outweighs any wait a call can have (about 31 years).
constexpr std::int64_t strict_priority_weight = 1'000'000'000'000;

bool meets(const agent_settings& agent, const std::vector<skill_requirement>& needs) {
  return std::all_of(needs.begin(), needs.end(), [&](const skill_requirement& need) {
    return std::any_of(agent.skills.begin(), agent.skills.end(), [&](const agent_skill& s) {
      return s.skill == need.skill && s.level >= need.min_level;
    });
  });
}

std::int64_t skill_score(const agent_settings& agent, const std::vector<skill_requirement>& needs) {
  std::int64_t score = 0;
  for (const auto& need : needs) {
    for (const auto& s : agent.skills) {
      if (s.skill == need.skill) score += s.level;
    }
  }
  return score;
}

/// Who may take a queue's calls at each stage: the queue's skills with levels lowered by the
/// widening steps so far, or any secondary skill set added so far.
std::vector<std::vector<std::vector<skill_requirement>>> stage_requirements(
    const queue_settings& queue, const std::vector<overflow_rule>& rules) {
  std::vector<std::vector<std::vector<skill_requirement>>> stages{{queue.skills}};
  int lowered = 0;
  std::vector<std::vector<skill_requirement>> secondary;
  for (const auto& rule : rules) {
    if (rule.move_to) continue;
    lowered += rule.lower_min_level_by;
    if (!rule.add_skills.empty()) secondary.push_back(rule.add_skills);
    auto primary = queue.skills;
    for (auto& need : primary) need.min_level = std::max(1, need.min_level - lowered);
    std::vector<std::vector<skill_requirement>> any_of{primary};
    any_of.insert(any_of.end(), secondary.begin(), secondary.end());
    stages.push_back(std::move(any_of));
  }
  return stages;
}

}  // namespace

void handle_time_window::add(duration handle) {
  if (count_ == capacity)
    total_ -= values_[next_];
  else
    ++count_;
  values_[next_] = handle;
  total_ += handle;
  next_ = (next_ + 1) % capacity;
}

duration handle_time_window::mean(duration fallback) const {
  if (count_ == 0) return fallback;
  return total_ / static_cast<std::int64_t>(count_);
}

engine::state::state(engine_listener& l, const acd_model& model, std::uint64_t random_seed)
    : listener(l), not_ready_reasons(model.not_ready_reasons) {
  // Only the strategies that draw (random) use it, each from a seed of its own.
  std::mt19937_64 random(random_seed);
  agents.resize(model.agents.size());
  for (std::size_t i = 0; i < model.agents.size(); ++i) {
    agents[i].settings = model.agents[i];
    agent_by_id.emplace(model.agents[i].id, static_cast<agent_index>(i));
  }
  queues.resize(model.queues.size());
  for (std::size_t qi = 0; qi < model.queues.size(); ++qi) {
    auto& q = queues[qi];
    q.settings = model.queues[qi];
    q.routing = find_strategy(q.settings.strategy);
    q.strategy_cursor = q.routing->initial_cursor(random());
    q.priority_weight = q.settings.priority_aging.count() > 0 ? q.settings.priority_aging.count()
                                                              : strict_priority_weight;
    auto rules = q.settings.overflow;
    std::stable_sort(rules.begin(), rules.end(),
                     [](const auto& a, const auto& b) { return a.after < b.after; });
    unsigned stage = 0;
    for (const auto& rule : rules) {
      if (!rule.move_to) ++stage;
      q.steps.push_back(
          overflow_step{.after = rule.after, .stage_after = stage, .move_to = rule.move_to});
    }
    q.stages = stage + 1;
    q.waiting.resize(q.stages);
    q.ready.resize(q.stages);
    q.requirements = stage_requirements(q.settings, rules);
    queue_by_name.emplace(q.settings.name, static_cast<queue_index>(qi));
  }
  for (std::size_t ai = 0; ai < agents.size(); ++ai) join_queues(static_cast<agent_index>(ai));
}

void engine::state::join_queues(agent_index a) {
  auto& agent = agents[a];
  for (std::size_t qi = 0; qi < queues.size(); ++qi) {
    auto& q = queues[qi];
    for (unsigned s = 0; s < q.stages; ++s) {
      const auto& any_of = q.requirements[s];
      if (std::none_of(any_of.begin(), any_of.end(),
                       [&](const auto& needs) { return meets(agent.settings, needs); })) {
        continue;
      }
      // The agent's index is their place in config order: round robin goes by it, and it
      // stays the same when the agent's skills change.
      agent.queues.push_back(
          membership{.queue = static_cast<queue_index>(qi),
                     .first_stage = s,
                     .skill_score = skill_score(agent.settings, q.settings.skills),
                     .position = static_cast<std::int64_t>(a)});
      const auto at = std::lower_bound(q.members.begin(), q.members.end(), std::pair{a, 0U});
      q.members.emplace(at, a, s);
      break;
    }
  }
}

void engine::state::leave_queues(agent_index a) {
  auto& agent = agents[a];
  for (const auto& m : agent.queues) {
    auto& members = queues[m.queue].members;
    std::erase_if(members, [a](const auto& member) { return member.first == a; });
  }
  agent.queues.clear();
}

agent_record* engine::state::find_agent(std::string_view id) {
  auto found = agent_by_id.find(std::string(id));
  return found == agent_by_id.end() ? nullptr : &agents[found->second];
}

const agent_record* engine::state::find_agent(std::string_view id) const {
  auto found = agent_by_id.find(std::string(id));
  return found == agent_by_id.end() ? nullptr : &agents[found->second];
}

call_index engine::state::find_call(std::string_view id) const {
  auto found = call_by_id.find(std::string(id));
  return found == call_by_id.end() ? no_index : found->second;
}

bool engine::state::is_reason(std::string_view reason) const {
  return std::find(not_ready_reasons.begin(), not_ready_reasons.end(), reason) !=
         not_ready_reasons.end();
}

engine::engine(engine_listener& listener, const acd_model& model, std::uint64_t random_seed) {
  if (auto problems = check_model(model); !problems.empty()) {
    throw std::invalid_argument("ACD model: " + problems.front());
  }
  state_ = std::make_unique<state>(listener, model, random_seed);
}

engine::~engine() = default;

bool engine::restore_skills(std::string_view agent, std::vector<agent_skill> skills, instant now) {
  const auto* record = state_->find_agent(agent);
  if (record == nullptr || record->skills_set) return false;
  return set_skills(agent, std::move(skills), now).has_value();
}

boost::system::result<void> engine::set_skills(std::string_view agent,
                                               std::vector<agent_skill> skills, instant now) {
  auto* record = state_->find_agent(agent);
  if (record == nullptr) return acd_errc::unknown_agent;
  for (auto it = skills.begin(); it != skills.end(); ++it) {
    if (it->level < 1 || it->level > 10 || it->skill.empty() ||
        std::any_of(std::next(it), skills.end(),
                    [&](const agent_skill& other) { return other.skill == it->skill; })) {
      return acd_errc::bad_skills;
    }
  }
  const auto a = static_cast<agent_index>(record - state_->agents.data());
  const bool ready = record->state == agent_state::ready;
  const bool logged_in = record->state != agent_state::logged_out;
  // Out of the candidate sets and counts under the old skills, back in under the new ones.
  if (ready) state_->leave_ready(a);
  if (logged_in) {
    for (const auto& m : record->queues) --state_->queues[m.queue].logged_in_members;
  }
  state_->leave_queues(a);
  record->settings.skills = std::move(skills);
  record->skills_set = true;
  state_->join_queues(a);
  if (logged_in) {
    for (const auto& m : record->queues) ++state_->queues[m.queue].logged_in_members;
  }
  if (ready) {
    state_->enter_ready(a);
    state_->route_agent(a, now);
  }
  return {};
}

boost::system::result<void> engine::log_in(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  if (a->state != agent_state::logged_out) return {};
  state_->become_ready(static_cast<agent_index>(a - state_->agents.data()), now);
  return {};
}

boost::system::result<void> engine::log_out(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  const auto index = static_cast<agent_index>(a - state_->agents.data());
  switch (a->state) {
    case agent_state::logged_out:
      return {};
    case agent_state::on_call:
    case agent_state::wrap_up:
      state_->set_next(index, next_status::logged_out, {}, now);
      return {};
    default:
      state_->log_out_now(index, now);
      return {};
  }
}

boost::system::result<void> engine::set_ready(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  const auto index = static_cast<agent_index>(a - state_->agents.data());
  switch (a->state) {
    case agent_state::ready:
    case agent_state::ringing:
      return {};
    case agent_state::on_call:
      state_->set_next(index, next_status::none, {}, now);
      return {};
    case agent_state::wrap_up:
      state_->set_next(index, next_status::none, {}, now);
      state_->finish_wrap_up(index, now);
      return {};
    case agent_state::logged_out:
    case agent_state::not_ready:
      state_->become_ready(index, now);
      return {};
  }
  return {};
}

boost::system::result<void> engine::set_not_ready(std::string_view agent, std::string_view reason,
                                                  instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  if (!state_->is_reason(reason)) return acd_errc::unknown_reason;
  const auto index = static_cast<agent_index>(a - state_->agents.data());
  switch (a->state) {
    case agent_state::on_call:
    case agent_state::wrap_up:
      state_->set_next(index, next_status::not_ready, std::string(reason), now);
      return {};
    case agent_state::ringing:
      state_->end_offers(a->call, {{index, agent_state::not_ready, std::string(reason)}}, true,
                         "not_ready", now);
      return {};
    case agent_state::ready:
      state_->leave_ready(index);
      [[fallthrough]];
    case agent_state::logged_out:
    case agent_state::not_ready:
      state_->change_state(index, agent_state::not_ready, std::string(reason), now);
      return {};
  }
  return {};
}

boost::system::result<void> engine::end_wrap_up(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  if (a->state != agent_state::wrap_up) return acd_errc::not_in_wrap_up;
  state_->finish_wrap_up(static_cast<agent_index>(a - state_->agents.data()), now);
  return {};
}

void engine::device_lost(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr || a->state != agent_state::ringing) return;
  const auto call = state_->calls[a->call].id;
  (void)offer_failed(call, agent, offer_failure::unreachable, now);
}

void engine::device_registered(std::string_view agent, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr || a->state != agent_state::not_ready ||
      a->reason != to_string(offer_failure::unreachable)) {
    return;
  }
  state_->become_ready(static_cast<agent_index>(a - state_->agents.data()), now);
}

boost::system::result<void> engine::enqueue(const call_request& request, instant now) {
  auto found = state_->queue_by_name.find(request.queue);
  if (found == state_->queue_by_name.end()) return acd_errc::unknown_queue;
  if (state_->call_by_id.contains(request.call)) return acd_errc::already_queued;
  if (request.priority < 0 || request.priority > max_priority) return acd_errc::bad_priority;
  for (const auto& step : request.escalation) {
    if (step.priority < 0 || step.priority > max_priority) return acd_errc::bad_priority;
  }
  const auto c = state_->new_call(request.call);
  auto& call = state_->calls[c];
  call.priority = request.priority;
  call.arrived = now;
  call.escalation = request.escalation;
  std::stable_sort(
      call.escalation.begin(), call.escalation.end(),
      [](const priority_step& a, const priority_step& b) { return a.after < b.after; });
  // Before it joins: a call refused at the door is freed, and its escalation with it.
  state_->schedule_escalation(c);
  state_->join_queue(c, found->second, now);
  return {};
}

boost::system::result<void> engine::caller_left(std::string_view call, instant now) {
  const auto c = state_->find_call(call);
  if (c == no_index) return acd_errc::unknown_call;
  // The caller who took a callback hangs up; the call waits on for them.
  if (state_->awaits_callback(c)) return {};
  if (state_->calls[c].phase == call_phase::connected) return call_ended(call, "caller", now);
  state_->leave_queue(c, queue_outcome::abandoned, {}, now);
  return {};
}

boost::system::result<void> engine::set_priority(std::string_view call, int priority, instant now) {
  if (priority < 0 || priority > max_priority) return acd_errc::bad_priority;
  const auto index = state_->find_call(call);
  if (index == no_index || state_->calls[index].phase == call_phase::connected) {
    return acd_errc::unknown_call;
  }
  state_->change_priority(index, priority, {}, now);
  return {};
}

void engine::advance(instant now) {
  while (!state_->deadlines.empty() && state_->deadlines.top().at <= now) {
    const auto due = state_->deadlines.top();
    state_->deadlines.pop();
    if (state_->is_current(due)) state_->run(due, now);
  }
  while (!state_->deadlines.empty() && !state_->is_current(state_->deadlines.top())) {
    state_->deadlines.pop();
  }
}

std::optional<instant> engine::next_deadline() const {
  if (state_->deadlines.empty()) return std::nullopt;
  return state_->deadlines.top().at;
}

}  // namespace callcenterd::acd
