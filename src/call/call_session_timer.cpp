// Session timers (RFC 4028) on each leg whose peer asked for one: we refresh with UPDATE when
// we are the refresher, and end the call when the peer's refreshes stop.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/dialog.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

leg* call::leg_with_call_id(std::string_view call_id) {
  if (caller_.dialog.call_id == call_id) return &caller_;
  if (callee_ && callee_->dialog.call_id == call_id) return &*callee_;
  if (transfer_ && transfer_->target_leg.dialog.call_id == call_id) {
    return &transfer_->target_leg;
  }
  return nullptr;
}

void call::start_session_timer(leg& which, const session_timer& timer) {
  which.timer = timer;
  if (!which.timer_clock) which.timer_clock = std::make_shared<asio::steady_timer>(strand_);
  const auto generation = ++which.timer_generation;
  which.timer_clock->expires_after(timer.we_refresh ? refresh_after(timer) : expire_after(timer));
  which.timer_clock->async_wait([self = shared_from_this(), call_id = which.dialog.call_id,
                                 generation](boost::system::error_code ec) {
    if (!ec) self->on_session_timer(call_id, generation);
  });
}

void call::on_session_timer(const std::string& call_id, std::uint64_t generation) {
  auto* which = leg_with_call_id(call_id);
  if (finished_ || which == nullptr || which->ended || !which->timer ||
      which->timer_generation != generation) {
    return;
  }
  if (!which->timer->we_refresh) {
    spdlog::info("call {}: no session refresh from the peer in time (RFC 4028); ending",
                 caller_call_id());
    hang_up(408, "Session Expired");
    return;
  }
  // UPDATE without a body refreshes the session without touching the media (§7.4).
  auto update = sip::make_in_dialog_request(which->dialog, "UPDATE", which->contact);
  update.add_header("Session-Expires", refresh_header(*which->timer));
  update.add_header("Supported", "timer");
  context_->stack.send_request(std::move(update), which->dialog.path,
                               on_strand([](call& self, const sip::client_event& event) {
                                 // §10: a refresh answered 408 or 481 means the session is gone.
                                 const int status = event.status();
                                 if (status == 408 || status == 481) {
                                   self.hang_up(408, "Session Refresh Failed");
                                 }
                               }));
  start_session_timer(*which, *which->timer);
}

void call::refuse_short_interval(sip::server_handle transaction, const sip::sip_message& request) {
  // The caller's INVITE has no To tag yet: it gets ours, like every response to it.
  auto response =
      sip::make_tagged_response(request, 422, "Session Interval Too Small",
                                caller_.dialog.local_tag, context_->settings.server_header);
  response.add_header("Min-SE", std::to_string(min_session_interval.count()));
  context_->stack.respond(transaction, std::move(response));
}

bool call::accept_refresh(leg& from, sip::server_handle transaction,
                          const sip::sip_message& request) {
  const auto decision = negotiate_as_uas(request);
  if (decision.too_small) {
    refuse_short_interval(transaction, request);
    return false;
  }
  if (decision.timer) {
    start_session_timer(from, *decision.timer);
  } else if (from.timer) {
    start_session_timer(from, *from.timer);  // any refresh restarts the clock
  }
  return true;
}

}  // namespace callcenterd::call::detail
