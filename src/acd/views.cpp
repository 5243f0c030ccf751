// The live state for the API and the wallboard, read from memory: queues with today's KPIs
// (KPIS.md), agents, waiting calls with their estimated waits; and the day's reset and the
// reconciler, which walk the same records.
#include <algorithm>
#include <tuple>

#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

namespace {

std::optional<double> ratio(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

bool is_staffed(agent_state s) {
  return s == agent_state::ready || s == agent_state::ringing || s == agent_state::on_call ||
         s == agent_state::wrap_up;
}

}  // namespace

std::optional<duration> engine::state::estimated_wait(const queue_record& q,
                                                      unsigned position) const {
  // Ready agents take the first callers at once.
  const auto ready_now = static_cast<unsigned>(q.ready[0].size());
  if (position <= ready_now) return duration{0};
  // The agents working the queue free up one after another at a rate of one per handle time
  // each; an agent who also serves other queues with callers in line gives this one a share.
  double capacity = 0;
  for (const auto& [a, first_stage] : q.members) {
    if (first_stage != 0 || !is_staffed(agents[a].state)) continue;
    unsigned busy_queues = 1;
    for (const auto& m : agents[a].queues) {
      const auto& other = queues[m.queue];
      if (&other != &q && !other.in_line.empty()) ++busy_queues;
    }
    capacity += 1.0 / busy_queues;
  }
  if (capacity == 0) return std::nullopt;
  const auto handle = q.recent_handle_times.mean(q.settings.expected_handle_time);
  const double ahead = position - ready_now;
  return duration{
      static_cast<std::int64_t>(ahead * static_cast<double>(handle.count()) / capacity)};
}

queue_view engine::state::view_of(const queue_record& q, instant now) const {
  queue_view view;
  view.name = q.settings.name;
  view.waiting = static_cast<unsigned>(q.in_line.size());
  view.callbacks = q.callbacks_waiting;
  if (!q.arrivals.empty()) {
    view.oldest_wait = std::chrono::duration_cast<duration>(now - q.arrivals.begin()->first);
  }
  view.ewt = estimated_wait(q, view.waiting + 1);
  for (const auto& [a, first_stage] : q.members) {
    if (first_stage != 0) continue;
    switch (agents[a].state) {
      case agent_state::logged_out:
        continue;
      case agent_state::ready:
        ++view.ready;
        break;
      case agent_state::ringing:
        ++view.ringing;
        break;
      case agent_state::on_call:
        ++view.on_call;
        break;
      case agent_state::wrap_up:
        ++view.wrap_up;
        break;
      case agent_state::not_ready:
        ++view.not_ready;
        break;
    }
    ++view.logged_in;
  }
  const auto& t = q.today;
  view.today = t;
  const auto counted = t.offered - t.short_abandoned;
  view.service_level = ratio(t.answered_within_threshold, counted);
  view.abandon_rate = ratio(t.abandoned - t.short_abandoned, counted);
  if (t.answered > 0) {
    view.average_speed_of_answer = t.wait_of_answered / static_cast<std::int64_t>(t.answered);
  }
  return view;
}

std::pair<std::string, std::string> engine::state::current_call(const agent_record& agent) const {
  if (agent.call != no_index) {
    return {calls[agent.call].id, queues[calls[agent.call].queue].settings.name};
  }
  if (!agent.call_id.empty()) return {agent.call_id, queues[agent.call_queue].settings.name};
  return {};
}

agent_view engine::state::view_of(const agent_record& a) const {
  agent_view view{.id = a.settings.id,
                  .name = a.settings.name,
                  .extension = a.settings.extension,
                  .teams = a.settings.teams,
                  .skills = a.settings.skills,
                  .state = a.state,
                  .reason = a.reason,
                  .since = a.since};
  std::tie(view.call, view.queue) = current_call(a);
  view.next = a.next;
  view.next_reason = a.next_reason;
  view.calls_today = a.calls_today;
  view.talk_today = a.talk_today;
  return view;
}

std::vector<queue_view> engine::queues(instant now) const {
  std::vector<queue_view> views;
  views.reserve(state_->queues.size());
  for (const auto& q : state_->queues) views.push_back(state_->view_of(q, now));
  return views;
}

std::optional<queue_view> engine::queue(std::string_view name, instant now) const {
  auto found = state_->queue_by_name.find(std::string(name));
  if (found == state_->queue_by_name.end()) return std::nullopt;
  return state_->view_of(state_->queues[found->second], now);
}

std::vector<agent_view> engine::agents() const {
  std::vector<agent_view> views;
  views.reserve(state_->agents.size());
  for (const auto& a : state_->agents) views.push_back(state_->view_of(a));
  return views;
}

std::optional<agent_view> engine::agent(std::string_view id) const {
  const auto* a = state_->find_agent(id);
  if (a == nullptr) return std::nullopt;
  return state_->view_of(*a);
}

std::vector<waiting_call_view> engine::waiting_calls(std::string_view name, instant now) const {
  std::vector<waiting_call_view> views;
  auto found = state_->queue_by_name.find(std::string(name));
  if (found == state_->queue_by_name.end()) return views;
  const auto& q = state_->queues[found->second];
  unsigned position = 0;
  for (const auto& place : q.in_line) {
    const auto& call = state_->calls[place.call];
    views.push_back(waiting_call_view{
        .call = call.id,
        .queue = q.settings.name,
        .priority = call.priority,
        .position = ++position,
        .waited = std::chrono::duration_cast<duration>(now - call.arrived),
        .ewt = state_->estimated_wait(q, position),
        .ringing = call.phase == call_phase::ringing || call.phase == call_phase::dialing,
        .callback = state_->awaits_callback(place.call)});
  }
  return views;
}

std::optional<waiting_call_view> engine::waiting_call(std::string_view id, instant now) const {
  const auto c = state_->find_call(id);
  if (c == no_index) return std::nullopt;
  const auto& call = state_->calls[c];
  if (call.phase == call_phase::connected) return std::nullopt;
  const auto& q = state_->queues[call.queue];
  const auto position = state_->position_of(c);
  return waiting_call_view{
      .call = call.id,
      .queue = q.settings.name,
      .priority = call.priority,
      .position = position,
      .waited = std::chrono::duration_cast<duration>(now - call.arrived),
      .ewt = state_->estimated_wait(q, position),
      .ringing = call.phase == call_phase::ringing || call.phase == call_phase::dialing,
      .callback = state_->awaits_callback(c)};
}

void engine::start_new_day() {
  // Strategies rank by today's calls and talk time: ready agents are ranked afresh.
  std::vector<agent_index> ready;
  for (agent_index a = 0; a < state_->agents.size(); ++a) {
    if (state_->agents[a].state == agent_state::ready) {
      state_->leave_ready(a);
      ready.push_back(a);
    }
  }
  for (auto& agent : state_->agents) {
    agent.calls_today = 0;
    agent.talk_today = duration{0};
  }
  for (auto& q : state_->queues) q.today = queue_counters{};
  for (const auto a : ready) state_->enter_ready(a);
}

void engine::reconcile(const std::function<bool(std::string_view call)>& alive, instant now) {
  std::vector<call_index> gone;
  for (call_index c = 0; c < state_->calls.size(); ++c) {
    const auto& call = state_->calls[c];
    // A callback's caller is away by design; its attempts have their own deadline.
    if (call.in_use && !state_->awaits_callback(c) && !alive(call.id)) gone.push_back(c);
  }
  for (const auto c : gone) {
    auto& call = state_->calls[c];
    if (!call.in_use) continue;
    const auto id = call.id;
    const auto queue = state_->queues[call.queue].settings.name;
    const bool connected = call.phase == call_phase::connected;
    const auto stuck = connected ? std::vector<agent_index>{call.agent} : call.offered_to;
    if (connected) {
      state_->complete(c, "lost", now);
    } else {
      state_->leave_queue(c, queue_outcome::lost, {}, now);
    }
    for (const auto a : stuck) {
      acd_event event{.what = acd_event::kind::agent_repaired,
                      .at = now,
                      .call = id,
                      .queue = queue,
                      .agent = state_->agents[a].settings.id};
      event.detail =
          connected ? "on call for a call that is gone" : "ringing for a call that is gone";
      event.state = state_->agents[a].state;
      state_->emit(event);
    }
  }
}

}  // namespace callcenterd::acd
