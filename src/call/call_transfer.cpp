// Transfer (RFC 3515): a leg sends REFER; the other leg (the transferee) is connected to
// the target by third-party call control (RFC 3725 flow I): an INVITE without SDP to the
// target, its offer sent to the transferee in a re-INVITE, the transferee's answer in the ACK
// to the target. The referrer hears of it by NOTIFY with a message/sipfrag body and is then
// released.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/response_builder.hpp"

namespace callcenterd::call::detail {

leg& call::transferee() { return transfer_->referrer == leg_side::caller ? *callee_ : caller_; }

void call::on_refer(leg& from, sip::server_handle transaction, const sip::sip_message& request) {
  leg* other = from.side == leg_side::caller ? (callee_ ? &*callee_ : nullptr) : &caller_;
  if (transfer_ || pending_) {
    respond(transaction, request, 491, "Request Pending");
    return;
  }
  if (!from.answered || other == nullptr || !other->answered || other->ended) {
    respond(transaction, request, 403, "Nothing to Transfer");
    return;
  }
  const auto refer_to = sip::parse_name_addr(request.header("Refer-To").value_or(""));
  if (!refer_to) {
    respond(transaction, request, 400, "Bad Refer-To");
    return;
  }
  for (const auto& [name, value] : refer_to->uri.headers) {
    if (sip::same_header_name(name, "Replaces")) {
      start_attended_transfer(from, transaction, request, value);
      return;
    }
  }
  const auto target = context_->plan.route(refer_to->uri.user);
  if (target.what != call_target::kind::extension) {
    respond(transaction, request, 404, "Transfer Target Not Found");
    return;
  }
  if (!preferred_device(target.name)) {
    respond(transaction, request, 480, "Transfer Target Unavailable");
    return;
  }
  start_transfer(from, transaction, request, target.name);
  ring_transfer_target(target.name);
}

void call::start_transfer(leg& from, sip::server_handle transaction,
                          const sip::sip_message& request, std::string target) {
  respond(transaction, request, 202, "Accepted");
  spdlog::info("call {}: {} transfers to {}", caller_call_id(),
               from.side == leg_side::caller ? "caller" : "callee", target);
  timeline_.begin(call_timeline::kind::transfer, party_of(from.side), {},
                  std::chrono::steady_clock::now(), target);
  transfer_.emplace();
  transfer_->referrer = from.side;
  transfer_->target = std::move(target);
  transfer_->attempt = ++attempt_;
  notify_referrer(100, "Trying", false);
}

void call::ring_transfer_target(const std::string& extension) {
  transfer_->target = extension;
  transfer_->attended = false;
  const auto device = preferred_device(extension);
  if (!device) {
    fail_transfer(480, "Temporarily Unavailable");
    return;
  }
  auto& target_leg = transfer_->target_leg;
  target_leg.path = device->path;
  // The target sees the transferee calling: the caller as it called, or the callee we called.
  const auto& other = transferee();
  party transferee_party = caller_party_;
  if (other.side == leg_side::callee) {
    const auto callee_uri = sip::parse_name_addr(other.dialog.remote_uri);
    transferee_party = {{}, callee_uri ? callee_uri->uri.user : std::string()};
  }
  auto invite = make_invite(target_leg, device->contact, transferee_party, {});
  const auto attempt = transfer_->attempt;
  transfer_->invite =
      context_->stack.send_request(std::move(invite), target_leg.path,
                                   on_strand([attempt](call& self, const sip::client_event& event) {
                                     self.on_transfer_event(attempt, event);
                                   }));
  start_ring_timer();
}

void call::on_transfer_event(std::uint64_t attempt, const sip::client_event& event) {
  const int status = event.status();
  if (!transfer_ || transfer_->attempt != attempt) {
    // Once the transfer is done the target is the callee: a repeated 2xx gets its ACK again.
    if (!event.timed_out() && status >= 200 && status < 300 && callee_ &&
        event.response.message.header("Call-ID").value_or("") == callee_->dialog.call_id) {
      acknowledge_again(*callee_);
    }
    return;
  }
  if (status < 200) return;
  if (status < 300) {
    on_transfer_answer(event.response);
    return;
  }
  if (!transfer_->target_answered) {
    fail_transfer(event.timed_out() ? 480 : status,
                  event.timed_out() ? "Temporarily Unavailable" : event.response.message.reason());
  }
}

void call::release_target(leg& target) {
  acknowledge(target, sip::make_ack(target.dialog, sip::cseq_number(target.invite)));
  send_bye(target);
}

void call::on_transfer_answer(const sip::received_message& response) {
  auto& target = transfer_->target_leg;
  if (transfer_->target_answered) {
    // The target repeats its 2xx until our ACK: resend it once we have sent one.
    acknowledge_again(target);
    return;
  }
  if (transfer_->attended) {
    sip::refresh_target(target.dialog, response);
  } else {
    auto d = sip::dialog_from_response(target.invite, response);
    if (!d) {
      fail_transfer(502, "Bad Gateway");
      return;
    }
    target.dialog = std::move(*d);
    target.has_dialog = true;
    target.answered = true;
  }
  transfer_->target_answered = true;
  ring_timer_.cancel();
  auto& stays = transferee();
  auto offer = media_->relay_offer(target.side, response.message.body());
  if (stays.ended || !offer || offer->empty()) {
    release_target(target);
    fail_transfer(stays.ended ? 487 : 488, stays.ended ? "Request Terminated" : "No Offer");
    return;
  }
  auto reinvite = sip::make_in_dialog_request(stays.dialog, "INVITE", stays.contact);
  reinvite.add_header("Content-Type", "application/sdp");
  reinvite.set_body(std::move(*offer));
  const auto cseq = stays.dialog.local_cseq;
  context_->stack.send_request(std::move(reinvite), stays.dialog.path,
                               on_strand([cseq](call& self, const sip::client_event& event) {
                                 self.on_transferee_answer(event, cseq);
                               }));
}

void call::on_transferee_answer(const sip::client_event& event, std::uint32_t cseq) {
  const int status = event.status();
  if (status < 200) return;
  if (!transfer_) {
    // Done already, and the transferee stands as the caller now: a repeated 2xx means our
    // ACK was lost.
    if (status < 300) acknowledge_again(caller_);
    return;
  }
  auto& target = transfer_->target_leg;
  auto& stays = transferee();
  if (status >= 300) {
    // The transferee refused the new session: the target is released, the call goes on as
    // it was (RFC 3261 §14.1 keeps the old session after a failed re-INVITE).
    release_target(target);
    fail_transfer(status, event.timed_out() ? "Request Timeout" : event.response.message.reason());
    if (status == 408 || status == 481) hang_up(480, "Temporarily Unavailable");
    return;
  }
  sip::refresh_target(stays.dialog, event.response);
  acknowledge(stays, sip::make_ack(stays.dialog, cseq));
  auto ack = sip::make_ack(target.dialog, sip::cseq_number(target.invite));
  if (auto answer = media_->relay_answer(target.side, event.response.message.body())) {
    ack.add_header("Content-Type", "application/sdp");
    ack.set_body(std::move(*answer));
  }
  acknowledge(target, std::move(ack));
  complete_transfer();
}

void call::complete_transfer() {
  notify_referrer(200, "OK", true);
  auto& referrer = transfer_->referrer == leg_side::caller ? caller_ : *callee_;
  send_bye(referrer);
  auto target = std::move(transfer_->target_leg);
  if (transfer_->referrer == leg_side::caller) {
    // The callee stays and now stands where the caller was; the target becomes the callee.
    caller_ = std::move(*callee_);
    caller_.side = leg_side::caller;
    media_->swap_sides();
  }
  target.side = leg_side::callee;
  callee_ = std::move(target);
  count(context_->transferred);
  const auto now = std::chrono::steady_clock::now();
  timeline_.end(call_timeline::kind::transfer, "completed", now);
  timeline_.end(call_timeline::kind::talk, "transferred", now);
  if (transfer_->referrer == leg_side::callee) agent_transferred_away();
  if (transfer_->referrer_released) {
    // The music the caller heard while the target rang gives way to the target.
    media_->hold_other(leg_side::callee, false);
    held_by_agent_ = false;
  }
  timeline_.begin(call_timeline::kind::talk, transfer_->target, {}, now);
  spdlog::info("call {}: transferred to {}", caller_call_id(), transfer_->target);
  transfer_.reset();
}

void call::fail_transfer(int status, std::string_view reason) {
  spdlog::info("call {}: transfer to {} failed with {}", caller_call_id(), transfer_->target,
               status);
  ring_timer_.cancel();
  notify_referrer(status, reason, true);
  timeline_.end(call_timeline::kind::transfer, "failed", std::chrono::steady_clock::now());
  // A target with a dialog and nobody left to talk to (an attended transfer's, handed over
  // answered) is released; a blind target that answered was released already.
  send_bye(transfer_->target_leg);
  const bool alone = transfer_->referrer_released;
  transfer_.reset();
  if (alone && !caller_.ended) {
    // The agent left when they asked for the transfer: nobody is left to take the caller.
    hang_up(480, "Temporarily Unavailable");
    return;
  }
  finish_if_done();
}

void call::notify_referrer(int status, std::string_view reason, bool final) {
  auto& referrer = transfer_->referrer == leg_side::caller ? caller_ : *callee_;
  if (referrer.ended || !referrer.has_dialog) return;
  auto notify = sip::make_in_dialog_request(referrer.dialog, "NOTIFY", referrer.contact);
  notify.add_header("Event", "refer");
  notify.add_header("Subscription-State", final ? std::string("terminated;reason=noresource")
                                                : std::string("active;expires=60"));
  notify.add_header("Content-Type", "message/sipfrag;version=2.0");
  notify.set_body("SIP/2.0 " + std::to_string(status) + " " +
                  std::string(reason.empty() ? sip::default_reason_phrase(status) : reason) +
                  "\r\n");
  context_->stack.send_request(std::move(notify), referrer.dialog.path,
                               [](const sip::client_event&) {});
}

}  // namespace callcenterd::call::detail
