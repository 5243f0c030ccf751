// Matching calls and agents. A queue keeps, per overflow stage, its waiting calls by rank and
// its ready agents by its strategy's key, so the best of either side is the first of a set:
// an arriving call takes the first ready agent of its stage, a ready agent the best first call
// across the stages of the queues they serve.
#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

agent_facts engine::state::facts(const agent_record& agent, const membership& m) const {
  return agent_facts{
      .ready_since_ms =
          std::chrono::duration_cast<duration>(agent.since.time_since_epoch()).count(),
      .calls_today = agent.calls_today,
      .talk_today_ms = agent.talk_today.count(),
      .skill_score = m.skill_score,
      .position = m.position};
}

template <class Change>
void engine::state::for_each_ready_set(agent_index a, Change change) {
  const auto& agent = agents[a];
  for (const auto& m : agent.queues) {
    auto& q = queues[m.queue];
    const auto ranked = q.routing->rank(facts(agent, m), a);
    for (unsigned s = m.first_stage; s < q.stages; ++s) change(q.ready[s], ranked);
  }
}

void engine::state::enter_ready(agent_index a) {
  for_each_ready_set(a, [](ready_set& set, const ranked_agent& r) { set.insert(r); });
}

void engine::state::leave_ready(agent_index a) {
  for_each_ready_set(a, [](ready_set& set, const ranked_agent& r) { set.erase(r); });
}

void engine::state::route_call(call_index c, instant now) {
  auto& call = calls[c];
  auto& q = queues[call.queue];
  const auto& ready = q.ready[call.stage];
  if (ready.empty()) return;
  if (q.routing->rings_all()) {
    std::vector<agent_index> everyone;
    everyone.reserve(ready.size());
    for (const auto& r : ready) everyone.push_back(r.agent);
    offer(c, everyone, now);
    return;
  }
  const auto picked = q.routing->pick(ready, q.strategy_cursor);
  offer(c, {picked->agent}, now);
}

void engine::state::route_agent(agent_index a, instant now) {
  const ranked_call* best = nullptr;
  for (const auto& m : agents[a].queues) {
    const auto& q = queues[m.queue];
    for (unsigned s = m.first_stage; s < q.stages; ++s) {
      if (q.waiting[s].empty()) continue;
      const auto& head = *q.waiting[s].begin();
      if (best == nullptr || head < *best) best = &head;
    }
  }
  if (best == nullptr) return;
  const auto c = best->call;
  if (queues[calls[c].queue].routing->rings_all()) {
    route_call(c, now);
  } else {
    offer(c, {a}, now);
  }
}

void engine::state::offer(call_index c, const std::vector<agent_index>& to, instant now) {
  if (awaits_callback(c)) {
    // Nothing rings before the caller is back on the line: one agent waits for them.
    dial_callback(c, to.front(), now);
    return;
  }
  auto& call = calls[c];
  auto& q = queues[call.queue];
  q.waiting[call.stage].erase(call.place);
  call.phase = call_phase::ringing;
  call.offered_to = to;
  ++call.ring_generation;
  schedule(deadline::kind::ring_timeout, now + q.settings.ring_timeout, c, call.ring_generation);
  for (const auto a : to) {
    leave_ready(a);
    agents[a].call = c;
    emit(call_event(acd_event::kind::call_offered, c, a, now));
    change_state(a, agent_state::ringing, {}, now);
    listener.on_offer(call.id, agents[a].settings, q.settings.name);
  }
}

}  // namespace callcenterd::acd
