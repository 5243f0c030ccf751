// Queue callbacks (virtual hold). A caller who takes the callback hangs up; their call stays in
// line at its place, by its first arrival, and is routed like any other. When an agent would
// be offered it, the agent is reserved instead and the call layer calls the caller back; once
// the caller answers, the reserved agent's offer rings as it would have for a caller who
// waited on the line. An attempt that does not reach the caller frees the agent, and the call
// rests in its place until the queue's retry delay has passed.
#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

namespace {

/// The engine fails an attempt the call layer never reported on this long after the caller's
/// phone should have stopped ringing: a reserved agent never waits on a lost call.
constexpr duration callback_report_margin{std::chrono::seconds(10)};

}  // namespace

void engine::state::dial_callback(call_index c, agent_index a, instant now) {
  auto& call = calls[c];
  auto& q = queues[call.queue];
  q.waiting[call.stage].erase(call.place);
  call.phase = call_phase::dialing;
  call.offered_to = {a};
  ++call.ring_generation;
  ++call.attempts;
  leave_ready(a);
  agents[a].call = c;
  schedule(deadline::kind::callback_dial,
           now + q.settings.callback.ring_timeout + callback_report_margin, c,
           call.ring_generation);
  auto event = call_event(acd_event::kind::callback_dialing, c, a, now);
  event.detail = std::to_string(call.attempts);
  emit(event);
  change_state(a, agent_state::ringing, "callback", now);
  listener.on_callback_due(call.id, agents[a].settings, q.settings.name, call.callback_to);
}

void engine::state::callback_attempt_failed(call_index c, std::string_view why, instant now) {
  auto& call = calls[c];
  auto& q = queues[call.queue];
  const bool last = call.attempts >= q.settings.callback.attempts;
  const auto reserved = call.offered_to;
  call.offered_to.clear();
  ++call.ring_generation;
  auto event = call_event(acd_event::kind::callback_failed, c,
                          reserved.empty() ? no_index : reserved.front(), now);
  event.reason = std::string(why);
  event.detail = last ? "given_up" : "retry";
  emit(event);
  if (last) {
    --q.callbacks_waiting;
    leave_line(c);
    free_call(c);
  } else {
    // Still in line (positions and EWT count it), but nobody is offered it while it rests.
    call.phase = call_phase::resting;
    schedule(deadline::kind::callback_retry, now + q.settings.callback.retry_delay, c,
             call.ring_generation);
  }
  for (const auto a : reserved) {
    agents[a].call = no_index;
    become_ready(a, now);
  }
}

void engine::state::resume_callback(call_index c, instant now) {
  auto& call = calls[c];
  call.phase = call_phase::waiting;
  queues[call.queue].waiting[call.stage].insert(call.place);
  route_call(c, now);
}

boost::system::result<void> engine::request_callback(std::string_view call, callback_party to,
                                                     instant now) {
  const auto c = state_->find_call(call);
  if (c == no_index) return acd_errc::unknown_call;
  auto& record = state_->calls[c];
  auto& q = state_->queues[record.queue];
  if (record.callback || q.settings.callback.offer_after.count() == 0) {
    return acd_errc::no_callback;
  }
  if (record.phase != call_phase::waiting && record.phase != call_phase::ringing) {
    return acd_errc::unknown_call;
  }
  record.callback = true;
  record.callback_to = std::move(to);
  record.reached = false;
  record.attempts = 0;
  ++q.callbacks_waiting;
  // Max wait and overflow moves are for callers on the line: their deadlines lapse, and only
  // the widening steps are scheduled again.
  ++record.queue_generation;
  state_->schedule_next_step(c);
  acd_event event{.what = acd_event::kind::callback_requested,
                  .at = now,
                  .call = record.id,
                  .queue = q.settings.name};
  event.wait = std::chrono::duration_cast<duration>(now - record.arrived);
  event.position = state_->position_of(c);
  event.priority = record.priority;
  state_->emit(event);
  // A ringing offer is withdrawn: back in line, then routed, so the agent it rang may be
  // reserved for the callback at once.
  state_->withdraw_offers(c, "callback", now);
  return {};
}

boost::system::result<void> engine::callback_answered(std::string_view call,
                                                      std::string_view new_call, instant now) {
  const auto c = state_->find_call(call);
  if (c == no_index) return acd_errc::unknown_call;
  auto& record = state_->calls[c];
  if (record.phase != call_phase::dialing) return acd_errc::offer_gone;
  const std::string id(new_call);
  if (id != record.id && state_->call_by_id.contains(id)) return acd_errc::already_queued;
  auto& q = state_->queues[record.queue];
  const auto asked = record.id;
  state_->call_by_id.erase(record.id);
  record.id = id;
  state_->call_by_id.emplace(id, c);
  record.reached = true;
  --q.callbacks_waiting;
  if (record.offered_to.empty()) {
    // The reserved agent left meanwhile: the caller waits for the next, first in line.
    auto event = state_->call_event(acd_event::kind::callback_answered, c, no_index, now);
    event.detail = asked;
    state_->emit(event);
    state_->resume_callback(c, now);
    return {};
  }
  // The reserved agent's offer rings now, as it would have for a caller on the line.
  const auto a = record.offered_to.front();
  auto event = state_->call_event(acd_event::kind::callback_answered, c, a, now);
  event.detail = asked;
  state_->emit(event);
  record.phase = call_phase::ringing;
  ++record.ring_generation;
  state_->schedule(deadline::kind::ring_timeout, now + q.settings.ring_timeout, c,
                   record.ring_generation);
  state_->emit(state_->call_event(acd_event::kind::call_offered, c, a, now));
  state_->listener.on_offer(id, state_->agents[a].settings, q.settings.name);
  return {};
}

boost::system::result<void> engine::callback_failed(std::string_view call, std::string_view why,
                                                    instant now) {
  const auto c = state_->find_call(call);
  if (c == no_index) return acd_errc::unknown_call;
  if (state_->calls[c].phase != call_phase::dialing) return acd_errc::offer_gone;
  state_->callback_attempt_failed(c, why, now);
  return {};
}

}  // namespace callcenterd::acd
