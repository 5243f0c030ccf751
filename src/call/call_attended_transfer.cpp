// Attended transfer (RFC 5589 §7). The referrer holds two calls through us: this one, with the
// transferee, where its REFER arrives, and another one, with the target. The REFER's Refer-To
// carries `?Replaces=` naming the referrer's dialog with us in that other call (RFC 3891).
// Since we are a B2BUA, nobody needs to send an INVITE with Replaces: the other call hands
// its far leg over to this one, answered, and ends the referrer's leg there; this call then
// connects that leg to the transferee the way a blind transfer connects a target that
// answered (RFC 3725 flow I), starting with a re-INVITE without SDP to the target.
//
// When the far leg still rings (the referrer transfers before the target answered), the
// other call stops ringing it and the transfer goes on blind to the same extension.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "call.hpp"
#include "callcenterd/sip/replaces.hpp"

namespace callcenterd::call::detail {

namespace {

// The Replaces of a Refer-To URI, written with %-escapes (RFC 3261 §19.1.1).
std::optional<sip::replaces_value> parse_escaped_replaces(std::string_view escaped) {
  const auto text = sip::unescape_uri_text(escaped);
  if (!text) return std::nullopt;
  auto value = sip::parse_replaces(*text);
  if (!value) return std::nullopt;
  return std::move(*value);
}

}  // namespace

void call::start_attended_transfer(leg& from, sip::server_handle transaction,
                                   const sip::sip_message& request, const std::string& replaces) {
  const auto wanted = parse_escaped_replaces(replaces);
  if (!wanted) {
    respond(transaction, request, 400, "Bad Replaces");
    return;
  }
  // The referrer names its dialog as it sees it, so our tag is its to-tag; some phones write
  // the two the other way round, and the pair is unique either way.
  auto ours = wanted->to_tag;
  auto theirs = wanted->from_tag;
  auto other = context_->index.find_dialog(wanted->call_id, ours);
  if (!other) {
    std::swap(ours, theirs);
    other = context_->index.find_dialog(wanted->call_id, ours);
  }
  if (!other || other.get() == this) {
    respond(transaction, request, 403, "Replaced Dialog Not Found");
    return;
  }
  start_transfer(from, transaction, request, "call " + wanted->call_id);
  transfer_->attended = true;
  boost::asio::post(other->strand(),
                    [other, to = shared_from_this(), call_id = wanted->call_id, ours, theirs,
                     referrer = from.dialog.path.remote_address, attempt = transfer_->attempt] {
                      other->hand_over({call_id, ours, theirs, referrer}, to, attempt);
                    });
}

void call::hand_over(const replaced_dialog& wanted, const std::shared_ptr<call>& to,
                     std::uint64_t attempt) {
  boost::asio::post(to->strand(), [to, attempt, given = give_leg(wanted, to)]() mutable {
    to->on_handover(attempt, std::move(given));
  });
}

handover call::give_leg(const replaced_dialog& wanted, const std::shared_ptr<call>& to) {
  leg* replaced = nullptr;
  leg* far = nullptr;
  if (caller_.dialog.call_id == wanted.call_id && caller_.dialog.local_tag == wanted.our_tag) {
    replaced = &caller_;
    far = callee_ ? &*callee_ : nullptr;
  } else if (callee_ && callee_->dialog.call_id == wanted.call_id &&
             callee_->dialog.local_tag == wanted.our_tag) {
    replaced = &*callee_;
    far = &caller_;
  }
  handover given;
  // RFC 3891 §3 matches on all three of Call-ID and both tags; the referrer must also be the
  // replaced leg's peer (§7), or anyone who learnt a Call-ID could take over a call.
  if (finished_ || replaced == nullptr || far == nullptr || replaced->ended ||
      replaced->dialog.remote_tag != wanted.their_tag ||
      replaced->dialog.path.remote_address != wanted.referrer) {
    given.status = 481;
    return given;
  }
  if (pending_ || transfer_ || far->ended) {
    given.status = 603;
    return given;
  }
  if (!far->answered) {
    // Semi-attended: the far leg is the callee we still ring for the referrer.
    if (far == &caller_ || target_.what != call_target::kind::extension) {
      given.status = 603;
      return given;
    }
    given.ringing_extension = target_.name;
    spdlog::info("call {}: transferred while ringing; {} rings for the transferee instead",
                 caller_call_id(), target_.name);
    hang_up(487, "Request Terminated");
    return given;
  }
  if (!context_->index.move_dialog(far->dialog.call_id, far->dialog.local_tag, this, to)) {
    given.status = 481;  // the call to connect it to has ended meanwhile
    return given;
  }
  given.answered_leg = *far;
  given.answered_leg->timer_clock.reset();  // the receiver starts its own on its strand
  if (far->timer_clock) far->timer_clock->cancel();
  far->ended = true;  // it belongs to the receiver now: nothing more is sent from here
  spdlog::info("call {}: replaced by an attended transfer", caller_call_id());
  send_bye(*replaced);
  finish_if_done();
  return given;
}

void call::on_handover(std::uint64_t attempt, handover given) {
  const bool current = !finished_ && transfer_ && transfer_->attempt == attempt;
  if (given.answered_leg) {
    if (!current) {
      // This call ended while the other one handed its leg over: nobody is left to talk to.
      send_bye(*given.answered_leg);
      if (finished_) context_->index.remove_call(this);
      return;
    }
    transfer_->target_leg = std::move(*given.answered_leg);
    auto& target = transfer_->target_leg;
    target.side = leg_side::callee;
    if (target.timer) start_session_timer(target, *target.timer);
    reinvite_target();
    return;
  }
  if (!current) return;
  if (!given.ringing_extension.empty()) {
    ring_transfer_target(given.ringing_extension);
    return;
  }
  fail_transfer(given.status, given.status == 481 ? "Call/Transaction Does Not Exist" : "Declined");
}

void call::reinvite_target() {
  auto& target = transfer_->target_leg;
  auto reinvite = sip::make_in_dialog_request(target.dialog, "INVITE", target.contact);
  target.invite = reinvite;  // its CSeq is the one the ACK names
  const auto attempt = transfer_->attempt;
  transfer_->invite =
      context_->stack.send_request(std::move(reinvite), target.dialog.path,
                                   on_strand([attempt](call& self, const sip::client_event& event) {
                                     self.on_transfer_event(attempt, event);
                                   }));
}

}  // namespace callcenterd::call::detail
