// Requests inside the call's dialogs: BYE, re-INVITE and UPDATE (relayed to the other leg or
// answered locally), INFO and OPTIONS.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::call::detail {

namespace {

/// Whether an offer's audio stops sending: a hold (RFC 3264 §8.4), or the older 0.0.0.0 form.
bool holds(std::string_view offer) {
  const auto session = sip::sdp::parse_sdp(offer);
  if (!session) return false;
  for (const auto& media : session->media) {
    if (media.media != "audio" || media.port == 0) continue;
    const auto direction = sip::sdp::direction(*session, media);
    const auto* conn = sip::sdp::effective_connection(*session, media);
    return direction == sip::sdp::media_direction::sendonly ||
           direction == sip::sdp::media_direction::inactive ||
           (conn != nullptr && sip::sdp::is_null_address(*conn));
  }
  return false;
}

}  // namespace

void call::record_hold(leg_side side, std::string_view offer) {
  const auto party = party_of(side);
  const auto now = std::chrono::steady_clock::now();
  if (holds(offer)) {
    if (!timeline_.is_open(call_timeline::kind::hold, party)) {
      timeline_.begin(call_timeline::kind::hold, party, {}, now);
    }
  } else {
    timeline_.end(call_timeline::kind::hold, "resumed", now, party);
  }
}

void call::on_request(sip::server_handle transaction, const sip::received_message& request) {
  const auto& message = request.message;
  auto& from = leg_of(message);
  // A Call-ID no leg has: a leg another call hands over whose handover has not come yet.
  if (!from.has_dialog || from.ended || finished_ ||
      message.header("Call-ID").value_or("") != from.dialog.call_id) {
    respond(transaction, message, 481, "Call/Transaction Does Not Exist");
    return;
  }
  if (!sip::accept_remote_cseq(from.dialog, message)) {
    respond(transaction, message, 500, "CSeq Out of Order");
    return;
  }
  const auto& method = message.method();
  if (transfer_ && &from == &transfer_->target_leg) {
    // The transfer target before it took the referrer's place: only a BYE means something.
    if (method == "BYE") {
      respond(transaction, message, 200);
      from.ended = true;
      fail_transfer(487, "Request Terminated");
    } else {
      respond(transaction, message, 491, "Request Pending");
    }
    return;
  }
  if (method == "BYE") {
    on_bye(from, transaction, message);
  } else if (method == "INVITE" || method == "UPDATE") {
    if (accept_refresh(from, transaction, message)) on_offer(from, transaction, request);
  } else if (method == "INFO") {
    // DTMF in application/dtmf-relay or application/dtmf; other packages are acknowledged
    // and ignored, as a B2BUA that does not know them should not fail the call over them.
    media_->on_info(from.side, message.header("Content-Type").value_or(""), message.body());
    respond(transaction, message, 200);
  } else if (method == "OPTIONS") {
    respond(transaction, message, 200);
  } else if (method == "REFER") {
    on_refer(from, transaction, message);
  } else if (method == "NOTIFY") {
    // We never subscribe to anything (RFC 6665 §4.1.3: an unknown subscription is 481).
    respond(transaction, message, 481, "Subscription Does Not Exist");
  } else if (method == "PRACK") {
    respond(transaction, message, 501, "Not Implemented");
  } else {
    respond(transaction, message, 405, "Method Not Allowed");
  }
}

void call::on_bye(leg& from, sip::server_handle transaction, const sip::sip_message& request) {
  respond(transaction, request, 200);
  from.ended = true;
  if (transfer_ && from.side == transfer_->referrer) {
    // A referrer may leave as soon as its REFER was accepted: the transfer goes on.
    spdlog::info("call {}: the referrer hung up; the transfer goes on", caller_call_id());
    if (from.side == leg_side::callee) agent_transferred_away();
    return;
  }
  spdlog::info("call {}: {} hung up", caller_call_id(),
               from.side == leg_side::caller ? "caller" : "callee");
  timeline_.ended_by(from.side == leg_side::caller ? "caller" : queued_ ? "agent" : "callee");
  if (pending_) {
    respond(pending_->transaction, pending_->request, 487, "Request Terminated");
    pending_.reset();
  }
  hang_up(480, "Temporarily Unavailable");
}

