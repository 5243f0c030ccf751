// Calls out through a trunk: the carrier's address (resolved when it is a name), the INVITE
// to number@host, and the credentials the carrier may ask for.
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/digest_client.hpp"
#include "callcenterd/sip/resolve.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

bool call::use_trunk(const std::string& name) {
  trunk_ = nullptr;
  for (const auto& trunk : context_->settings.trunks) {
    if (trunk.name == name) trunk_ = &trunk;
  }
  return trunk_ != nullptr;
}

void call::dial_trunk() {
  if (!use_trunk(target_.name)) {
    refuse_caller(503, "Trunk Not Configured");
    return;
  }
  resolve_trunk(&call::on_trunk_address);
}

void call::resolve_trunk(void (call::*then)(const asio::ip::address&)) {
  sip::resolve_peer(strand_, trunk_->host, trunk_->port,
                    [self = shared_from_this(), then](boost::system::error_code error,
                                                      const asio::ip::address& address) {
                      if (error) {
                        spdlog::warn("call {}: trunk {} host {} does not resolve: {}",
                                     self->caller_call_id(), self->trunk_->name, self->trunk_->host,
                                     error.message());
                        self->refuse_caller(503, "Trunk Unreachable");
                        return;
                      }
                      ((*self).*then)(address);
                    });
}

std::optional<std::pair<sip::flow, sip::sip_uri>> call::trunk_destination(
    const asio::ip::address& address, const std::string& number) const {
  const auto path = context_->stack.flow_to(trunk_->transport, address, trunk_->port);
  auto uri =
      sip::parse_uri("sip:" + number + "@" + trunk_->host + ":" + std::to_string(trunk_->port));
  if (!path || !uri) {
    spdlog::warn("call {}: no {} listener to reach trunk {}", caller_call_id(),
                 sip::config_name(trunk_->transport), trunk_->name);
    return std::nullopt;
  }
  if (trunk_->transport != sip::transport_kind::udp) {
    uri->params.emplace_back("transport", std::string(sip::config_name(trunk_->transport)));
  }
  return std::pair{*path, std::move(*uri)};
}

void call::on_trunk_address(const asio::ip::address& address) {
  if (caller_.ended) return;
  const auto destination = trunk_destination(address, target_.number);
  if (!destination) {
    refuse_caller(503, "Trunk Unreachable");
    return;
  }
  spdlog::info("call {}: out through trunk {} to {}", caller_call_id(), trunk_->name,
               target_.number);
  start_ring_timer();
  send_callee_invite(destination->second, destination->first);
}

bool call::authenticate_to_trunk(leg& which, const sip::sip_message& challenge) {
  if (trunk_ == nullptr || trunk_auth_sent_ || trunk_->credentials.username.empty()) return false;
  auto invite = which.invite;
  const auto uri = sip::to_string(invite.request_uri());
  const auto answer = sip::authorize(sip::challenge_values(challenge), trunk_->credentials,
                                     {.method = "INVITE", .uri = uri, .nc = 1}, sip::random_cnonce);
  if (!answer) {
    spdlog::warn("call {}: cannot answer trunk {}'s challenge: {}", caller_call_id(), trunk_->name,
                 answer.error().message());
    return false;
  }
  trunk_auth_sent_ = true;
  // The same dialog identifiers, the next CSeq (RFC 3261 §22.2).
  invite.set_header("CSeq", std::to_string(sip::cseq_number(invite) + 1) + " INVITE");
  invite.remove_headers("Authorization");
  invite.remove_headers("Proxy-Authorization");
  invite.add_header(std::string(sip::authorization_header_name(challenge.status())), *answer);
  which.invite = invite;
  if (which.side == leg_side::callee) {
    send_to_callee(std::move(invite));
  } else {
    send_dial_back(std::move(invite));  // a callback's own INVITE to its caller
  }
  return true;
}

}  // namespace callcenterd::call::detail
