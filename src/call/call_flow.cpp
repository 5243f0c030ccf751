// A call that runs a flow: the flow's requests (prompts, speech, timers, where to send the
// caller) done with the call's media and legs, and the call's events (keys, prompts played
// out, a callee's answer or failure) told to the flow. A DID that names a queue takes the same
// way to the queue, without a flow.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "flow_link.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

template <class Result, class Report>
std::function<void(Result)> flow_link::reply_to_flow(Report report) const {
  return owner_.back_on_strand<Result>([report](call& self, Result result) {
    if (self.flow_) report(*self.flow_, std::move(result));
  });
}

bool flow_link::play(const std::shared_ptr<const media::prompt>& audio, bool interruptible) {
  return owner_.media_->play(leg_side::caller, audio, false, interruptible);
}

void flow_link::stop_playing() { owner_.media_->stop_playing(leg_side::caller); }

void flow_link::speak(std::uint64_t token, std::string text, media::speech_language language) {
  auto deliver = reply_to_flow<std::shared_ptr<const media::prompt>>(
      [token](ivr::flow_session& flow, std::shared_ptr<const media::prompt> audio) {
        flow.on_speech(token, std::move(audio));
      });
  auto* speech = owner_.context_->flows.speech;
  if (speech == nullptr) {
    deliver(nullptr);
    return;
  }
  if (auto cached = speech->cached(text, language)) {
    deliver(std::move(cached));
    return;
  }
  speech->render(text, language,
                 [deliver, call_id = owner_.caller_call_id(),
                  text](boost::system::result<std::shared_ptr<const media::prompt>> result) {
                   if (!result) {
                     spdlog::warn("call {}: cannot say \"{}\": {}", call_id, text,
                                  result.error().message());
                     deliver(nullptr);
                     return;
                   }
                   deliver(std::move(*result));
                 });
}

void flow_link::start_timer(std::uint64_t token, std::chrono::milliseconds after) {
  owner_.flow_timer_.expires_after(after);
  owner_.flow_timer_.async_wait(
      [weak = owner_.weak_from_this(), token](boost::system::error_code ec) {
        if (ec) return;  // armed again, or the call finished
        if (auto self = weak.lock(); self && self->flow_) self->flow_->on_timer(token);
      });
}

void flow_link::connect(const ivr::connect_target& target) {
  asio::post(owner_.strand_,
             [self = owner_.shared_from_this(), target] { self->connect_caller(target); });
}

void flow_link::lookup(std::uint64_t token, const config::query_settings& query,
                       std::vector<ivr::value> parameters) {
  auto deliver = reply_to_flow<ivr::lookup_result>(
      [token](ivr::flow_session& flow, ivr::lookup_result result) {
        flow.on_lookup(token, std::move(result));
      });
  const auto& run = owner_.context_->flows.lookup;
  if (!run) {
    deliver(ivr::lookup_result{.error = "no database for lookups"});
    return;
  }
  run(query, std::move(parameters), std::move(deliver));
}

void flow_link::hang_up(std::string_view reason) {
  asio::post(owner_.strand_, [self = owner_.shared_from_this(), why = std::string(reason)] {
    spdlog::info("call {}: the flow ends the call ({})", self->caller_call_id(), why);
    self->hang_up(200, {});
  });
}

void flow_link::record_step(const ivr::flow_step& step) {
  spdlog::debug("call {}: flow {} node {}: {} {}", owner_.caller_call_id(), step.flow, step.node,
                ivr::to_string(step.what), step.detail);
  if (owner_.context_->flows.record_step) owner_.context_->flows.record_step(owner_.uuid_, step);
}

std::shared_ptr<const ivr::flow_set> call::flow_set_with(const std::string& name) const {
  auto flows = context_->flows.current_flows ? context_->flows.current_flows() : nullptr;
  if (flows && flows->find(name) != nullptr) return flows;
  spdlog::error("call {}: flow {} is not in the flow set in force", caller_call_id(), name);
  return nullptr;
}