void call::on_offer(leg& from, sip::server_handle transaction,
                    const sip::received_message& request) {
  const auto& message = request.message;
  const bool is_invite = message.method() == "INVITE";
  if (pending_ || transfer_) {
    // One offer at a time across the bridge (RFC 3261 §14.2 glare): the peer retries.
    respond(transaction, message, 491, "Request Pending");
    return;
  }
  if (is_invite) sip::refresh_target(from.dialog, request);
  if (message.body().empty() && !is_invite) {
    respond(transaction, message, 200);  // a session refresh without an offer
    return;
  }
  leg* to = nullptr;
  if (from.side == leg_side::caller && callee_ && callee_->answered && !callee_->ended) {
    to = &*callee_;
  } else if (from.side == leg_side::callee && caller_.answered && !caller_.ended) {
    to = &caller_;
  }
  if (to == nullptr) {
    // Answered locally (or the other side is gone): this side is the whole call.
    auto answer = media_->answer_locally(from.side, message.body());
    if (!answer) {
      respond(transaction, message, 488, "Not Acceptable Here");
      return;
    }
    respond(transaction, message, 200, {}, std::move(*answer));
    return;
  }
  auto offer = media_->relay_offer(from.side, message.body());
  if (!offer) {
    respond(transaction, message, 488, "Not Acceptable Here");
    return;
  }
  record_hold(from.side, message.body());
  auto relayed = sip::make_in_dialog_request(to->dialog, message.method(), to->contact);
  if (!offer->empty()) {
    relayed.add_header("Content-Type", "application/sdp");
    relayed.set_body(std::move(*offer));
  }
  const auto cseq = to->dialog.local_cseq;
  const auto to_side = to->side;
  pending_ = pending_offer{from.side, transaction, message};
  context_->stack.send_request(std::move(relayed), to->dialog.path,
                               on_strand([to_side, cseq](call& self, const sip::client_event& e) {
                                 self.on_relayed_answer(e, to_side, cseq);
                               }));
}

void call::on_relayed_answer(const sip::client_event& event, leg_side to_side, std::uint32_t cseq) {
  auto& to = to_side == leg_side::caller ? caller_ : *callee_;
  const int status = event.status();
  if (status < 200) return;
  const bool invite = event.response.message.header("CSeq").value_or("").ends_with("INVITE");
  if (!pending_ || pending_->from == to_side) {
    // The answer was relayed already: a 2xx again means our ACK was lost.
    if (invite && status < 300) acknowledge_again(to);
    return;
  }
  if (status < 300) {
    if (invite) {
      sip::refresh_target(to.dialog, event.response);
      acknowledge(to, sip::make_ack(to.dialog, cseq));
    }
    auto answer = media_->relay_answer(pending_->from, event.response.message.body());
    respond(pending_->transaction, pending_->request, answer ? 200 : 488, {},
            answer ? std::move(*answer) : std::string());
  } else {
    respond(pending_->transaction, pending_->request, status, event.response.message.reason());
  }
  pending_.reset();
  // RFC 3261 §14.1: a re-INVITE answered 408 or 481 means the dialog is gone.
  if (status == 408 || status == 481) hang_up(480, "Temporarily Unavailable");
}

void call::on_stray_response(const sip::received_message& response) {
  // A 2xx retransmission after the INVITE transaction ended: only an INVITE we sent to the
  // callee can cause one, and it needs our ACK again.
  const int status = response.message.status();
  if (callee_ && callee_->answered && status >= 200 && status < 300 &&
      sip::header_tag(response.message, "To") == callee_->dialog.remote_tag) {
    acknowledge_again(*callee_);
  }
}

}  // namespace callcenterd::call::detail
