#include "message_builders.hpp"

#include <string>

#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/response_builder.hpp"

namespace callcenterd::sip::txn {
namespace {

void copy_lines(const sip_message& from, sip_message& to, std::string_view name) {
  for (const auto& h : from.headers()) {
    if (same_header_name(h.name, name)) to.add_header(std::string(name), h.value);
  }
}

void copy_first(const sip_message& from, sip_message& to, std::string_view name) {
  if (auto value = from.header(name)) to.add_header(std::string(name), std::string(*value));
}

void add_if_set(sip_message& m, std::string_view name, std::string_view value) {
  if (!value.empty()) m.add_header(std::string(name), std::string(value));
}

std::string cseq_number_with(const sip_message& invite, std::string method) {
  auto cseq = parse_cseq(invite.header("CSeq").value_or(""));
  // The layer only stores INVITEs whose CSeq parsed, so the fallback is never taken.
  cseq_value value{cseq ? cseq->number : 0, std::move(method)};
  return to_string(value);
}

// A request that starts where the INVITE did: same target, top Via and Route set.
sip_message derived_request(const sip_message& invite, std::string method) {
  auto out = sip_message::make_request(std::move(method), invite.request_uri());
  auto vias = invite.header_values("Via");
  if (!vias.empty()) out.add_header("Via", vias.front());
  out.add_header("Max-Forwards", "70");
  copy_lines(invite, out, "Route");
  return out;
}

}  // namespace

sip_message build_ack(const sip_message& invite, const sip_message& response,
                      std::string_view user_agent) {
  auto ack = derived_request(invite, "ACK");
  copy_first(invite, ack, "Call-ID");
  copy_first(invite, ack, "From");
  copy_first(response, ack, "To");
  ack.add_header("CSeq", cseq_number_with(invite, "ACK"));
  add_if_set(ack, "User-Agent", user_agent);
  return ack;
}

sip_message build_cancel(const sip_message& invite, std::string_view user_agent) {
  auto cancel = derived_request(invite, "CANCEL");
  copy_first(invite, cancel, "Call-ID");
  copy_first(invite, cancel, "From");
  copy_first(invite, cancel, "To");
  cancel.add_header("CSeq", cseq_number_with(invite, "CANCEL"));
  add_if_set(cancel, "User-Agent", user_agent);
  return cancel;
}

sip_message build_trying(const sip_message& request, std::string_view server) {
  auto trying = make_response(request, 100);
  copy_first(request, trying, "Timestamp");
  add_if_set(trying, "Server", server);
  return trying;
}

sip_message build_local_response(const sip_message& request, int status, std::string_view reason,
                                 std::string_view to_tag, std::string_view server) {
  auto response = sip_message::make_response(
      status, std::string(reason.empty() ? default_reason_phrase(status) : reason));
  for (const auto& h : request.headers()) {
    if (same_header_name(h.name, "Via")) response.add_header("Via", h.value);
  }
  copy_first(request, response, "From");
  if (auto to = request.header("To")) {
    std::string value(*to);
    auto parsed = parse_name_addr(value);
    // Appending keeps the peer's own spelling of the header, which it may compare.
    if (parsed && !find_param(parsed->params, "tag") && !to_tag.empty()) {
      value.append(";tag=").append(to_tag);
    }
    response.add_header("To", std::move(value));
  }
  copy_first(request, response, "Call-ID");
  copy_first(request, response, "CSeq");
  add_if_set(response, "Server", server);
  return response;
}

}  // namespace callcenterd::sip::txn
