// Ring-all: a queue whose strategy offers a call to every candidate at once. The first offer
// rings as the callee leg; each further one, while that rings, rings as a fork with the same
// offer of ours (one media session, whichever device answers). Every answer asks the ACD
// whether the call is that agent's: the first it confirms takes the call and the ACD withdraws
// the others, which are cancelled (or hung up on, had they answered too). A fork whose answer
// is taken becomes the callee leg, so the whisper, the bridge and all that follows are the
// same as for a single offer.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "call.hpp"

namespace callcenterd::call::detail {

std::vector<fork_ring>::iterator call::fork_with(std::uint64_t id) {
  return std::find_if(forks_.begin(), forks_.end(),
                      [id](const fork_ring& fork) { return fork.id == id; });
}

void call::ring_fork(const std::string& agent, const std::string& extension) {
  const auto device = agent_device(agent, extension);
  if (!device) return;
  fork_ring fork;
  fork.id = ++fork_ids_;
  fork.agent = agent;
  fork.extension = extension;
  fork.ringing.path = device->path;
  auto invite = make_invite(fork.ringing, device->contact, caller_party_, callee_->invite.body());
  spdlog::info("call {}: queue {} rings agent {} at {} as well", caller_call_id(), queued_->queue,
               agent, extension);
  timeline_.begin(call_timeline::kind::ring, agent, queued_->queue,
                  std::chrono::steady_clock::now());
  fork.invite = context_->stack.send_request(
      std::move(invite), fork.ringing.path,
      on_strand([id = fork.id](call& self, const sip::client_event& event) {
        self.on_fork_event(id, event);
      }));
  forks_.push_back(std::move(fork));
}

void call::on_fork_event(std::uint64_t id, const sip::client_event& event) {
  const int status = event.timed_out() ? 408 : event.response.message.status();
  if (status < 200) return;
  auto fork = fork_with(id);
  if (fork == forks_.end()) {
    // The fork that became the callee leg: its 2xx comes again when our ACK was lost.
    if (id == promoted_fork_ && status < 300 && callee_) acknowledge_again(*callee_);
    return;
  }
  if (status >= 300) {
    const auto agent = fork->agent;
    spdlog::info("call {}: agent {} did not take it ({})", caller_call_id(), agent, status);
    timeline_.end(call_timeline::kind::ring, acd::to_string(ring_failure_of(status)),
                  std::chrono::steady_clock::now(), agent);
    forks_.erase(fork);
    if (waits_in_queue())
      context_->flows.queues->offer_failed(uuid_, agent, ring_failure_of(status));
    return;
  }
  if (fork->ringing.answered) {
    acknowledge_again(fork->ringing);
    return;
  }
  if (!confirm_answer(fork->ringing, event.response)) {
    timeline_.end(call_timeline::kind::ring, "unreachable", std::chrono::steady_clock::now(),
                  fork->agent);
    const auto agent = fork->agent;
    forks_.erase(fork);
    if (waits_in_queue())
      context_->flows.queues->offer_failed(uuid_, agent, acd::offer_failure::unreachable);
    return;
  }
  if (!waits_in_queue()) {
    send_bye(fork->ringing);
    forks_.erase(fork);
    return;
  }
  context_->flows.queues->offer_answered(
      uuid_, fork->agent,
      back_on_strand<bool>([id, body = event.response.message.body()](call& self, bool taken) {
        self.on_fork_confirmed(id, taken, body);
      }));
}

void call::on_fork_confirmed(std::uint64_t id, bool taken, const std::string& body) {
  auto fork = fork_with(id);
  if (fork == forks_.end()) return;  // withdrawn meanwhile, and hung up then
  const auto now = std::chrono::steady_clock::now();
  if (!taken || !waits_in_queue()) {
    timeline_.end(call_timeline::kind::ring, "withdrawn", now, fork->agent);
    send_bye(fork->ringing);
    forks_.erase(fork);
    return;
  }
  // The ACD has withdrawn every other offer, the callee leg's included; one that answered as
  // well is hung up on here, as its own confirmation can no longer reach it.
  if (callee_ && !callee_->ended) {
    if (callee_->answered) {
      send_bye(*callee_);
    } else if (callee_invite_) {
      context_->stack.cancel(callee_invite_);
      callee_->ended = true;
    }
  }
  spdlog::info("call {}: agent {} answered first", caller_call_id(), fork->agent);
  promoted_fork_ = id;
  ++attempt_;  // what the former callee leg still sends is stale
  callee_ = std::move(fork->ringing);
  callee_invite_ = fork->invite;
  queued_->agent = fork->agent;
  target_.what = call_target::kind::extension;
  target_.name = fork->extension;
  media_->set_party(leg_side::callee, fork->extension);
  forks_.erase(fork);
  queued_->connected = true;
  queue_timer_.cancel();
  timeline_.end(call_timeline::kind::ring, "answered", now, queued_->agent);
  timeline_.end(call_timeline::kind::queue, "answered", now);
  greet_agent(body);
}

bool call::withdraw_fork(const std::string& agent, std::string_view why) {
  const auto fork = std::find_if(forks_.begin(), forks_.end(),
                                 [&](const fork_ring& f) { return f.agent == agent; });
  if (fork == forks_.end()) return false;
  timeline_.end(call_timeline::kind::ring, why, std::chrono::steady_clock::now(), agent);
  if (fork->ringing.answered) {
    send_bye(fork->ringing);
  } else {
    // Given up at once, as a withdrawn callee leg is: its late responses find no fork.
    context_->stack.cancel(fork->invite);
  }
  forks_.erase(fork);
  return true;
}

void call::cancel_forks() {
  while (!forks_.empty()) withdraw_fork(forks_.front().agent, "cancelled");
}

}  // namespace callcenterd::call::detail
