#include "acd_wiring.hpp"

#include "time_text.hpp"

namespace callcenterd::app {

void acd_router::enqueue(const std::string& call_uuid, const std::string& queue, int priority,
                         const std::vector<acd::priority_step>& escalation) {
  acd_.enqueue(acd::call_request{
      .call = call_uuid, .queue = queue, .priority = priority, .escalation = escalation});
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

void acd_router::request_callback(const std::string& call_uuid, const acd::callback_party& to,
                                  std::function<void(bool taken)> done) {
  acd_.request_callback(call_uuid, to, std::move(done));
}

void acd_router::callback_answered(const std::string& call_uuid, const std::string& new_uuid,
                                   std::function<void(bool taken)> done) {
  acd_.callback_answered(call_uuid, new_uuid, std::move(done));
}

void acd_router::callback_failed(const std::string& call_uuid, const std::string& why) {
  acd_.callback_failed(call_uuid, why);
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
        payload["talk_ms"] = event.talk.count();
        payload["after_call_work_ms"] = event.work.count();
      }
      break;
    case kind::call_left:
      payload["outcome"] = std::string(to_string(event.outcome));
      payload["wait_ms"] = event.wait.count();
      payload["position"] = event.position;
      break;
    case kind::callback_requested:
      payload["wait_ms"] = event.wait.count();
      payload["position"] = event.position;
      break;
    case kind::callback_failed:
      payload["reason"] = event.reason;
      payload["wait_ms"] = event.wait.count();
      break;
    case kind::call_enqueued:
    case kind::priority_changed:
      payload["priority"] = event.priority;
      payload["position"] = event.position;
      break;
    case kind::call_connected:
    case kind::call_offered:
    case kind::callback_dialing:
    case kind::callback_answered:
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

namespace {

/// The value of `Enum` whose to_string() is `name`; `last` is its last enumerator.
template <class Enum>
std::optional<Enum> enum_named(std::string_view name, Enum last) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    if (acd::to_string(static_cast<Enum>(i)) == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

std::string text_of(const nlohmann::json& payload, const char* key) {
  const auto found = payload.find(key);
  return found != payload.end() && found->is_string() ? found->get<std::string>() : std::string();
}

acd::duration ms_of(const nlohmann::json& payload, const char* key) {
  const auto found = payload.find(key);
  return acd::duration{
      found != payload.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0};
}

}  // namespace

std::optional<acd::acd_event> acd_event_of(std::string_view kind, const nlohmann::json& payload) {
  using what = acd::acd_event::kind;
  const auto found = enum_named(kind, what::callback_failed);
  if (!found || !payload.is_object()) return std::nullopt;
  acd::acd_event event{.what = *found};
  event.call = text_of(payload, "call");
  event.queue = text_of(payload, "queue");
  event.agent = text_of(payload, "agent");
  event.wait = ms_of(payload, "wait_ms");
  event.talk = ms_of(payload, "talk_ms");
  event.work = ms_of(payload, "after_call_work_ms");
  event.detail = text_of(payload, "detail");
  event.reason = text_of(payload, "reason");
  if (auto state = enum_named(text_of(payload, "state"), acd::agent_state::wrap_up)) {
    event.state = *state;
  }
  if (auto previous = enum_named(text_of(payload, "previous"), acd::agent_state::wrap_up)) {
    event.previous = *previous;
  }
  if (auto outcome = enum_named(text_of(payload, "outcome"), acd::queue_outcome::lost)) {
    event.outcome = *outcome;
  }
  return event;
}

}  // namespace callcenterd::app
