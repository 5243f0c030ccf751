// A call in an ACD queue: the caller, answered here, hears music while the ACD looks for an
// agent; each offer rings the agent's device as the callee leg, and only when the ACD confirms
// that the answering agent still has the offer are the two bridged. Failures go back to the
// ACD, which offers the call to someone else; the caller never notices.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "call.hpp"
#include "queue_announcement.hpp"

namespace callcenterd::call::detail {

namespace {

using speech_result = boost::system::result<std::shared_ptr<const media::prompt>>;

}  // namespace

void call::join_queue(const ivr::connect_target& target) {
  auto* router = context_->flows.queues;
  if (router == nullptr) {
    spdlog::warn("call {}: no ACD for queue {}", caller_call_id(), target.name);
    refuse_caller(404, "No Such Queue");
    return;
  }
  const auto& treatment_of = context_->flows.queue_treatment_of;
  queued_ = queue_wait{.queue = target.name,
                       .agent = {},
                       .connected = false,
                       .treatment = treatment_of ? treatment_of(target.name) : queue_treatment{},
                       .announcing = false};
  spdlog::info("call {}: waits in queue {}", caller_call_id(), target.name);
  const auto now = std::chrono::steady_clock::now();
  timeline_.set_variables(target.variables);
  timeline_.end(call_timeline::kind::ivr, "queued", now);
  timeline_.begin(call_timeline::kind::queue, {}, target.name, now);
  // Recorded when both its DID and its queue say so.
  media_->set_recorded(target_.record && queued_->treatment.record);
  play_queue_music();
  router->enqueue(uuid_, target.name, static_cast<int>(target.priority), target.escalation);
  schedule_announcement();
  schedule_callback_offer();
}

void call::play_queue_music() {
  auto music = queued_->treatment.music;
  if (!music) music = media_->hold_music();
  media_->play(leg_side::caller, music, true, false);
}

bool call::waits_in_queue() const {
  return queued_ && !queued_->connected && !finished_ && !caller_.ended;
}

void call::schedule_announcement() {
  if (!waits_in_queue() || queued_->treatment.announce_every.count() <= 0) return;
  queue_timer_.expires_after(queued_->treatment.announce_every);
  queue_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->announce_place();
  });
}

void call::announce_place() {
  if (!waits_in_queue()) return;
  context_->flows.queues->place_of(uuid_, back_on_strand<std::optional<queue_place>>(
                                              [](call& self, std::optional<queue_place> place) {
                                                if (!self.waits_in_queue()) return;
                                                if (place) {
                                                  self.say_place(*place);
                                                } else {
                                                  self.schedule_announcement();
                                                }
                                              }));
}

void call::say_place(const queue_place& place) {
  auto* speech = context_->flows.speech;
  const auto text = queue_announcement(place, queued_->treatment);
  if (speech == nullptr || text.empty()) {
    schedule_announcement();
    return;
  }
  speech->render(text, queued_->treatment.language,
                 back_on_strand<speech_result>([](call& self, speech_result said) {
                   if (!self.waits_in_queue()) return;
                   // The music stops for the announcement (its own end comes first, not
                   // counted as the announcement's) and resumes after it.
                   if (said && *said && self.media_->play(leg_side::caller, *said, false, false)) {
                     self.queued_->announcing = true;
                   } else {
                     self.schedule_announcement();
                   }
                 }));
}

bool call::announcement_done(bool interrupted) {
  if (!queued_ || !queued_->announcing) return false;
  queued_->announcing = false;
  if (!waits_in_queue()) return true;
  // Played out or cut short while the caller still waits: the music again either way.
  (void)interrupted;
  play_queue_music();
  schedule_announcement();
  return true;
}

