// Dialog probes: a peer whose BYE was lost for good, or that rebooted mid-call, would hold
// its call (and a max_calls slot) until shutdown. Every answered leg without an RFC 4028
// session timer (the timer watches those) is asked now and then with an OPTIONS inside its
// dialog. 481 says the peer has no such dialog; no answer within 64×T1 (the transaction's
// 408) says it is gone. Either ends the call; any other answer, even 405 or 501, shows the
// peer is there and knows the dialog.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/dialog.hpp"

namespace callcenterd::call::detail {

void call::schedule_probes() {
  const auto interval = context_->settings.dialog_probe_interval;
  if (finished_ || interval.count() <= 0 || probes_scheduled_) return;
  probes_scheduled_ = true;
  probe_timer_.expires_after(interval);
  probe_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->probes_scheduled_ = false;
    if (ec || self->finished_) return;
    self->probe_legs();
    self->schedule_probes();
  });
}

void call::probe_legs() {
  for (auto* which :
       {&caller_, callee_ ? &*callee_ : nullptr, transfer_ ? &transfer_->target_leg : nullptr}) {
    if (which == nullptr || !which->answered || which->ended || !which->has_dialog ||
        which->timer || which->probing) {
      continue;
    }
    which->probing = true;
    auto options = sip::make_in_dialog_request(which->dialog, "OPTIONS", which->contact);
    options.add_header("Accept", "application/sdp");
    context_->stack.send_request(
        std::move(options), which->dialog.path,
        on_strand([call_id = which->dialog.call_id](call& self, const sip::client_event& event) {
          self.on_probe_answer(call_id, event);
        }));
  }
}

void call::on_probe_answer(const std::string& call_id, const sip::client_event& event) {
  const int status = event.status();
  auto* which = leg_with_call_id(call_id);
  if (status < 200 || finished_ || which == nullptr) return;
  which->probing = false;
  if (which->ended || (status != 408 && status != 481)) return;
  spdlog::warn("call {}: the {} no longer has its dialog (OPTIONS got {}); ending the call",
               caller_call_id(), which->side == leg_side::caller ? "caller" : "callee", status);
  which->ended = true;  // no BYE for a dialog its peer does not have
  hang_up(408, "Dialog Gone");
}

}  // namespace callcenterd::call::detail
