#include "harness.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/parser.hpp"
#include "callcenterd/sip/response_builder.hpp"

namespace callcenterd::sip::test {

void fake_sender::send(const flow& destination, std::string bytes) {
  auto parsed = parse_message(bytes);
  ASSERT_TRUE(parsed) << "layer sent unparsable bytes:\n" << bytes;
  sent.push_back(
      {destination, std::move(*parsed), std::chrono::duration_cast<milliseconds>(now_ - start_)});
}

void fake_user::record(event_kind kind, transaction_id id, const sip_message* message) {
  user_event e{kind, id, std::nullopt};
  if (message != nullptr) e.message = *message;
  events.push_back(std::move(e));
}

void fake_user::on_request(transaction_id id, const received_message& request) {
  record(event_kind::request, id, &request.message);
  if (request_hook) request_hook(id, request);
}
void fake_user::on_ack(const received_message& ack) { record(event_kind::ack, 0, &ack.message); }
void fake_user::on_cancel(transaction_id invite, const received_message& cancel) {
  record(event_kind::cancel, invite, &cancel.message);
}
void fake_user::on_response(transaction_id id, const received_message& response) {
  record(event_kind::response, id, &response.message);
}
void fake_user::on_stray_response(const received_message& response) {
  record(event_kind::stray_response, 0, &response.message);
}
void fake_user::on_timeout(transaction_id id) { record(event_kind::timeout, id, nullptr); }
void fake_user::on_ack_timeout(transaction_id id) { record(event_kind::ack_timeout, id, nullptr); }
void fake_user::on_terminated(transaction_id id) { record(event_kind::terminated, id, nullptr); }

std::vector<user_event> fake_user::of(event_kind kind) const {
  std::vector<user_event> out;
  for (const auto& e : events) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

sip_message make_request(const request_spec& spec) {
  auto uri = parse_uri(spec.request_uri);
  auto m = sip_message::make_request(spec.method, *uri);
  m.add_header("Via", fmt::format("SIP/2.0/UDP {};branch={}", spec.sent_by, spec.branch));
  m.add_header("Max-Forwards", "70");
  m.add_header("From", fmt::format("\"Caller\" <sip:caller@198.51.100.7>;tag={}", spec.from_tag));
  m.add_header("To", spec.to_tag.empty()
                         ? std::string("<sip:agent@192.0.2.1>")
                         : fmt::format("<sip:agent@192.0.2.1>;tag={}", spec.to_tag));
  m.add_header("Call-ID", spec.call_id);
  m.add_header("CSeq", fmt::format("{} {}", spec.cseq,
                                   spec.cseq_method.empty() ? spec.method : spec.cseq_method));
  m.add_header("Contact", "<sip:caller@198.51.100.7:5060>");
  return m;
}

sip_message make_reply(const sip_message& request, int status, std::string_view to_tag) {
  auto response = make_response(request, status);
  if (to_tag.empty()) return response;
  auto to = std::string(*response.header("To"));
  response.remove_headers("To");
  response.add_header("To", fmt::format("{};tag={}", to, to_tag));
  return response;
}

std::optional<std::string> tag_of_to(const sip_message& message) {
  auto to = parse_name_addr(message.header("To").value_or(""));
  if (!to) return std::nullopt;
  return find_param(to->params, "tag");
}

flow udp_peer() {
  flow f;
  f.transport = transport_kind::udp;
  f.local_address = boost::asio::ip::make_address("192.0.2.1");
  f.local_port = 5060;
  f.remote_address = boost::asio::ip::make_address("198.51.100.7");
  f.remote_port = 5060;
  return f;
}

flow tcp_peer() {
  auto f = udp_peer();
  f.transport = transport_kind::tcp;
  f.remote_port = 40312;
  f.connection_id = 17;
  return f;
}

harness::harness(transaction_settings settings)
    : start(clock_time{} + std::chrono::hours(1)),
      now(start),
      sender(now, start),
      layer(std::move(settings), sender, user) {}

void harness::advance(milliseconds d) {
  const auto target = now + d;
  while (auto next = layer.next_deadline()) {
    if (*next > target) break;
    now = *next;
    layer.on_time(now);
  }
  now = target;
  layer.on_time(now);
}

void harness::deliver(sip_message message, const flow& source) {
  layer.receive({std::move(message), source, now}, now);
}

transaction_id harness::send(request_spec spec, const flow& destination) {
  spec.branch = layer.make_branch();
  spec.sent_by = "192.0.2.1:5060";
  last_request = make_request(spec);
  last_request.add_header("Route", "<sip:edge.example.net;lr>");
  return layer.send_request(last_request, destination, now);
}

std::vector<sent_message> harness::sent_requests(std::string_view method) const {
  std::vector<sent_message> out;
  for (const auto& s : sender.sent) {
    if (s.message.is_request() && s.message.method() == method) out.push_back(s);
  }
  return out;
}

std::vector<sent_message> harness::sent_responses(int status) const {
  std::vector<sent_message> out;
  for (const auto& s : sender.sent) {
    if (s.message.is_response() && s.message.status() == status) out.push_back(s);
  }
  return out;
}

std::vector<milliseconds> harness::times_of(const std::vector<sent_message>& messages) const {
  std::vector<milliseconds> out;
  for (const auto& m : messages) out.push_back(m.at);
  return out;
}

}  // namespace callcenterd::sip::test
