#include "client_non_invite.hpp"

#include <algorithm>

namespace callcenterd::sip::txn {

client_non_invite::client_non_invite(transaction_id id, transaction_context& ctx, flow peer,
                                     const sip_message& request)
    : transaction(id, transaction_kind::client_non_invite, ctx, std::move(peer)),
      bytes_(to_string(request)) {}

void client_non_invite::start(clock_time now) {
  if (state_ != state::held) return;
  state_ = state::trying;
  send(bytes_);
  if (!reliable()) {
    interval_ = settings().t1;
    arm(timer_slot::retransmit, interval_, now);  // Timer E
  }
  arm(timer_slot::lifetime, timer_64t1(), now);  // Timer F
}

void client_non_invite::drop() {
  if (state_ == state::held) state_ = state::terminated;
}

void client_non_invite::on_response(const received_message& response, clock_time now) {
  if (state_ != state::trying && state_ != state::proceeding) {
    // Completed absorbs retransmitted finals; Held has sent nothing to answer.
    if (state_ == state::completed) ++ctx_.counters().retransmissions_absorbed;
    return;
  }
  if (response.message.status() < 200) {
    state_ = state::proceeding;
    user().on_response(id_, response);
    return;
  }
  disarm(timer_slot::retransmit);
  disarm(timer_slot::lifetime);
  if (reliable()) {
    state_ = state::terminated;
  } else {
    state_ = state::completed;
    arm(timer_slot::lifetime, settings().t4, now);  // Timer K
  }
  user().on_response(id_, response);
}

void client_non_invite::on_timer(timer_slot slot, clock_time now) {
  if (state_ != state::trying && state_ != state::proceeding) {
    if (slot == timer_slot::lifetime && state_ == state::completed) state_ = state::terminated;
    return;
  }
  if (slot == timer_slot::retransmit) {
    resend(bytes_);
    // Timer E doubles up to T2; once a provisional came, the peer is alive and T2 suffices.
    interval_ = state_ == state::proceeding ? settings().t2
                                            : std::min(interval_ * 2, milliseconds(settings().t2));
    arm(timer_slot::retransmit, interval_, now);
    return;
  }
  state_ = state::terminated;  // Timer F
  disarm(timer_slot::retransmit);
  ++ctx_.counters().timeouts;
  user().on_timeout(id_);
}

}  // namespace callcenterd::sip::txn
