// Today's counters, kept from the engine's own events: each event that counts (a call joins a
// queue, leaves it, connects, completes; an agent's wrap-up ends) adds to its queue's and
// agent's figures here and nowhere else. A restarted daemon replays the day's stored events
// through the same function (engine::restore_today), so the figures after a restart are the
// ones the engine would have had.
#include "engine_state.hpp"

namespace callcenterd::acd {

using namespace detail;

void engine::state::count(const acd_event& event) {
  const auto found = queue_by_name.find(event.queue);
  if (found == queue_by_name.end()) return;
  auto& q = queues[found->second];
  auto* agent = event.agent.empty() ? nullptr : find_agent(event.agent);
  using kind = acd_event::kind;
  switch (event.what) {
    case kind::call_enqueued:
      ++q.today.offered;
      break;
    case kind::call_left:
      if (event.outcome == queue_outcome::blocked) {
        ++q.today.blocked;
      } else {
        count_departure(q, event.outcome, event.wait);
      }
      break;
    case kind::call_connected:
      if (agent != nullptr) ++agent->calls_today;
      if (event.detail == "callback") {
        // Counted as a callback when the caller took it; its answer is the callback's.
        ++q.today.callbacks_connected;
        q.today.wait_of_callbacks += event.wait;
        break;
      }
      ++q.today.answered;
      q.today.wait_of_answered += event.wait;
      if (event.wait <= q.settings.service_level_threshold) ++q.today.answered_within_threshold;
      break;
    case kind::callback_requested:
      ++q.today.callback;
      break;
    case kind::callback_failed:
      if (event.detail == "given_up") ++q.today.callbacks_failed;
      break;
    case kind::call_completed:
      q.today.talk += event.talk;
      if (agent != nullptr) agent->talk_today += event.talk;
      break;
    case kind::agent_state_changed:
      // Out of wrap-up for a call: the call's handling is over.
      if (event.previous == agent_state::wrap_up) {
        q.today.after_call_work += event.work;
        ++q.today.completed;
        q.recent_handle_times.add(event.talk + event.work);
      }
      break;
    default:
      break;
  }
}

void engine::state::count_departure(queue_record& q, queue_outcome why, duration wait) {
  auto& today = q.today;
  switch (why) {
    case queue_outcome::abandoned:
      ++today.abandoned;
      if (wait <= q.settings.short_abandon) {
        ++today.short_abandoned;
      } else {
        today.wait_of_abandoned += wait;
      }
      break;
    case queue_outcome::timed_out:
      ++today.timed_out;
      break;
    case queue_outcome::overflowed:
      ++today.overflowed;
      break;
    case queue_outcome::callback:
      ++today.callback;
      break;
    case queue_outcome::lost:
      ++today.lost;
      break;
    case queue_outcome::answered:
    case queue_outcome::blocked:
      break;
  }
}

void engine::restore_today(const std::vector<acd_event>& day) {
  for (const auto& event : day) state_->count(event);
}

}  // namespace callcenterd::acd
