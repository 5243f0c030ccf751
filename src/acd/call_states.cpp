// A queued call's life in the ACD: joining a queue (or being refused at its door), offers
// answered, failed or lapsed, overflow steps, leaving (abandon, max wait, overflow), and the
// end of the agent's part.
#include <algorithm>
#include <iterator>

#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

namespace {

/// Hops between queues one call may make (overflow and exits that name queues): a cycle of
/// rules in the config ends in a hang-up instead of a loop.
constexpr unsigned max_queue_moves = 8;

std::int64_t milliseconds_of(instant t) {
  return std::chrono::duration_cast<duration>(t.time_since_epoch()).count();
}

std::string describe(const exit_target& target) {
  switch (target.what) {
    case exit_target::kind::hang_up:
      return "hang_up";
    case exit_target::kind::queue:
      return "queue:" + target.name;
    case exit_target::kind::flow:
      return "flow:" + target.name;
    case exit_target::kind::extension:
      return "extension:" + target.name;
  }
  return "hang_up";
}

}  // namespace

call_index engine::state::new_call(const std::string& id) {
  call_index c = 0;
  if (free_calls.empty()) {
    c = static_cast<call_index>(calls.size());
    calls.emplace_back();
  } else {
    c = free_calls.back();
    free_calls.pop_back();
  }
  auto& call = calls[c];
  call.in_use = true;
  call.id = id;
  call.moves = 0;
  call.agent = no_index;
  call.offered_to.clear();
  call.callback = false;
  call.reached = false;
  call.attempts = 0;
  call.escalation.clear();
  call.next_escalation = 0;
  call.place = ranked_call{.rank = 0, .sequence = next_sequence++, .call = c};
  call_by_id.emplace(id, c);
  return c;
}

void engine::state::free_call(call_index c) {
  auto& call = calls[c];
  call_by_id.erase(call.id);
  call.in_use = false;
  call.id.clear();
  call.offered_to.clear();
  ++call.queue_generation;
  ++call.ring_generation;
  ++call.escalation_generation;
  free_calls.push_back(c);
}

void engine::state::join_queue(call_index c, queue_index q, instant now) {
  auto& call = calls[c];
  auto& queue = queues[q];
  call.queue = q;
  call.entered = now;
  call.stage = 0;
  call.next_step = 0;
  call.phase = call_phase::waiting;
  ++call.queue_generation;
  if (refuse_at_entry(c, q, now)) return;
  call.place.rank = milliseconds_of(call.arrived) - call.priority * queue.priority_weight;
  queue.in_line.insert(call.place);
  queue.arrivals.emplace(call.arrived, c);
  queue.waiting[0].insert(call.place);
  schedule_next_step(c);
  if (queue.settings.max_wait.count() > 0) {
    schedule(deadline::kind::max_wait, now + queue.settings.max_wait, c, call.queue_generation);
  }
  acd_event event{.what = acd_event::kind::call_enqueued,
                  .at = now,
                  .call = call.id,
                  .queue = queue.settings.name};
  event.priority = call.priority;
  event.position = position_of(c);
  event.wait = std::chrono::duration_cast<duration>(now - call.arrived);
  emit(event);
  route_call(c, now);
}

bool engine::state::refuse_at_entry(call_index c, queue_index q, instant now) {
  auto& queue = queues[q];
  const exit_target* target = nullptr;
  std::string why;
  if (queue.settings.max_length > 0 && queue.in_line.size() >= queue.settings.max_length) {
    target = &queue.settings.when_full;
    why = "queue full";
  } else if (queue.settings.when_no_agents_policy == no_agents_policy::refuse &&
             queue.logged_in_members == 0) {
    target = &queue.settings.when_no_agents;
    why = "no agents";
  } else {
    return false;
  }
  acd_event event{.what = acd_event::kind::call_left,
                  .at = now,
                  .call = calls[c].id,
                  .queue = queue.settings.name};
  event.outcome = queue_outcome::blocked;
  event.reason = why;
  event.detail = describe(*target);
  event.priority = calls[c].priority;
  emit(event);
  exit_to(c, queue_outcome::blocked, *target, now);
  return true;
}

void engine::state::leave_line(call_index c) {
  auto& call = calls[c];
  auto& queue = queues[call.queue];
  queue.in_line.erase(call.place);
  queue.waiting[call.stage].erase(call.place);
  if (auto it = queue.arrivals.find({call.arrived, c}); it != queue.arrivals.end()) {
    queue.arrivals.erase(it);
  }
}

unsigned engine::state::position_of(call_index c) const {
  const auto& queue = queues[calls[c].queue];
  const auto it = queue.in_line.find(calls[c].place);
  if (it == queue.in_line.end()) return 0;
  return static_cast<unsigned>(std::distance(queue.in_line.begin(), it)) + 1;
}

