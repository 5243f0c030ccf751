#include "server_invite.hpp"

#include <algorithm>

#include "essentials.hpp"
#include "message_builders.hpp"

namespace callcenterd::sip::txn {

server_invite::server_invite(transaction_id id, transaction_context& ctx, flow peer,
                             std::optional<std::string> request_to_tag)
    : transaction(id, transaction_kind::server_invite, ctx, std::move(peer)),
      request_to_tag_(std::move(request_to_tag)) {}

void server_invite::start(const sip_message& request, clock_time) {
  last_response_ = to_string(build_trying(request, settings().server_header));
  send(last_response_);
}

void server_invite::on_retransmission() {
  ++ctx_.counters().retransmissions_absorbed;
  // In Accepted the 2xx timer does the resending; Confirmed has nothing left to say.
  if (state_ == state::proceeding || state_ == state::completed) send(last_response_);
}

bool server_invite::on_ack(clock_time now) {
  switch (state_) {
    case state::completed:
      disarm(timer_slot::retransmit);
      disarm(timer_slot::lifetime);
      if (reliable()) {
        state_ = state::terminated;  // Timer I is zero
      } else {
        state_ = state::confirmed;
        arm(timer_slot::lifetime, settings().t4, now);  // Timer I
      }
      return false;
    case state::accepted:
      acked_ = true;
      disarm(timer_slot::retransmit);
      return true;
    case state::proceeding:
    case state::confirmed:
    case state::terminated:
      ++ctx_.counters().retransmissions_absorbed;
      return false;
  }
  return false;
}

bool server_invite::respond(const sip_message& response, clock_time now) {
  if (state_ != state::proceeding) return false;
  const int status = response.status();
  if (auto to = response.header("To")) response_to_tag_ = tag_of(*to);
  last_response_ = to_string(response);
  send(last_response_);
  if (status < 200) return true;
  const bool resend_2xx = !reliable() || settings().retransmit_2xx_on_reliable;
  if (status < 300) {
    state_ = state::accepted;
    if (resend_2xx) retransmit_later(now);
  } else {
    state_ = state::completed;
    if (!reliable()) retransmit_later(now);  // Timer G
  }
  arm(timer_slot::lifetime, timer_64t1(), now);  // Timer L or H
  return true;
}

void server_invite::retransmit_later(clock_time now) {
  interval_ = settings().t1;
  arm(timer_slot::retransmit, interval_, now);
}

void server_invite::on_timer(timer_slot slot, clock_time now) {
  if (slot == timer_slot::retransmit) {
    if (state_ != state::completed && state_ != state::accepted) return;
    resend(last_response_);
    interval_ = std::min(interval_ * 2, milliseconds(settings().t2));
    arm(timer_slot::retransmit, interval_, now);
    return;
  }
  const auto ended = state_;
  state_ = state::terminated;
  disarm(timer_slot::retransmit);
  if (ended == state::completed) {
    ++ctx_.counters().server_timeouts;  // Timer H: the ACK never came
  } else if (ended == state::accepted && !acked_) {
    ++ctx_.counters().ack_timeouts;  // Timer L without the ACK for our 2xx
    user().on_ack_timeout(id_);
  }
}

}  // namespace callcenterd::sip::txn
