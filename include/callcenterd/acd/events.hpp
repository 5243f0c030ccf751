#pragma once

#include <string>
#include <string_view>

#include "callcenterd/acd/model.hpp"

namespace callcenterd::acd {

/// An agent's state as the ACD drives it. `ready` and `not_ready` are the agent's own choice
/// (the operator status); the others follow the calls.
enum class agent_state {
  logged_out,
  ready,
  not_ready,  ///< with a reason
  ringing,    ///< reserved for a call whose offer rings the agent's device
  on_call,
  wrap_up,
};

/// What an agent asked to become once the current call and its wrap-up are over.
enum class next_status {
  none,
  not_ready,  ///< with the reason given
  logged_out,
};

/// How a queued call left the queue.
enum class queue_outcome {
  answered,
  abandoned,   ///< the caller hung up while waiting or ringing
  timed_out,   ///< max wait
  overflowed,  ///< an overflow rule moved it
  blocked,     ///< refused at entry: queue full, or no agents and the policy says refuse
  callback,    ///< the caller took a callback and hung up (keeps its place)
  lost,        ///< the call vanished without a hang-up the ACD heard of (the reconciler)
};

/// Why an offer to an agent failed.
enum class offer_failure {
  no_answer,    ///< rang out (the ring timeout)
  declined,     ///< the device refused (486, 603)
  unreachable,  ///< no registered device, or it did not answer the INVITE at all
};

/// One fact of the ACD for the event log and the live views. Fields that do not apply to a
/// kind are empty or zero.
struct acd_event {
  enum class kind {
    call_enqueued,        ///< queue, priority, position
    call_offered,         ///< queue, agent
    call_connected,       ///< queue, agent, wait
    call_left,            ///< queue, outcome, wait, position, detail = where it went
    call_completed,       ///< queue, agent, talk, detail = who hung up
    offer_failed,         ///< queue, agent, detail = offer_failure
    offer_withdrawn,      ///< queue, agent: another agent answered, or the caller left
    priority_changed,     ///< queue, priority
    call_widened,         ///< queue, detail = the overflow step that applied
    agent_state_changed,  ///< agent, state, previous, reason; out of wrap-up: call, queue,
                          ///< talk and work of that call
    agent_next_status,    ///< agent, detail = what applies after the call
    agent_repaired,       ///< agent, detail = what the reconciler found
    callback_requested,   ///< queue, wait, position: the caller hung up keeping their place
    callback_dialing,     ///< queue, agent (reserved), wait, detail = the attempt's number
    callback_answered,    ///< call (the new call's id), queue, agent, wait,
                          ///< detail = the call that asked for it
    callback_failed,      ///< queue, agent (if one was reserved), reason = why (no_answer,
                          ///< busy, unreachable, abandoned, lost), detail = "retry" or
                          ///< "given_up"
  };
  kind what = kind::call_enqueued;
  instant at{};
  std::string call{};
  std::string queue{};
  std::string agent{};
  agent_state state = agent_state::logged_out;
  agent_state previous = agent_state::logged_out;
  std::string reason{};
  queue_outcome outcome = queue_outcome::answered;
  duration wait{0};
  duration talk{0};
  duration work{0};       ///< after-call work: how long the wrap-up that ends now took
  unsigned position = 0;  ///< 1 = next to be served
  int priority = 0;
  std::string detail{};
};

std::string_view to_string(agent_state state);
std::string_view to_string(next_status status);
std::string_view to_string(queue_outcome outcome);
std::string_view to_string(offer_failure failure);
std::string_view to_string(acd_event::kind what);

}  // namespace callcenterd::acd
