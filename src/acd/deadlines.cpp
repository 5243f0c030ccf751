// The engine's timers as one heap of deadlines. An entry carries the generation of what it
// times (a call's place in a queue, its ringing, an agent's wrap-up); when that has moved on
// the entry is stale and skipped, so nothing is ever searched for and cancelled.
#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

namespace {

/// In a queue, in line or being rung, dialled or resting: not yet taken and not on its way out.
bool still_queued(const call_record& call) {
  return call.in_use && call.phase != call_phase::connected && call.phase != call_phase::leaving;
}

}  // namespace

void engine::state::schedule(deadline::kind what, instant at, std::uint32_t index,
                             std::uint64_t generation) {
  deadlines.push(deadline{.at = at, .what = what, .index = index, .generation = generation});
}

void engine::state::schedule_next_step(call_index c) {
  const auto& call = calls[c];
  const auto& q = queues[call.queue];
  if (call.next_step >= q.steps.size()) return;
  schedule(deadline::kind::overflow_step, call.entered + q.steps[call.next_step].after, c,
           call.queue_generation);
}

void engine::state::schedule_escalation(call_index c) {
  const auto& call = calls[c];
  if (call.next_escalation >= call.escalation.size()) return;
  schedule(deadline::kind::escalation, call.arrived + call.escalation[call.next_escalation].after,
           c, call.escalation_generation);
}

bool engine::state::is_current(const deadline& d) const {
  switch (d.what) {
    case deadline::kind::ring_timeout: {
      const auto& call = calls[d.index];
      return call.in_use && call.phase == call_phase::ringing &&
             call.ring_generation == d.generation;
    }
    case deadline::kind::overflow_step:
      return still_queued(calls[d.index]) && calls[d.index].queue_generation == d.generation;
    case deadline::kind::max_wait: {
      const auto& call = calls[d.index];
      return call.in_use && call.queue_generation == d.generation &&
             (call.phase == call_phase::waiting || call.phase == call_phase::ringing);
    }
    case deadline::kind::escalation:
      return still_queued(calls[d.index]) && calls[d.index].escalation_generation == d.generation;
    case deadline::kind::callback_dial:
    case deadline::kind::callback_retry: {
      const auto& call = calls[d.index];
      const auto phase =
          d.what == deadline::kind::callback_dial ? call_phase::dialing : call_phase::resting;
      return call.in_use && call.phase == phase && call.ring_generation == d.generation;
    }
    case deadline::kind::wrap_up: {
      const auto& agent = agents[d.index];
      return agent.state == agent_state::wrap_up && agent.wrap_up_generation == d.generation;
    }
  }
  return false;
}

void engine::state::run(const deadline& due, instant now) {
  switch (due.what) {
    case deadline::kind::ring_timeout:
      offer_lapsed(due.index, now);
      return;
    case deadline::kind::overflow_step:
      apply_step(due.index, now);
      return;
    case deadline::kind::max_wait: {
      auto& call = calls[due.index];
      if (call.phase == call_phase::ringing) {
        schedule(deadline::kind::max_wait, now + retry_while_ringing, due.index,
                 call.queue_generation);
        return;
      }
      leave_queue(due.index, queue_outcome::timed_out, queues[call.queue].settings.when_max_wait,
                  now);
      return;
    }
    case deadline::kind::wrap_up:
      finish_wrap_up(due.index, now);
      return;
    case deadline::kind::callback_dial:
      // The call layer never said how the attempt went.
      callback_attempt_failed(due.index, "lost", now);
      return;
    case deadline::kind::callback_retry:
      resume_callback(due.index, now);
      return;
    case deadline::kind::escalation: {
      auto& call = calls[due.index];
      const auto step = call.escalation[call.next_escalation++];
      if (step.priority != call.priority)
        change_priority(due.index, step.priority, "escalation", now);
      schedule_escalation(due.index);
      return;
    }
  }
}

}  // namespace callcenterd::acd