void engine::state::leave_queue(call_index c, queue_outcome why, const exit_target& target,
                                instant now) {
  auto& call = calls[c];
  auto& queue = queues[call.queue];
  acd_event event{
      .what = acd_event::kind::call_left, .at = now, .call = call.id, .queue = queue.settings.name};
  if (call.callback) {
    // Counted when the caller took it: its end is the callback's, not an abandon. (Only a
    // hang-up or the reconciler end a callback here; moves and max wait do not apply to it.)
    event.what = acd_event::kind::callback_failed;
    event.reason = std::string(to_string(why));
    event.detail = "given_up";
    if (!call.reached) --queue.callbacks_waiting;
  } else {
    event.outcome = why;
    event.position = position_of(c);
    event.priority = call.priority;
    if (why != queue_outcome::abandoned && why != queue_outcome::lost) {
      event.detail = describe(target);
    }
  }
  event.wait = std::chrono::duration_cast<duration>(now - call.arrived);
  leave_line(c);
  ++call.queue_generation;
  emit(event);
  // The agents still ringing go back to ready; the call is out of every set, so none of them
  // can take it again.
  call.phase = call_phase::leaving;
  withdraw_offers(c, to_string(why), now);
  if (why == queue_outcome::abandoned || why == queue_outcome::lost) {
    free_call(c);
  } else {
    exit_to(c, why, target, now);
  }
}

void engine::state::exit_to(call_index c, queue_outcome why, const exit_target& target,
                            instant now) {
  auto& call = calls[c];
  if (target.what == exit_target::kind::queue && call.moves < max_queue_moves) {
    if (auto found = queue_by_name.find(target.name); found != queue_by_name.end()) {
      ++call.moves;
      join_queue(c, found->second, now);
      return;
    }
  }
  const auto id = call.id;
  free_call(c);
  if (target.what == exit_target::kind::queue) {
    listener.on_exit(id, why, exit_target{});  // a cycle of queue moves: hang up
  } else {
    listener.on_exit(id, why, target);
  }
}

void engine::state::offer_lapsed(call_index c, instant now) {
  auto& call = calls[c];
  const auto& queue = queues[call.queue];
  std::vector<released> who;
  for (const auto a : call.offered_to) {
    acd_event event{.what = acd_event::kind::offer_failed,
                    .at = now,
                    .call = call.id,
                    .queue = queue.settings.name,
                    .agent = agents[a].settings.id};
    event.detail = std::string(to_string(offer_failure::no_answer));
    emit(event);
    // Ring-all rings everyone: letting it ring out is not a fault of any one agent.
    const auto& reason = queue.settings.no_answer_reason;
    if (queue.routing->rings_all() || reason.empty()) {
      who.push_back({a, agent_state::ready, {}});
    } else {
      who.push_back({a, agent_state::not_ready, reason});
    }
  }
  end_offers(c, std::move(who), true, to_string(offer_failure::no_answer), now);
}

void engine::state::connect(call_index c, agent_index a, instant now) {
  auto& call = calls[c];
  auto& queue = queues[call.queue];
  auto& agent = agents[a];
  std::vector<released> others;
  for (const auto other : call.offered_to) {
    if (other != a) others.push_back({other, agent_state::ready, {}});
  }
  call.offered_to.clear();
  ++call.ring_generation;
  leave_line(c);
  ++call.queue_generation;
  call.phase = call_phase::connected;
  call.agent = a;
  const auto wait = std::chrono::duration_cast<duration>(now - call.arrived);
  agent.talk_started = now;
  acd_event event{.what = acd_event::kind::call_connected,
                  .at = now,
                  .call = call.id,
                  .queue = queue.settings.name,
                  .agent = agent.settings.id};
  event.wait = wait;
  event.priority = call.priority;
  if (call.callback) event.detail = "callback";
  emit(event);
  change_state(a, agent_state::on_call, {}, now);
  if (!others.empty()) {
    emit_withdrawn(c, others, "answered elsewhere", now);
    end_offers(c, std::move(others), true, "answered_elsewhere", now);
  }
}

void engine::state::complete(call_index c, std::string_view who, instant now) {
  auto& call = calls[c];
  auto& queue = queues[call.queue];
  const auto a = call.agent;
  auto& agent = agents[a];
  const auto talk = std::chrono::duration_cast<duration>(now - agent.talk_started);
  agent.last_talk = talk;
  acd_event event{.what = acd_event::kind::call_completed,
                  .at = now,
                  .call = call.id,
                  .queue = queue.settings.name,
                  .agent = agent.settings.id};
  event.talk = talk;
  event.detail = std::string(who);
  emit(event);
  agent.call = no_index;
  agent.call_id = call.id;
  agent.call_queue = call.queue;
  agent.wrap_up_started = now;
  const auto wrap_up = queue.settings.wrap_up;
  free_call(c);
  change_state(a, agent_state::wrap_up, {}, now);
  if (wrap_up.count() > 0) {
    ++agent.wrap_up_generation;
    schedule(deadline::kind::wrap_up, now + wrap_up, a, agent.wrap_up_generation);
  } else {
    finish_wrap_up(a, now);
  }
}

