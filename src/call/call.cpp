#include "call.hpp"

#include <spdlog/spdlog.h>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/media/dtmf.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/user_agent.hpp"
#include "flow_link.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

call::call(std::shared_ptr<call_context> context, call_target target, std::string sip_call_id)
    : context_(std::move(context)),
      strand_(asio::make_strand(context_->io)),
      uuid_(core::make_uuid()),
      target_(std::move(target)),
      media_(context_->media.create(strand_, media_call_info{.call_uuid = uuid_,
                                                             .sip_call_id = std::move(sip_call_id),
                                                             .record = target_.record,
                                                             .hold_music = target_.hold_music})),
      ring_timer_(strand_),
      probe_timer_(strand_),
      flow_timer_(strand_),
      queue_timer_(strand_),
      timeline_(wall_clock::now(), std::chrono::steady_clock::now()),
      callback_timer_(strand_) {
  media_->set_listener(this);
  timeline_.header().call = uuid_;
  timeline_.watch([board = &context_->board](const call_timeline& timeline) {
    board->put(timeline.live_view());
  });
}

call::call(std::shared_ptr<call_context> context, sip::received_message invite,
           sip::server_handle transaction, call_target target)
    : call(std::move(context), std::move(target),
           std::string(invite.message.header("Call-ID").value_or(""))) {
  caller_invite_ = transaction;
  auto tag = sip::new_token();
  if (auto d = sip::dialog_from_request(invite, tag)) {
    caller_.dialog = std::move(*d);
    caller_.has_dialog = true;
  } else {
    // Still indexable, so a CANCEL finds the call; start() refuses it with 400.
    caller_.dialog.call_id = std::string(invite.message.header("Call-ID").value_or(""));
    caller_.dialog.local_tag = std::move(tag);
  }
  if (auto from = sip::parse_name_addr(invite.message.header("From").value_or(""))) {
    caller_party_ = {from->display_name, from->uri.user};
  }
  caller_.contact = contact_for(invite.source);
  media_->set_party(leg_side::caller, caller_party_.user);
  caller_.invite = std::move(invite.message);
  auto& record = timeline_.header();
  record.sip_call_id = caller_.dialog.call_id;
  record.caller = caller_party_.user;
  record.caller_name = caller_party_.display;
  record.dialed = caller_.invite.request_uri().user;
}

call::~call() = default;

std::string call::callee_party() const {
  if (queued_ && !queued_->agent.empty()) return queued_->agent;
  return target_.what == call_target::kind::trunk ? target_.number : target_.name;
}

std::string call::party_of(leg_side side) const {
  return side == leg_side::caller ? std::string("caller") : callee_party();
}

void call::write_record() {
  auto record = timeline_.finish(std::chrono::steady_clock::now());
  if (context_->flows.record_call) context_->flows.record_call(record);
}

std::string call::contact_for(const sip::flow& path) const {
  std::string contact = "<sip:callcenterd@" + context_->stack.contact_host_port(path);
  if (path.transport != sip::transport_kind::udp) {
    contact += ";transport=";
    contact += sip::config_name(path.transport);
  }
  contact += '>';
  return contact;
}

void call::start() {
  if (callback_) {
    dial_back();
    return;
  }
  count(context_->started);
  if (!caller_.has_dialog) {
    refuse_caller(400, "Missing or Bad Dialog Headers");
    return;
  }
  // RFC 4028: the caller's Session-Expires is checked before anything rings.
  const auto timer = negotiate_as_uas(caller_.invite);
  if (timer.too_small) {
    refuse_short_interval(caller_invite_, caller_.invite);
    caller_.ended = true;
    count(context_->failed);
    finish_if_done();
    return;
  }
  caller_.timer = timer.timer;
  switch (target_.what) {
    case call_target::kind::flow:
      start_flow();
      return;
    case call_target::kind::queue:
      start_queue();
      return;
    case call_target::kind::extension:
    case call_target::kind::trunk:
      if (target_.greeting) {
        greet_then_dial();
      } else {
        dial_target();
      }
      return;
    case call_target::kind::announcement:
      announce();
      return;
    case call_target::kind::reject:
      if (target_.status == 404) count(context_->not_found);
      refuse_caller(target_.status, target_.reason);
      return;
  }
}