void call::offer_to_agent(const std::string& agent, const std::string& extension,
                          const std::string& queue) {
  auto* router = context_->flows.queues;
  // Gone from the queue meanwhile: the ACD heard that from leave_acd() or sent it away itself.
  if (!waits_in_queue()) return;
  if (queue != queued_->queue) {
    // An overflow rule moved the call on inside the ACD; the record shows both waits.
    const auto now = std::chrono::steady_clock::now();
    timeline_.end(call_timeline::kind::queue, "overflowed", now);
    timeline_.begin(call_timeline::kind::queue, {}, queue, now);
    queued_->queue = queue;
  }
  if (!queued_->agent.empty() && callee_ && !callee_->ended) {
    // A ring-all queue's further offers ring beside the first.
    ring_fork(agent, extension);
    return;
  }
  const auto device = agent_device(agent, extension);
  if (!device) return;
  auto offer = media_->relay_offer(leg_side::caller, caller_offer());
  if (!offer) {
    router->offer_failed(uuid_, agent, acd::offer_failure::unreachable);
    return;
  }
  queued_->agent = agent;
  target_.what = call_target::kind::extension;
  target_.name = extension;
  cancelled_ = false;
  redirects_ = 0;
  media_->set_party(leg_side::callee, extension);
  spdlog::info("call {}: queue {} offers it to agent {} at {}", caller_call_id(), queued_->queue,
               agent, extension);
  callee_.emplace(leg_side::callee);
  callee_->path = device->path;
  send_to_callee(make_invite(*callee_, device->contact, caller_party_, std::move(*offer)));
}

std::optional<device> call::agent_device(const std::string& agent, const std::string& extension) {
  auto device = preferred_device(extension);
  if (!device) {
    spdlog::info("call {}: agent {} has no registered device at {}", caller_call_id(), agent,
                 extension);
    context_->flows.queues->offer_failed(uuid_, agent, acd::offer_failure::unreachable);
  }
  return device;
}

void call::withdraw_offer(const std::string& agent, const std::string& why) {
  if (withdraw_fork(agent, why)) return;
  if (!queued_ || queued_->connected || queued_->agent != agent) return;
  queued_->agent.clear();
  timeline_.end(call_timeline::kind::ring, why, std::chrono::steady_clock::now(), agent);
  if (callee_ && !callee_->answered && !callee_->ended && callee_invite_) {
    // Given up at once: the next offer may ring while this one's CANCEL completes, and its
    // late responses belong to an attempt that is over.
    context_->stack.cancel(callee_invite_);
    callee_->ended = true;
  }
}

void call::confirm_agent(const sip::received_message& response) {
  const auto agent = queued_->agent;
  const auto attempt = attempt_;
  auto body = response.message.body();
  context_->flows.queues->offer_answered(
      uuid_, agent, back_on_strand<bool>([attempt, body = std::move(body)](call& self, bool taken) {
        if (attempt != self.attempt_ || !self.callee_) return;
        const auto now = std::chrono::steady_clock::now();
        if (!taken || !self.waits_in_queue()) {
          self.timeline_.end(call_timeline::kind::ring, "withdrawn", now);
          // The offer was withdrawn as the agent answered (ring timeout, caller gone).
          self.send_bye(*self.callee_);
          if (self.queued_) self.queued_->agent.clear();
          self.finish_if_done();
          return;
        }
        self.queued_->connected = true;
        self.queue_timer_.cancel();
        self.timeline_.end(call_timeline::kind::ring, "answered", now);
        self.timeline_.end(call_timeline::kind::queue, "answered", now);
        self.greet_agent(body);
      }));
}

std::string call::queue_field(std::string_view name) const {
  if (name == "queue") return queued_->queue;
  if (name == "agent") return queued_->agent;
  if (name == "caller") return caller_party_.user;
  if (!flow_) return {};
  const auto value = flow_->variable(name);
  return value.is_null() ? std::string() : value.to_text();
}

void call::greet_agent(std::string body) {
  const auto& treatment = queued_->treatment;
  const auto field = [this](std::string_view name) { return queue_field(name); };
  auto whisper = fill_fields(treatment.whisper, field);
  auto announcement = fill_fields(treatment.agent_announcement, field);
  if (context_->flows.speech == nullptr || (whisper.empty() && announcement.empty())) {
    bridge_callee(body);
    return;
  }
  render_line(whisper, [body = std::move(body), announcement = std::move(announcement)](
                           call& self, const std::shared_ptr<const media::prompt>& whispered) {
    self.render_line(announcement,
                     [body, whispered](call& self, std::shared_ptr<const media::prompt> said) {
                       self.put_through(body, whispered, std::move(said));
                     });
  });
}

void call::render_line(const std::string& text,
                       std::function<void(call&, std::shared_ptr<const media::prompt>)> then) {
  if (text.empty()) {
    then(*this, nullptr);
    return;
  }
  context_->flows.speech->render(
      text, spoken_language_of(text),
      back_on_strand<speech_result>([then = std::move(then)](call& self, speech_result said) {
        // The caller may have hung up meanwhile (the agent is released with the call).
        if (!self.queued_ || !self.queued_->connected || self.finished_ || self.caller_.ended) {
          return;
        }
        then(self, said ? *said : nullptr);
      }));
}

