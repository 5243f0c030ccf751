// Commands an agent gives a call through the API (CTI): hang up, hold and resume from our end
// (no re-INVITE: the media engine plays music to the caller and silence to the agent), keys
// sent to the caller, the recording paused for card numbers, and blind transfers to an
// extension or a queue. Each runs on the call's strand and answers at once.
#include <spdlog/spdlog.h>

#include "call.hpp"

namespace callcenterd::call::detail {

namespace {

command_result refused(command_outcome outcome, std::string message) {
  return {outcome, std::move(message)};
}

}  // namespace

void call::run_command(const call_command& command,
                       const std::function<void(command_result)>& done) {
  using kind = call_command::kind;
  if (finished_ || caller_.ended) {
    done(refused(command_outcome::no_such_call, "the call is over"));
    return;
  }
  command_result result;
  switch (command.what) {
    case kind::hang_up:
      if (result = check_talking(); result.outcome == command_outcome::done) {
        spdlog::info("call {}: hung up by the agent's request", caller_call_id());
        timeline_.ended_by(queued_ ? "agent" : "callee");
        hang_up(480, "Temporarily Unavailable");
      }
      break;
    case kind::hold:
    case kind::resume:
      result = hold_by_agent(command.what == kind::hold);
      break;
    case kind::send_dtmf:
      result = send_digits(command.digits);
      break;
    case kind::pause_recording:
    case kind::resume_recording:
      result = pause_recording(command.what == kind::pause_recording);
      break;
    case kind::transfer:
      result = transfer_caller(command.to);
      break;
  }
  done(std::move(result));
}

command_result call::check_talking() const {
  const bool bridged = caller_.answered && callee_ && callee_->answered && !callee_->ended;
  if (!bridged || (queued_ && !queued_->connected)) {
    return refused(command_outcome::wrong_state, "the call is not talking to an agent");
  }
  if (transfer_ || pending_) {
    return refused(command_outcome::wrong_state, "the call is being transferred or renegotiated");
  }
  if (queued_ && queued_->whispering) {
    return refused(command_outcome::wrong_state, "the agent still hears the whisper");
  }
  return {};
}

command_result call::hold_by_agent(bool on) {
  if (auto talking = check_talking(); talking.outcome != command_outcome::done) return talking;
  if (held_by_agent_ == on) {
    return refused(command_outcome::wrong_state,
                   on ? "the caller is on hold already" : "the caller is not on hold");
  }
  if (!media_->hold_other(leg_side::callee, on)) {
    return refused(command_outcome::unavailable, "the call's media does not pass through here");
  }
  held_by_agent_ = on;
  const auto party = party_of(leg_side::callee);
  const auto now = std::chrono::steady_clock::now();
  if (on) {
    if (!timeline_.is_open(call_timeline::kind::hold, party)) {
      timeline_.begin(call_timeline::kind::hold, party, {}, now);
    }
  } else {
    timeline_.end(call_timeline::kind::hold, "resumed", now, party);
  }
  spdlog::info("call {}: {} by the agent", caller_call_id(), on ? "held" : "resumed");
  return {};
}

command_result call::send_digits(const std::string& digits) {
  if (auto talking = check_talking(); talking.outcome != command_outcome::done) return talking;
  for (const char key : digits) {
    if (!media_->send_dtmf(leg_side::caller, key)) {
      return refused(command_outcome::unavailable,
                     "the caller's side takes no keys as telephone events (RFC 4733)");
    }
  }
  return {};
}

command_result call::pause_recording(bool pause) {
  if (auto talking = check_talking(); talking.outcome != command_outcome::done) return talking;
  if (recording_paused_ == pause) {
    return refused(command_outcome::wrong_state,
                   pause ? "the recording is paused already" : "the recording is not paused");
  }
  const bool changed = pause ? media_->pause_recording() : media_->resume_recording();
  if (!changed) return refused(command_outcome::unavailable, "the call is not being recorded");
  recording_paused_ = pause;
  spdlog::info("call {}: recording {}", caller_call_id(), pause ? "paused" : "resumed");
  return {};
}

command_result call::transfer_caller(const transfer_destination& to) {
  if (auto talking = check_talking(); talking.outcome != command_outcome::done) return talking;
  if (to.what == transfer_destination::kind::queue) return requeue_caller(to.name);
  const auto target = context_->plan.route(to.name);
  if (target.what != call_target::kind::extension) {
    return refused(command_outcome::unknown_target, "no extension " + to.name);
  }
  if (!preferred_device(target.name)) {
    return refused(command_outcome::target_offline,
                   "extension " + target.name + " has no registered device");
  }
  spdlog::info("call {}: the agent transfers the caller to {}", caller_call_id(), target.name);
  const auto now = std::chrono::steady_clock::now();
  timeline_.begin(call_timeline::kind::transfer, party_of(leg_side::callee), {}, now, target.name);
  transfer_.emplace();
  transfer_->referrer = leg_side::callee;
  transfer_->attempt = ++attempt_;
  transfer_->referrer_released = true;
  // The agent is free at once (their wrap-up begins); the caller hears music meanwhile.
  if (held_by_agent_) timeline_.end(call_timeline::kind::hold, "transferred", now);
  held_by_agent_ = true;
  media_->hold_other(leg_side::callee, true);
  send_bye(*callee_);
  agent_transferred_away();
  ring_transfer_target(target.name);
  return {};
}

command_result call::requeue_caller(const std::string& queue) {
  if (context_->flows.queues == nullptr) {
    return refused(command_outcome::unknown_target, "no ACD takes queued calls");
  }
  spdlog::info("call {}: the agent transfers the caller to queue {}", caller_call_id(), queue);
  const auto now = std::chrono::steady_clock::now();
  const auto agent = party_of(leg_side::callee);
  if (held_by_agent_) {
    media_->hold_other(leg_side::callee, false);
    held_by_agent_ = false;
  }
  timeline_.begin(call_timeline::kind::transfer, agent, {}, now, queue);
  timeline_.end(call_timeline::kind::transfer, "completed", now);
  timeline_.end(call_timeline::kind::talk, "transferred", now);
  send_bye(*callee_);
  agent_transferred_away();
  count(context_->transferred);
  ivr::connect_target target;
  target.what = ivr::connect_target::kind::queue;
  target.name = queue;
  target.variables = timeline_.variables();
  join_queue(target);
  return {};
}

}  // namespace callcenterd::call::detail

namespace callcenterd::call {

std::string_view to_string(call_command::kind what) {
  using kind = call_command::kind;
  switch (what) {
    case kind::hang_up:
      return "hang_up";
    case kind::hold:
      return "hold";
    case kind::resume:
      return "resume";
    case kind::send_dtmf:
      return "send_dtmf";
    case kind::pause_recording:
      return "pause_recording";
    case kind::resume_recording:
      return "resume_recording";
    case kind::transfer:
      return "transfer";
  }
  return "unknown";
}

}  // namespace callcenterd::call
