#include "server_non_invite.hpp"

namespace callcenterd::sip::txn {

server_non_invite::server_non_invite(transaction_id id, transaction_context& ctx, flow peer,
                                     std::optional<std::string> request_to_tag)
    : transaction(id, transaction_kind::server_non_invite, ctx, std::move(peer)),
      request_to_tag_(std::move(request_to_tag)) {}

void server_non_invite::on_retransmission() {
  ++ctx_.counters().retransmissions_absorbed;
  if (state_ == state::proceeding || state_ == state::completed) send(last_response_);
}

bool server_non_invite::respond(const sip_message& response, clock_time now) {
  if (state_ != state::trying && state_ != state::proceeding) return false;
  last_response_ = to_string(response);
  send(last_response_);
  if (response.status() < 200) {
    state_ = state::proceeding;
  } else if (reliable()) {
    state_ = state::terminated;  // Timer J is zero
  } else {
    state_ = state::completed;  // the layer holds the answer for Timer J
    completed_at_ = now;
  }
  return true;
}

void server_non_invite::on_timer(timer_slot, clock_time) {
  // No timer of its own: Timer J runs in the layer's answered_requests.
}

}  // namespace callcenterd::sip::txn
