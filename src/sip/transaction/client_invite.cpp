#include "client_invite.hpp"

#include "message_builders.hpp"

namespace callcenterd::sip::txn {

client_invite::client_invite(transaction_id id, transaction_context& ctx, flow peer,
                             sip_message request)
    : transaction(id, transaction_kind::client_invite, ctx, std::move(peer)),
      request_(std::move(request)),
      bytes_(to_string(request_)) {}

void client_invite::start(clock_time now) {
  send(bytes_);
  if (!reliable()) {
    interval_ = settings().t1;
    arm(timer_slot::retransmit, interval_, now);
  }
  arm(timer_slot::lifetime, timer_64t1(), now);  // Timer B
}

void client_invite::on_response(const received_message& response, clock_time now) {
  const int status = response.message.status();
  switch (state_) {
    case state::calling:
    case state::proceeding:
      if (status < 200) {
        on_provisional(response, now);
      } else {
        on_final(response, now);
      }
      return;
    case state::accepted:
      // RFC 6026 §8.4: every further 2xx (other forks, retransmissions) goes up for the dialog
      // layer to ACK; anything else is noise now.
      if (status >= 200 && status < 300) user().on_response(id_, response);
      return;
    case state::completed:
      if (status >= 300) {
        // The peer missed our ACK: repeat it, keep the duplicate from the TU.
        send(ack_bytes_);
        ++ctx_.counters().retransmissions_absorbed;
      }
      return;
    case state::terminated:
      return;
  }
}

void client_invite::on_provisional(const received_message& response, clock_time now) {
  if (state_ == state::calling) {
    state_ = state::proceeding;
    disarm(timer_slot::retransmit);
    // Timer B only bounds the wait for a first response; a ringing call may last minutes.
    disarm(timer_slot::lifetime);
    if (cancel_id_ != 0 && !cancel_sent_) {
      cancel_sent(now);
      ctx_.release_cancel(cancel_id_, now);
    }
  }
  user().on_response(id_, response);
}

void client_invite::on_final(const received_message& response, clock_time now) {
  const int status = response.message.status();
  disarm(timer_slot::retransmit);
  disarm(timer_slot::lifetime);
  drop_held_cancel();
  if (status < 300) {
    state_ = state::accepted;
    arm(timer_slot::lifetime, timer_64t1(), now);  // Timer M
  } else {
    ack_bytes_ = to_string(build_ack(request_, response.message, settings().user_agent));
    send(ack_bytes_);
    if (reliable()) {
      state_ = state::terminated;
    } else {
      state_ = state::completed;
      arm(timer_slot::lifetime, settings().timer_d, now);  // Timer D
    }
  }
  user().on_response(id_, response);
}

void client_invite::on_timer(timer_slot slot, clock_time now) {
  if (slot == timer_slot::retransmit) {
    if (state_ != state::calling) return;
    resend(bytes_);  // Timer A: doubles without a cap
    interval_ *= 2;
    arm(timer_slot::retransmit, interval_, now);
    return;
  }
  switch (state_) {
    case state::calling:
    case state::proceeding:
      // Timer B, or no final response 64*T1 after our CANCEL went out (§9.1).
      state_ = state::terminated;
      disarm(timer_slot::retransmit);
      drop_held_cancel();
      ++ctx_.counters().timeouts;
      user().on_timeout(id_);
      return;
    case state::accepted:   // Timer M
    case state::completed:  // Timer D
      state_ = state::terminated;
      return;
    case state::terminated:
      return;
  }
}

bool client_invite::attach_cancel(transaction_id cancel, clock_time now) {
  cancel_id_ = cancel;
  if (state_ != state::proceeding) return false;
  cancel_sent(now);
  return true;
}

void client_invite::cancel_sent(clock_time now) {
  cancel_sent_ = true;
  // A UAS that never answers the cancelled INVITE must not keep this transaction forever.
  arm(timer_slot::lifetime, timer_64t1(), now);
}

void client_invite::drop_held_cancel() {
  if (cancel_id_ != 0 && !cancel_sent_) {
    cancel_sent_ = true;  // never twice
    ctx_.drop_cancel(cancel_id_);
  }
}

}  // namespace callcenterd::sip::txn
