// The callee leg: ringing a registered device, following redirects, and what its responses
// mean for the caller.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

namespace {

// Who a new leg sees calling: `from` at our host.
std::string from_header(const party& from, const std::string& host_port, const std::string& tag) {
  sip::name_addr value;
  value.display_name = from.display;
  const std::string who = from.user.empty() ? std::string("anonymous") : from.user;
  if (auto uri = sip::parse_uri("sip:" + who + "@" + host_port)) value.uri = std::move(*uri);
  value.params.push_back({"tag", tag, false});
  return sip::to_string(value);
}

}  // namespace

std::optional<device> call::preferred_device(const std::string& extension) const {
  // The most preferred device rings; ringing all of an extension's devices at once comes
  // with the ACD's offer logic.
  const auto bindings = context_->registrar.lookup(extension, std::chrono::system_clock::now());
  if (bindings.empty()) return std::nullopt;
  auto contact = sip::parse_uri(bindings.front().contact);
  if (!contact) return std::nullopt;
  return device{std::move(*contact), bindings.front().path};
}

acd::offer_failure ring_failure_of(int status) {
  // Busy and decline are the callee's (or their phone's) own refusal; everything else (no
  // device, no answer to the INVITE, a server error) means the device could not be reached.
  if (status == 486 || status == 600 || status == 603) return acd::offer_failure::declined;
  return acd::offer_failure::unreachable;
}

void call::start_ring_timer() {
  ring_timer_.expires_after(context_->settings.ring_timeout);
  ring_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->on_ring_timeout();
  });
}

void call::dial(const std::string& extension) {
  const auto target = preferred_device(extension);
  if (!target) {
    spdlog::info("call {}: extension {} has no registered device", caller_call_id(), extension);
    refuse_caller(480, "Temporarily Unavailable");
    return;
  }
  start_ring_timer();
  send_callee_invite(target->contact, target->path);
}

sip::sip_message call::make_invite(leg& to, const sip::sip_uri& target, const party& from,
                                   std::string body) {
  to.contact = contact_for(to.path);
  to.dialog.call_id = sip::new_token();
  to.dialog.local_tag = sip::new_token();
  context_->index.add_dialog(to.dialog.call_id, to.dialog.local_tag, shared_from_this());
  auto invite = sip::sip_message::make_request("INVITE", target);
  invite.add_header(
      "From", from_header(from, context_->stack.contact_host_port(to.path), to.dialog.local_tag));
  invite.add_header("To", "<" + sip::to_string(target) + ">");
  invite.add_header("Call-ID", to.dialog.call_id);
  invite.add_header("CSeq", "1 INVITE");
  invite.add_header("Contact", to.contact);
  invite.add_header("Allow", std::string(sip::user_agent::allow_header()));
  if (!body.empty()) {
    invite.add_header("Content-Type", "application/sdp");
    invite.set_body(std::move(body));
  }
  to.invite = invite;
  return invite;
}

void call::send_callee_invite(const sip::sip_uri& target, const sip::flow& path) {
  auto offer = media_->relay_offer(leg_side::caller, caller_offer());
  if (!offer) {
    refuse_caller(488, "Not Acceptable Here");
    return;
  }
  callee_.emplace(leg_side::callee);
  callee_->path = path;
  send_to_callee(make_invite(*callee_, target, caller_party_, std::move(*offer)));
}

void call::send_to_callee(sip::sip_message invite) {
  const auto attempt = ++attempt_;
  timeline_.begin(call_timeline::kind::ring, callee_party(), queued_ ? queued_->queue : "",
                  std::chrono::steady_clock::now());
  callee_invite_ =
      context_->stack.send_request(std::move(invite), callee_->path,
                                   on_strand([attempt](call& self, const sip::client_event& event) {
                                     self.on_callee_event(attempt, event);
                                   }));
}

void call::on_callee_event(std::uint64_t attempt, const sip::client_event& event) {
  if (attempt != attempt_ || !callee_) return;
  auto& callee = *callee_;
  if (event.timed_out()) {
    if (!callee.answered) on_callee_failure(480, "Temporarily Unavailable");
    return;
  }
  const auto& response = event.response.message;
  const int status = response.status();
  if (status < 200) {
    if (status <= 100 || caller_.answered || caller_.ended) return;
    // Early media (a carrier's ringback or announcement) reaches the caller as 183 with the
    // callee's session; the final answer still comes with the 2xx.
    if (!response.body().empty()) {
      if (auto early = media_->relay_answer(leg_side::caller, response.body())) {
        respond(caller_invite_, caller_.invite, 183, "Session Progress", std::move(*early));
        return;
      }
    }
    respond(caller_invite_, caller_.invite, 180, "Ringing");
    return;
  }
  if (status < 300) {
    on_callee_answer(event.response);
    return;
  }
  if (status < 400 && !cancelled_ && follow_redirect(event.response)) return;
  if ((status == 401 || status == 407) && !cancelled_ && !callee.answered &&
      authenticate_to_trunk(callee, response)) {
    return;
  }
  if (callee.answered) return;  // a late failure after a 2xx changes nothing
  // 401/407 would ask the caller for credentials of the callee's realm; 3xx left over and
  // 408 mean the same to a caller as a device that does not answer.
  if (status == 401 || status == 407 || status == 408 || status < 400) {
    on_callee_failure(480, "Temporarily Unavailable");
  } else {
    on_callee_failure(status, response.reason());
  }
}