void call::start_flow() {
  // The loader checks every DID's flow; only a set swapped under a running daemon without it
  // (a bug) lacks it.
  auto flows = flow_set_with(target_.name);
  if (!flows) {
    refuse_caller(500, "Flow Missing");
    return;
  }
  if (!answer_locally()) return;
  run_flow(target_.name, std::move(flows));
}

void call::run_flow(const std::string& name, std::shared_ptr<const ivr::flow_set> flows) {
  count(context_->flows_started);
  spdlog::info("call {}: runs flow {} (flow set version {})", caller_call_id(), name,
               flows->version());
  std::vector<std::pair<std::string, ivr::value>> variables{
      {"caller_number", ivr::value(caller_party_.user)},
      {"caller_name", ivr::value(caller_party_.display)},
      {"did", ivr::value(caller_.invite.request_uri().user)},
      {"call_id", ivr::value(uuid_)},
  };
  // A flow left for another drops its session first: the old coroutine ends at its next
  // wake-up without touching the call.
  flow_.reset();
  const auto now = std::chrono::steady_clock::now();
  timeline_.end(call_timeline::kind::ivr, "left", now);
  timeline_.begin(call_timeline::kind::ivr, name, {}, now);
  if (!flow_link_) flow_link_ = std::make_unique<flow_link>(*this);
  flow_ = ivr::flow_session::create(
      strand_, *flow_link_,
      ivr::flow_session_settings{
          .flows = std::move(flows), .flow = name, .variables = std::move(variables), .clock = {}});
  flow_->start();
}

void call::start_queue() {
  if (!answer_locally()) return;
  connect_caller(
      ivr::connect_target{.what = ivr::connect_target::kind::queue, .name = target_.name});
}

void call::connect_caller(const ivr::connect_target& target) {
  if (finished_ || caller_.ended) return;
  connecting_ = true;
  cancelled_ = false;
  redirects_ = 0;
  trunk_ = nullptr;
  trunk_auth_sent_ = false;
  std::shared_ptr<const media::prompt> waiting = context_->flows.ringback;
  switch (target.what) {
    case ivr::connect_target::kind::queue:
      join_queue(target);
      return;
    case ivr::connect_target::kind::extension:
      target_.what = call_target::kind::extension;
      target_.name = target.name;
      break;
    case ivr::connect_target::kind::number: {
      target_.what = call_target::kind::trunk;
      target_.number = target.name;
      target_.name = target.trunk;
      if (target_.name.empty()) {
        // The flow is the admin's: unlike a trunk's caller dialling out, it may route a call
        // from a trunk back out through one.
        const auto routed = context_->plan.route(target.name, false);
        if (routed.what != call_target::kind::trunk) {
          spdlog::warn("call {}: no trunk for {}", caller_call_id(), target.name);
          refuse_caller(404, "No Route");
          return;
        }
        target_.name = routed.name;
      }
      break;
    }
  }
  spdlog::info("call {}: handing the caller to {}", caller_call_id(),
               target_.what == call_target::kind::trunk ? target_.number : target_.name);
  if (waiting) media_->play(leg_side::caller, waiting, true, false);
  dial_target();
}

bool call::give_back_to_flow() {
  if (!connecting_ || !caller_.answered || caller_.ended || finished_) return false;
  connecting_ = false;
  media_->stop_playing(leg_side::caller);
  if (callee_ && !callee_->answered && !callee_->ended) cancel_callee();
  // A callee that was cancelled is given up here: its late final response changes nothing.
  if (callee_) callee_->ended = true;
  leave_acd();
  if (!flow_ || !flow_->running()) return false;
  spdlog::info("call {}: {} was not reached; the flow goes on", caller_call_id(), target_.name);
  timeline_.resume(call_timeline::kind::ivr, std::chrono::steady_clock::now());
  flow_->on_connected(false);
  return true;
}

}  // namespace callcenterd::call::detail
