// Agent state changes: every one an event with the state before it, and the candidate sets
// kept in step (an agent is in a queue's ready set exactly while ready).
#include <algorithm>
#include <tuple>

#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

void engine::state::change_state(agent_index a, agent_state to, std::string reason, instant now) {
  auto& agent = agents[a];
  const auto previous = agent.state;
  if (previous == agent_state::logged_out && to != agent_state::logged_out) {
    for (const auto& m : agent.queues) ++queues[m.queue].logged_in_members;
  } else if (previous != agent_state::logged_out && to == agent_state::logged_out) {
    for (const auto& m : agent.queues) --queues[m.queue].logged_in_members;
  }
  agent.state = to;
  agent.reason = std::move(reason);
  agent.since = now;
  acd_event event{.what = acd_event::kind::agent_state_changed, .at = now};
  event.agent = agent.settings.id;
  event.state = to;
  event.previous = previous;
  event.reason = agent.reason;
  std::tie(event.call, event.queue) = current_call(agent);
  if (previous == agent_state::wrap_up) {
    event.talk = agent.last_talk;
    event.work = std::chrono::duration_cast<duration>(now - agent.wrap_up_started);
  }
  emit(event);
}

void engine::state::make_ready(agent_index a, instant now) {
  change_state(a, agent_state::ready, {}, now);
  enter_ready(a);
}

void engine::state::become_ready(agent_index a, instant now) {
  make_ready(a, now);
  route_agent(a, now);
}

void engine::state::log_out_now(agent_index a, instant now) {
  auto& agent = agents[a];
  agent.next = next_status::none;
  agent.next_reason.clear();
  switch (agent.state) {
    case agent_state::ringing:
      end_offers(agent.call, {{a, agent_state::logged_out, {}}}, true, "logged_out", now);
      return;
    case agent_state::ready:
      leave_ready(a);
      break;
    default:
      break;
  }
  change_state(a, agent_state::logged_out, {}, now);
}

void engine::state::set_next(agent_index a, next_status next, std::string reason, instant now) {
  auto& agent = agents[a];
  agent.next = next;
  agent.next_reason = std::move(reason);
  acd_event event{.what = acd_event::kind::agent_next_status, .at = now};
  event.agent = agent.settings.id;
  event.detail = std::string(to_string(next));
  event.reason = agent.next_reason;
  emit(event);
}

void engine::state::finish_wrap_up(agent_index a, instant now) {
  auto& agent = agents[a];
  ++agent.wrap_up_generation;
  const auto next = agent.next;
  auto reason = std::move(agent.next_reason);
  agent.next = next_status::none;
  agent.next_reason.clear();
  switch (next) {
    case next_status::none:
      become_ready(a, now);
      break;
    case next_status::not_ready:
      change_state(a, agent_state::not_ready, std::move(reason), now);
      break;
    case next_status::logged_out:
      change_state(a, agent_state::logged_out, {}, now);
      break;
  }
  // After the state event, which still names the call the wrap-up was for.
  agent.call_id.clear();
  agent.call_queue = no_index;
}

void engine::state::emit_withdrawn(call_index c, const std::vector<released>& who,
                                   std::string_view why, instant now) {
  const auto& call = calls[c];
  for (const auto& r : who) {
    acd_event withdrawn{.what = acd_event::kind::offer_withdrawn,
                        .at = now,
                        .call = call.id,
                        .queue = queues[call.queue].settings.name,
                        .agent = agents[r.agent].settings.id};
    withdrawn.detail = std::string(why);
    emit(withdrawn);
  }
}

void engine::state::withdraw_offers(call_index c, std::string_view why, instant now) {
  std::vector<released> ringing;
  for (const auto a : calls[c].offered_to) ringing.push_back({a, agent_state::ready, {}});
  if (ringing.empty()) return;
  emit_withdrawn(c, ringing, why, now);
  end_offers(c, std::move(ringing), true, why, now);
}

acd_event engine::state::call_event(acd_event::kind what, call_index c, agent_index a,
                                    instant now) const {
  const auto& call = calls[c];
  acd_event event{.what = what,
                  .at = now,
                  .call = call.id,
                  .queue = queues[call.queue].settings.name,
                  .agent = a == no_index ? std::string() : agents[a].settings.id};
  event.wait = std::chrono::duration_cast<duration>(now - call.arrived);
  event.priority = call.priority;
  return event;
}

void engine::state::end_offers(call_index c, std::vector<released> who, bool tell_call,
                               std::string_view why, instant now) {
  auto& call = calls[c];
  for (const auto& r : who) {
    std::erase(call.offered_to, r.agent);
    agents[r.agent].call = no_index;
    if (tell_call) listener.on_offer_withdrawn(call.id, agents[r.agent].settings.id, why);
  }
  if (call.offered_to.empty() && call.phase == call_phase::ringing) {
    ++call.ring_generation;
    call.phase = call_phase::waiting;
    queues[call.queue].waiting[call.stage].insert(call.place);
  }
  // Every state first, then the routing: ring-all must see all its agents ready again.
  for (auto& r : who) {
    if (r.to == agent_state::ready) {
      make_ready(r.agent, now);
    } else {
      change_state(r.agent, r.to, std::move(r.reason), now);
    }
  }
  if (calls[c].in_use && calls[c].phase == call_phase::waiting) route_call(c, now);
  for (const auto& r : who) {
    if (agents[r.agent].state == agent_state::ready) route_agent(r.agent, now);
  }
}

}  // namespace callcenterd::acd