void call::on_callee_answer(const sip::received_message& response) {
  auto& callee = *callee_;
  if (callee.answered) {
    if (sip::header_tag(response.message, "To") == callee.dialog.remote_tag) {
      acknowledge_again(callee);
    }
    return;
  }
  if (!confirm_answer(callee, response)) {
    spdlog::warn("call {}: callee's 2xx lacks dialog headers; ending", caller_call_id());
    on_callee_failure(502, "Bad Gateway");
    return;
  }
  if (auto timer = negotiate_as_uac(response.message)) start_session_timer(callee, *timer);
  if (caller_.ended || cancelled_) {
    // The caller gave up while the callee answered: the callee's dialog must end too.
    send_bye(callee);
    finish_if_done();
    return;
  }
  if (queued_ && !queued_->connected) {
    confirm_agent(response);
    return;
  }
  timeline_.end(call_timeline::kind::ring, "answered", std::chrono::steady_clock::now());
  bridge_callee(response.message.body());
}

bool call::confirm_answer(leg& which, const sip::received_message& response) {
  auto d = sip::dialog_from_response(which.invite, response);
  if (!d) return false;
  which.dialog = std::move(*d);
  which.has_dialog = true;
  which.answered = true;
  ring_timer_.cancel();
  acknowledge(which, sip::make_ack(which.dialog, sip::cseq_number(which.invite)));
  return true;
}

void call::bridge_callee(const std::string& body) {
  auto& callee = *callee_;
  auto answer = media_->relay_answer(leg_side::caller, body);
  if (!answer) {
    send_bye(callee);
    refuse_caller(488, "Not Acceptable Here");
    return;
  }
  count(context_->bridged);
  spdlog::info("call {}: bridged to {}", caller_call_id(), target_.name);
  const auto now = std::chrono::steady_clock::now();
  timeline_.end(call_timeline::kind::ivr, "connected", now);
  timeline_.begin(call_timeline::kind::talk, callee_party(), queued_ ? queued_->queue : "", now);
  if (connecting_) {
    // The caller, answered here, waited with music or ringback: now it talks.
    connecting_ = false;
    media_->stop_playing(leg_side::caller);
    if (flow_) flow_->on_connected(true);
  }
  // A caller answered here already (after a greeting) has its session with us.
  if (!caller_.answered) answer_caller(std::move(*answer));
}

void call::on_callee_failure(int status, std::string_view reason) {
  if (queued_ && !queued_->connected) {
    agent_failed(status);
    return;
  }
  callee_->ended = true;
  ring_timer_.cancel();
  timeline_.end(call_timeline::kind::ring, acd::to_string(ring_failure_of(status)),
                std::chrono::steady_clock::now());
  if (cancelled_ || caller_.ended) {
    finish_if_done();
    return;
  }
  spdlog::info("call {}: callee {} failed with {}", caller_call_id(), target_.name, status);
  refuse_caller(status, reason);
}

bool call::follow_redirect(const sip::received_message& response) {
  if (redirects_ >= context_->settings.max_redirects) return false;
  for (const auto& value : response.message.header_values("Contact")) {
    const auto contact = sip::parse_name_addr(value);
    if (!contact || contact->uri.kind == sip::host_kind::name) continue;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(contact->uri.host, ec);
    if (ec) continue;
    const auto transport =
        sip::transport_from_config_name(contact->uri.param("transport").value_or("udp"));
    if (!transport) continue;
    const auto path =
        context_->stack.flow_to(*transport, address, contact->uri.port.value_or(5060));
    if (!path) continue;
    ++redirects_;
    spdlog::info("call {}: following redirect to {}", caller_call_id(),
                 sip::to_string(contact->uri));
    callee_->ended = true;
    send_callee_invite(contact->uri, *path);
    return true;
  }
  return false;
}

void call::on_ring_timeout() {
  if (transfer_) {
    if (transfer_->target_answered) return;
    context_->stack.cancel(transfer_->invite);
    fail_transfer(480, "Temporarily Unavailable");
    return;
  }
  if (!callee_ || callee_->answered || callee_->ended) return;
  spdlog::info("call {}: {} did not answer in time", caller_call_id(), target_.name);
  timeline_.end(call_timeline::kind::ring, "no_answer", std::chrono::steady_clock::now());
  cancel_callee();
  refuse_caller(480, "Temporarily Unavailable");
}

}  // namespace callcenterd::call::detail