bool call::answer_locally() {
  auto body = media_->answer_locally(leg_side::caller, caller_.invite.body());
  if (!body) {
    refuse_caller(488, "Not Acceptable Here");
    return false;
  }
  count(context_->answered_locally);
  spdlog::info("call {}: answered locally for {}", caller_call_id(), target_.name);
  answer_caller(std::move(*body));
  return true;
}

void call::greet_then_dial() {
  if (!answer_locally()) return;
  greeting_ = media_->play(leg_side::caller, target_.greeting, false, true);
  // Without media of our own there is nothing to hear: ring at once.
  if (!greeting_) dial_target();
}

void call::announce() {
  if (!answer_locally()) return;
  // An announcement is heard to the end: keys do not cut it short.
  greeting_ = target_.greeting && media_->play(leg_side::caller, target_.greeting, false, false);
  if (!greeting_) hang_up(500, "No Announcement");
}

void call::dial_target() {
  media_->set_party(leg_side::callee,
                    target_.what == call_target::kind::trunk ? target_.number : target_.name);
  if (target_.what == call_target::kind::trunk) {
    dial_trunk();
  } else {
    dial(target_.name);
  }
}

void call::on_playback_done(leg_side side, bool interrupted) {
  if (queued_ && queued_->connected) {
    // The whisper's end brings the agent's announcement to the caller; the end of that, and of
    // the music either replaces, concerns nobody.
    if (side == leg_side::callee && queued_->whispering) {
      queued_->whispering = false;
      if (!finished_ && !caller_.ended) announce_agent();
    }
    return;
  }
  if (side == leg_side::caller && announcement_done(interrupted)) return;
  if (side == leg_side::caller && flow_) flow_->on_playback_done(interrupted);
  if (side != leg_side::caller || !greeting_ || finished_ || caller_.ended) return;
  greeting_ = false;
  if (target_.what == call_target::kind::announcement) {
    hang_up(200, {});
  } else {
    dial_target();
  }
}

void call::on_dtmf(leg_side side, char key) {
  spdlog::debug("call {}: key {} from the {}", caller_call_id(), key,
                side == leg_side::caller ? "caller" : "callee");
  if (side == leg_side::caller && waits_in_queue() && queued_->callback_offered &&
      key == queued_->treatment.callback.key) {
    take_callback();
    return;
  }
  if (side == leg_side::caller && flow_) flow_->on_key(key);
}

void call::answer_caller(std::string body) {
  respond(caller_invite_, caller_.invite, 200, {}, std::move(body));
  caller_.answered = true;
  timeline_.caller_answered(std::chrono::steady_clock::now());
  if (caller_.timer) start_session_timer(caller_, *caller_.timer);
  schedule_probes();
}

void call::refuse_caller(int status, std::string_view reason) {
  if (callback_ && !caller_.answered) {
    // Our own INVITE to the caller: given up (CANCEL), not answered with a status.
    if (!caller_.ended && dial_back_invite_) context_->stack.cancel(dial_back_invite_);
    dial_back_failed("unreachable", status);
    return;
  }
  if (give_back_to_flow()) return;
  // A caller we answered ourselves (a greeting, then a callee that failed) is sent a BYE.
  if (caller_.answered) send_bye(caller_);
  if (!caller_.answered && !caller_.ended) {
    respond(caller_invite_, caller_.invite, status, reason);
    if (status >= 300) {
      count(context_->failed);
      timeline_.refused(status);
    }
  }
  caller_.ended = true;
  finish_if_done();
}

void call::respond(sip::server_handle transaction, const sip::sip_message& request, int status,
                   std::string_view reason, std::string body) {
  auto response = sip::make_tagged_response(request, status, reason, caller_.dialog.local_tag,
                                            context_->settings.server_header);
  // Our tag toward the callee differs from the caller's: responses to the callee's requests
  // already carry its To tag, so the tag above only ever lands on the caller's INVITE.
  if (status < 300 && status > 100) {
    const auto& which = leg_of(request);
    response.add_header("Contact", which.contact);
    const bool refreshes = request.method() == "INVITE" || request.method() == "UPDATE";
    if (status >= 200 && refreshes && which.timer) add_timer_headers(response, *which.timer);
  }
  if (status == 200 || status == 405) response.add_header("Allow", sip::user_agent::allow_header());
  if (status == 503) response.add_header("Retry-After", "5");
  if (!body.empty()) {
    response.add_header("Content-Type", "application/sdp");
    response.set_body(std::move(body));
  }
  context_->stack.respond(transaction, std::move(response));
}