void engine::state::apply_step(call_index c, instant now) {
  auto& call = calls[c];
  auto& queue = queues[call.queue];
  const auto step = queue.steps[call.next_step];
  if (step.move_to && call.callback) {
    // A callback keeps its place in this queue: only widening applies to it.
    ++call.next_step;
    schedule_next_step(c);
    return;
  }
  if (step.move_to && call.phase == call_phase::ringing) {
    // Not away from an agent whose phone rings: once the offer is over.
    schedule(deadline::kind::overflow_step, now + retry_while_ringing, c, call.queue_generation);
    return;
  }
  ++call.next_step;
  if (step.move_to) {
    leave_queue(c, queue_outcome::overflowed, *step.move_to, now);
    return;
  }
  const bool waiting = call.phase == call_phase::waiting;
  if (waiting) queue.waiting[call.stage].erase(call.place);
  call.stage = step.stage_after;
  if (waiting) queue.waiting[call.stage].insert(call.place);
  acd_event event{.what = acd_event::kind::call_widened,
                  .at = now,
                  .call = call.id,
                  .queue = queue.settings.name};
  event.detail = "stage " + std::to_string(call.stage);
  event.wait = std::chrono::duration_cast<duration>(now - call.arrived);
  emit(event);
  schedule_next_step(c);
  if (waiting) route_call(c, now);
}

void engine::state::change_priority(call_index c, int priority, std::string_view why, instant now) {
  auto& call = calls[c];
  auto& q = queues[call.queue];
  const bool waiting = call.phase == call_phase::waiting;
  leave_line(c);
  call.priority = priority;
  call.place.rank = milliseconds_of(call.arrived) - priority * q.priority_weight;
  q.in_line.insert(call.place);
  q.arrivals.emplace(call.arrived, c);
  if (waiting) q.waiting[call.stage].insert(call.place);
  acd_event event{.what = acd_event::kind::priority_changed,
                  .at = now,
                  .call = call.id,
                  .queue = q.settings.name};
  event.priority = priority;
  event.position = position_of(c);
  event.detail = std::string(why);
  emit(event);
}

boost::system::result<void> engine::offer_answered(std::string_view call, std::string_view agent,
                                                   instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  const auto c = state_->find_call(call);
  if (c == no_index) return acd_errc::offer_gone;
  // An agent's call is the one ringing them (or the one they took): while the call rings, that
  // is an open offer to them.
  if (state_->calls[c].phase != call_phase::ringing || a->call != c) return acd_errc::offer_gone;
  state_->connect(c, static_cast<agent_index>(a - state_->agents.data()), now);
  return {};
}

boost::system::result<void> engine::offer_failed(std::string_view call, std::string_view agent,
                                                 offer_failure why, instant now) {
  auto* a = state_->find_agent(agent);
  if (a == nullptr) return acd_errc::unknown_agent;
  const auto c = state_->find_call(call);
  const auto index = static_cast<agent_index>(a - state_->agents.data());
  if (c == no_index || a->call != c || state_->calls[c].phase != call_phase::ringing) {
    return acd_errc::offer_gone;
  }
  const auto& queue = state_->queues[state_->calls[c].queue];
  acd_event event{.what = acd_event::kind::offer_failed,
                  .at = now,
                  .call = std::string(call),
                  .queue = queue.settings.name,
                  .agent = a->settings.id};
  event.detail = std::string(to_string(why));
  state_->emit(event);
  // A ring-out takes the queue's reason (empty: the agent stays ready); a refusal or an
  // unreachable device is its own reason.
  std::string reason = why == offer_failure::no_answer ? queue.settings.no_answer_reason
                                                       : std::string(to_string(why));
  const auto to = reason.empty() ? agent_state::ready : agent_state::not_ready;
  state_->end_offers(c, {{index, to, std::move(reason)}}, false, {}, now);
  return {};
}

boost::system::result<void> engine::call_ended(std::string_view call, std::string_view who,
                                               instant now) {
  const auto c = state_->find_call(call);
  if (c == no_index || state_->calls[c].phase != call_phase::connected) {
    return acd_errc::unknown_call;
  }
  state_->complete(c, who, now);
  return {};
}

}  // namespace callcenterd::acd
