#include "acd_wiring.hpp"

#include "time_text.hpp"

namespace callcenterd::app {

void acd_router::enqueue(const std::string& call_uuid, const std::string& queue, int priority) {
  acd_.enqueue(acd::call_request{.call = call_uuid, .queue = queue, .priority = priority});
}

void acd_router::caller_left(const std::string& call_uuid) { acd_.caller_left(call_uuid); }

void acd_router::offer_answered(const std::string& call_uuid, const std::string& agent,
                                std::function<void(bool taken)> done) {
  acd_.offer_answered(call_uuid, agent, std::move(done));
}

void acd_router::offer_failed(const std::string& call_uuid, const std::string& agent,
                              acd::offer_failure why) {
  acd_.offer_failed(call_uuid, agent, why);
}

void acd_router::call_ended(const std::string& call_uuid, const std::string& who) {
  acd_.call_ended(call_uuid, who);
}

void acd_router::place_of(const std::string& call_uuid,
                          std::function<void(std::optional<call::queue_place>)> done) {
  acd_.run([call_uuid, done = std::move(done)](acd::engine& engine, acd::instant now) {
    const auto waiting = engine.waiting_call(call_uuid, now);
    if (!waiting) {
      done(std::nullopt);
      return;
    }
    call::queue_place place{.position = waiting->position, .ewt = std::nullopt};
    if (waiting->ewt) {
      place.ewt = std::chrono::duration_cast<std::chrono::seconds>(*waiting->ewt);
    }
    done(place);
  });
}

store::event acd_event_record(const acd::acd_event& event) {
  using kind = acd::acd_event::kind;
  const auto at = wall_time_of(event.at);
  nlohmann::json payload{
      {"at_ms",
       std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count()}};
  if (!event.queue.empty()) payload["queue"] = event.queue;
  if (!event.agent.empty()) payload["agent"] = event.agent;
  if (!event.call.empty()) payload["call"] = event.call;
  switch (event.what) {
    case kind::agent_state_changed:
      payload["state"] = std::string(to_string(event.state));
      payload["previous"] = std::string(to_string(event.previous));
      if (!event.reason.empty()) payload["reason"] = event.reason;
      if (event.previous == acd::agent_state::wrap_up) {
        payload["after_call_work_ms"] = event.work.count();
      }
      break;
    case kind::call_left:
      payload["outcome"] = std::string(to_string(event.outcome));
      payload["wait_ms"] = event.wait.count();
      payload["position"] = event.position;
      break;
    case kind::call_enqueued:
    case kind::priority_changed:
      payload["priority"] = event.priority;
      payload["position"] = event.position;
      break;
    case kind::call_connected:
    case kind::call_offered:
      payload["wait_ms"] = event.wait.count();
      break;
    case kind::call_completed:
      payload["talk_ms"] = event.talk.count();
      break;
    default:
      break;
  }
  if (!event.detail.empty()) payload["detail"] = event.detail;
  if (event.what == kind::call_left && !event.reason.empty()) payload["reason"] = event.reason;
  const bool agent_only = event.call.empty();
  return store::make_event(std::string(to_string(event.what)),
                           agent_only ? event.agent : event.call, std::move(payload));
}

}  // namespace callcenterd::app
