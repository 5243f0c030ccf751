#include "callcenterd/sip/user_agent.hpp"

#include <spdlog/spdlog.h>

#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::sip {

namespace {

// Methods a SIP stack may meet that we know but do not serve: 405 with Allow (RFC 3261
// §8.2.1). Anything else is 501 (§8.2.1 too: an unknown method).
bool known_method(std::string_view method) {
  for (const auto* m : {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK",
                        "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"}) {
    if (method == m) return true;
  }
  return false;
}

}  // namespace

user_agent::user_agent(registrar& registrar, std::string server_header)
    : registrar_(registrar), server_header_(std::move(server_header)) {}

const std::string& user_agent::allow_header() {
  static const std::string allow =
      "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, REFER, NOTIFY";
  return allow;
}

void user_agent::respond(server_handle transaction, const sip_message& request, int status,
                         std::string_view reason) {
  auto response = make_tagged_response(request, status, reason, new_token(), server_header_);
  if (status == 405 || status == 200) response.add_header("Allow", allow_header());
  stack_->respond(transaction, std::move(response));
}

void user_agent::on_request(server_handle transaction, const received_message& request) {
  const auto& message = request.message;
  const auto& method = message.method();
  if (method == "REGISTER") {
    if (auto response = registrar_.handle_register(request, std::chrono::system_clock::now())) {
      stack_->respond(transaction, std::move(*response));
    }
    return;
  }
  if (!header_tag(message, "To").empty()) {
    if (dialogs_ != nullptr) {
      dialogs_->on_in_dialog_request(transaction, request);
      return;
    }
    no_dialog_.fetch_add(1, std::memory_order_relaxed);
    respond(transaction, message, 481);
    return;
  }
  if (method == "OPTIONS") {
    // Out of dialog: a keep-alive or capability probe (RFC 3261 §11). Answered without
    // authentication so monitoring and trunks can probe; it reveals only the Allow list.
    options_answered_.fetch_add(1, std::memory_order_relaxed);
    auto response = make_tagged_response(message, 200, {}, new_token(), server_header_);
    response.add_header("Allow", allow_header());
    response.add_header("Accept", "application/sdp");
    stack_->respond(transaction, std::move(response));
    return;
  }
  if (method == "INVITE") {
    if (dialogs_ != nullptr) {
      dialogs_->on_invite(transaction, request);
    } else {
      respond(transaction, message, 503, "Calls Not Available");
    }
    return;
  }
  refused_methods_.fetch_add(1, std::memory_order_relaxed);
  if (method == "BYE" || method == "CANCEL") {
    respond(transaction, message, 481);
  } else if (known_method(method)) {
    respond(transaction, message, 405);
  } else {
    respond(transaction, message, 501);
  }
}

void user_agent::on_ack(const received_message& ack) {
  if (dialogs_ != nullptr) dialogs_->on_ack(ack);
}

void user_agent::on_cancel(server_handle invite, const received_message& cancel) {
  if (dialogs_ != nullptr) dialogs_->on_cancel(invite, cancel);
}

void user_agent::on_ack_timeout(server_handle invite) {
  if (dialogs_ != nullptr) dialogs_->on_ack_timeout(invite);
}

void user_agent::on_stray_response(const received_message& response) {
  if (dialogs_ != nullptr) dialogs_->on_stray_response(response);
}

void user_agent::on_connection_closed(const flow& connection) {
  registrar_.connection_closed(connection);
}

user_agent_stats user_agent::stats() const {
  return {options_answered_.load(std::memory_order_relaxed),
          refused_methods_.load(std::memory_order_relaxed),
          no_dialog_.load(std::memory_order_relaxed)};
}

}  // namespace callcenterd::sip
