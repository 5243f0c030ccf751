// Blind transfer (RFC 3515): a leg sends REFER; the other leg (the transferee) is connected to
// the target by third-party call control (RFC 3725 flow I): an INVITE without SDP to the
// target, its offer sent to the transferee in a re-INVITE, the transferee's answer in the ACK
// to the target. The referrer hears of it by NOTIFY with a message/sipfrag body and is then
// released.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "call.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/response_builder.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

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
      respond(transaction, request, 501, "Attended Transfer Not Supported");
      return;
    }
  }
  const auto target = context_->plan.route(refer_to->uri.user);
  if (target.what != call_target::kind::extension) {
    respond(transaction, request, 404, "Transfer Target Not Found");
    return;
  }
  const auto devices = context_->registrar.lookup(target.name, std::chrono::system_clock::now());
  const auto device_uri =
      devices.empty() ? std::nullopt : std::optional(sip::parse_uri(devices.front().contact));
  if (!device_uri || !*device_uri) {
    respond(transaction, request, 480, "Transfer Target Unavailable");
    return;
  }
  respond(transaction, request, 202, "Accepted");
  spdlog::info("call {}: {} transfers to {}", caller_call_id(),
               from.side == leg_side::caller ? "caller" : "callee", target.name);
  transfer_.emplace();
  transfer_->referrer = from.side;
  transfer_->target = target.name;
  notify_referrer(100, "Trying", false);
  auto& target_leg = transfer_->target_leg;
  target_leg.path = devices.front().path;
  // The target sees the transferee calling.
  const auto& stays = *other;
  const auto identity = sip::parse_name_addr(stays.side == leg_side::caller
                                                 ? caller_.invite.header("From").value_or("")
                                                 : stays.dialog.remote_uri);
  auto invite = make_invite(target_leg, **device_uri, identity ? identity->uri.user : "", {});
  const auto attempt = ++attempt_;
  transfer_->attempt = attempt;
  transfer_->invite = context_->stack.send_request(
      std::move(invite), target_leg.path,
      [self = shared_from_this(), attempt](const sip::client_event& event) {
        asio::post(self->strand_,
                   [self, attempt, event] { self->on_transfer_event(attempt, event); });
      });
  ring_timer_.expires_after(context_->settings.ring_timeout);
  ring_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->on_ring_timeout();
  });
}

void call::on_transfer_event(std::uint64_t attempt, const sip::client_event& event) {
  if (!transfer_ || transfer_->attempt != attempt) {
    // Once the transfer is done the target is the callee: a repeated 2xx gets its ACK again.
    const auto& response = event.response.message;
    if (event.what == sip::client_event::kind::response && response.status() >= 200 &&
        response.status() < 300 && callee_ && callee_->ack &&
        response.header("Call-ID").value_or("") == callee_->dialog.call_id) {
      context_->stack.send_ack(*callee_->ack, callee_->dialog.path);
    }
    return;
  }
  if (event.what == sip::client_event::kind::timeout) {
    if (!transfer_->answered) fail_transfer(480, "Temporarily Unavailable");
    return;
  }
  const int status = event.response.message.status();
  if (status < 200) return;
  if (status < 300) {
    on_transfer_answer(event.response);
    return;
  }
  if (!transfer_->answered) fail_transfer(status, event.response.message.reason());
}

void call::on_transfer_answer(const sip::received_message& response) {
  auto& target = transfer_->target_leg;
  if (transfer_->answered) {
    // The target repeats its 2xx until our ACK: resend it once we have sent one.
    if (transfer_->ack) context_->stack.send_ack(*transfer_->ack, target.dialog.path);
    return;
  }
  auto d = sip::dialog_from_response(target.invite, response);
  if (!d) {
    fail_transfer(502, "Bad Gateway");
    return;
  }
  target.dialog = std::move(*d);
  target.has_dialog = true;
  target.answered = true;
  transfer_->answered = true;
  ring_timer_.cancel();
  auto& stays = transferee();
  auto offer = media_->relay_offer(target.side, response.message.body());
  if (stays.ended || !offer || offer->empty()) {
    context_->stack.send_ack(sip::make_ack(target.dialog, 1), target.dialog.path);
    send_bye(target);
    fail_transfer(stays.ended ? 487 : 488, stays.ended ? "Request Terminated" : "No Offer");
    return;
  }
  auto reinvite = sip::make_in_dialog_request(stays.dialog, "INVITE", stays.contact);
  reinvite.add_header("Content-Type", "application/sdp");
  reinvite.set_body(std::move(*offer));
  const auto cseq = stays.dialog.local_cseq;
  context_->stack.send_request(
      std::move(reinvite), stays.dialog.path,
      [self = shared_from_this(), cseq](const sip::client_event& event) {
        asio::post(self->strand_, [self, cseq, event] { self->on_transferee_answer(event, cseq); });
      });
}

void call::on_transferee_answer(const sip::client_event& event, std::uint32_t cseq) {
  const bool timeout = event.what == sip::client_event::kind::timeout;
  const int status = timeout ? 408 : event.response.message.status();
  if (status < 200) return;
  if (!transfer_ || transfer_->ack) {
    // Done already: a repeated 2xx means our ACK was lost.
    if (!timeout && status < 300 && !transferee().ended) {
      auto& stays = transferee();
      context_->stack.send_ack(sip::make_ack(stays.dialog, cseq), stays.dialog.path);
    }
    return;
  }
  auto& target = transfer_->target_leg;
  auto& stays = transferee();
  if (status >= 300) {
    // The transferee refused the new session: the target is released, the call goes on as
    // it was (RFC 3261 §14.1 keeps the old session after a failed re-INVITE).
    context_->stack.send_ack(sip::make_ack(target.dialog, 1), target.dialog.path);
    send_bye(target);
    fail_transfer(status, timeout ? "Request Timeout" : event.response.message.reason());
    if (status == 408 || status == 481) hang_up(480, "Temporarily Unavailable");
    return;
  }
  sip::refresh_target(stays.dialog, event.response);
  context_->stack.send_ack(sip::make_ack(stays.dialog, cseq), stays.dialog.path);
  auto ack = sip::make_ack(target.dialog, 1);
  if (auto answer = media_->relay_answer(target.side, event.response.message.body())) {
    ack.add_header("Content-Type", "application/sdp");
    ack.set_body(std::move(*answer));
  }
  transfer_->ack = ack;
  context_->stack.send_ack(std::move(ack), target.dialog.path);
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
  }
  target.side = leg_side::callee;
  target.ack = std::move(transfer_->ack);
  callee_ = std::move(target);
  count(context_->transferred);
  spdlog::info("call {}: transferred to {}", caller_call_id(), transfer_->target);
  transfer_.reset();
}

void call::fail_transfer(int status, std::string_view reason) {
  spdlog::info("call {}: transfer to {} failed with {}", caller_call_id(), transfer_->target,
               status);
  ring_timer_.cancel();
  notify_referrer(status, reason, true);
  transfer_.reset();
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