leg& call::leg_of(const sip::sip_message& message) {
  const auto call_id = message.header("Call-ID").value_or("");
  if (callee_ && call_id == callee_->dialog.call_id) return *callee_;
  if (transfer_ && call_id == transfer_->target_leg.dialog.call_id) return transfer_->target_leg;
  return caller_;
}

void call::send_bye(leg& which) {
  if (which.ended || !which.has_dialog) return;
  auto bye = sip::make_in_dialog_request(which.dialog, "BYE", which.contact);
  // Nothing to do with the answer: the leg is over either way.
  context_->stack.send_request(std::move(bye), which.dialog.path, [](const sip::client_event&) {});
  which.ended = true;
}

void call::acknowledge(leg& which, sip::sip_message ack) {
  which.ack = std::move(ack);
  context_->stack.send_ack(*which.ack, which.dialog.path);
}

void call::acknowledge_again(const leg& which) {
  if (which.ack) context_->stack.send_ack(*which.ack, which.dialog.path);
}

void call::hang_up(int status, std::string_view reason) {
  if (finished_) return;
  timeline_.ended_by("system");  // unless a party ended it first
  if (transfer_) {
    auto& target = transfer_->target_leg;
    if (target.answered) {
      send_bye(target);
    } else if (transfer_->invite) {
      context_->stack.cancel(transfer_->invite);
    }
    transfer_.reset();
  }
  cancel_forks();
  if (callee_ && !callee_->ended) {
    if (callee_->answered) {
      send_bye(*callee_);
    } else {
      cancel_callee();
    }
  }
  if (caller_.answered) {
    send_bye(caller_);
  } else {
    refuse_caller(status, reason);
  }
  finish_if_done();
}

void call::finish_if_done() {
  if (finished_ || !caller_.ended) return;
  // The ACD hears that the caller is gone now, not once a ringing agent's phone lets go: the
  // agent is free at once and the abandon is counted with its real wait.
  leave_acd();
  // A callee still ringing after a CANCEL sends its final response (or times out) first.
  if (callee_ && !callee_->ended) return;
  finished_ = true;
  write_record();
  ring_timer_.cancel();
  probe_timer_.cancel();
  flow_timer_.cancel();
  queue_timer_.cancel();
  callback_timer_.cancel();
  if (flow_) flow_->on_caller_gone();
  // The session timers' waits hold the call: let them go now.
  for (auto* which : {&caller_, callee_ ? &*callee_ : nullptr}) {
    if (which != nullptr && which->timer_clock) which->timer_clock->cancel();
  }
  media_->close();
  context_->limits.release();
  count(context_->ended);
  context_->board.erase(uuid_);
  context_->index.remove_call(this);
}

void call::cancel_callee() {
  cancel_forks();
  if (!callee_ || callee_->ended || callee_->answered || !callee_invite_) return;
  timeline_.end(call_timeline::kind::ring, "cancelled", std::chrono::steady_clock::now());
  context_->stack.cancel(callee_invite_);
  cancelled_ = true;
  // RFC 3261 §9.1: a callee that never sends a final response after the CANCEL is given up
  // after 64*T1, so the call (and its slot) cannot linger.
  ring_timer_.expires_after(std::chrono::seconds(32));
  ring_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || !self->callee_ || self->callee_->answered || self->callee_->ended) return;
    self->callee_->ended = true;
    self->finish_if_done();
  });
}

void call::on_cancel() {
  if (caller_.answered || caller_.ended) return;
  timeline_.ended_by("caller");
  respond(caller_invite_, caller_.invite, 487, "Request Terminated");
  caller_.ended = true;
  count(context_->failed);
  cancel_callee();
  finish_if_done();
}

void call::on_ack(const sip::received_message& ack) {
  auto& which = leg_of(ack.message);
  if (&which == &caller_ && caller_.answered) {
    context_->index.remove_invite(caller_invite_);
  }
  // The answer to the offer our 2xx made to an INVITE without one.
  if (!ack.message.body().empty()) media_->accept_answer(which.side, ack.message.body());
}

void call::on_ack_timeout(sip::server_handle invite) {
  if (invite != caller_invite_) return;
  spdlog::warn("call {}: the caller never acknowledged our 200; ending the call", caller_call_id());
  // The caller's dialog may never have been confirmed; a BYE still ends it (§13.3.1.4).
  hang_up(408, "Request Timeout");
}

}  // namespace callcenterd::call::detail