void call::put_through(const std::string& body, const std::shared_ptr<const media::prompt>& whisper,
                       std::shared_ptr<const media::prompt> announcement) {
  bridge_callee(body);
  if (!queued_ || finished_ || caller_.ended) return;  // the bridge failed
  queued_->announcement = std::move(announcement);
  if (whisper && media_->play(leg_side::callee, whisper, false, false)) {
    queued_->whispering = true;
    play_queue_music();  // the caller waits the length of the whisper
    return;
  }
  announce_agent();
}

void call::announce_agent() {
  auto said = std::move(queued_->announcement);
  // Said in place of the music; without it the caller hears the agent at once.
  if (!said || !media_->play(leg_side::caller, said, false, false)) {
    media_->stop_playing(leg_side::caller);
  }
}

void call::agent_failed(int status) {
  callee_->ended = true;
  auto* router = context_->flows.queues;
  if (caller_.ended) {
    finish_if_done();
    return;
  }
  if (queued_->agent.empty()) return;  // withdrawn: the ACD knows
  const auto agent = std::exchange(queued_->agent, {});
  spdlog::info("call {}: agent {} did not take it ({})", caller_call_id(), agent, status);
  timeline_.end(call_timeline::kind::ring, acd::to_string(ring_failure_of(status)),
                std::chrono::steady_clock::now(), agent);
  router->offer_failed(uuid_, agent, ring_failure_of(status));
}

void call::leave_queue(acd::queue_outcome why, const acd::exit_target& target) {
  if (!waits_in_queue()) return;
  const auto queue = queued_->queue;
  timeline_.end(call_timeline::kind::queue, acd::to_string(why), std::chrono::steady_clock::now());
  queued_.reset();  // the ACD has forgotten the call
  queue_timer_.cancel();
  media_->stop_playing(leg_side::caller);
  switch (target.what) {
    case acd::exit_target::kind::flow: {
      spdlog::info("call {}: leaves queue {} for flow {}", caller_call_id(), queue, target.name);
      auto flows = flow_set_with(target.name);
      if (!flows) {
        hang_up(500, "Flow Missing");
        return;
      }
      connecting_ = false;
      run_flow(target.name, std::move(flows));
      return;
    }
    case acd::exit_target::kind::extension:
      spdlog::info("call {}: leaves queue {} for extension {}", caller_call_id(), queue,
                   target.name);
      connect_caller(ivr::connect_target{.what = ivr::connect_target::kind::extension,
                                         .name = target.name,
                                         .trunk = {},
                                         .priority = 0});
      return;
    case acd::exit_target::kind::queue:  // the ACD moves calls between queues itself
    case acd::exit_target::kind::hang_up:
      break;
  }
  spdlog::info("call {}: leaves queue {} and is hung up", caller_call_id(), queue);
  auto* speech = context_->flows.speech;
  if (target.message.empty() || speech == nullptr) {
    hang_up(200, {});
    return;
  }
  // Said, then hung up: the announcement path ends the call when the message is over.
  speech->render(target.message, spoken_language_of(target.message),
                 back_on_strand<speech_result>([](call& self, speech_result said) {
                   if (self.finished_ || self.caller_.ended) return;
                   self.target_.what = call_target::kind::announcement;
                   self.greeting_ =
                       said && self.media_->play(leg_side::caller, *said, false, false);
                   if (!self.greeting_) self.hang_up(200, {});
                 }));
}

void call::agent_transferred_away() {
  if (!queued_ || !queued_->connected) return;
  leave_acd("transfer");
}

void call::leave_acd(std::string_view agent_part) {
  if (!queued_) return;
  auto* router = context_->flows.queues;
  const auto wait = std::move(*queued_);
  queued_.reset();
  if (!wait.connected) {
    const auto now = std::chrono::steady_clock::now();
    const auto outcome = timeline_.header().ended_by == "caller" ? "abandoned" : "left";
    timeline_.end(call_timeline::kind::ring, outcome, now);
    timeline_.end(call_timeline::kind::queue, outcome, now);
  }
  if (router == nullptr) return;
  if (wait.connected) {
    if (agent_part.empty())
      agent_part = timeline_.header().ended_by == "agent" ? "agent" : "caller";
    router->call_ended(uuid_, std::string(agent_part));
  } else {
    router->caller_left(uuid_);
  }
}

}  // namespace callcenterd::call::detail
