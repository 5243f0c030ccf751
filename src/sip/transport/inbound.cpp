#include "inbound.hpp"

#include <algorithm>
#include <utility>

#include "callcenterd/sip/message.hpp"
#include "error_reply.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Sets `name=value`, replacing a value the sender may have put there itself.
void set_param(header_params& params, std::string_view name, std::string value) {
  for (auto& p : params) {
    if (iequals(p.name, name)) {
      p.value = std::move(value);
      p.quoted = false;
      return;
    }
  }
  params.push_back({std::string(name), std::move(value), false});
}

bool sent_by_is(const via_value& via, const boost::asio::ip::address& address) {
  if (via.kind == host_kind::name) return false;
  boost::system::error_code ec;
  const auto host = boost::asio::ip::make_address(via.host, ec);
  return !ec && host == address;
}

// Why a request cannot be handled although it parsed; empty when it can.
std::string_view request_problem(const sip_message& request) {
  const auto vias = request.header_values("Via");
  if (vias.empty()) return "Missing Via";
  if (!parse_via(vias.front())) return "Malformed Via";
  const auto from = request.header("From");
  if (!from) return "Missing From";
  if (!parse_name_addr(*from)) return "Malformed From";
  const auto to = request.header("To");
  if (!to) return "Missing To";
  if (!parse_name_addr(*to)) return "Malformed To";
  if (!request.header("Call-ID")) return "Missing Call-ID";
  const auto cseq_text = request.header("CSeq");
  if (!cseq_text) return "Missing CSeq";
  const auto cseq = parse_cseq(*cseq_text);
  if (!cseq) return "Malformed CSeq";
  if (cseq->method != request.method()) return "CSeq Method Mismatch";
  return {};
}

std::string_view response_problem(const sip_message& response) {
  const auto vias = response.header_values("Via");
  if (vias.empty() || !parse_via(vias.front())) return "missing or malformed Via";
  const auto cseq = response.header("CSeq");
  if (!cseq || !parse_cseq(*cseq)) return "missing or malformed CSeq";
  return {};
}

// sip_message has no way to edit a header in place, so the request is rebuilt with the first
// element of its first Via line replaced.
void replace_top_via(sip_message& request, const std::string& top) {
  auto copy = sip_message::make_request(request.method(), request.request_uri());
  bool replaced = false;
  for (const auto& header : request.headers()) {
    if (replaced || !same_header_name(header.name, "Via")) {
      copy.add_header(header.name, header.value);
      continue;
    }
    auto elements = split_header_list(header.value);
    std::string value = top;
    for (std::size_t i = 1; i < elements.size(); ++i) value.append(", ").append(elements[i]);
    copy.add_header(header.name, std::move(value));
    replaced = true;
  }
  copy.set_body(request.body());
  request = std::move(copy);
}

}  // namespace

bool stamp_via(via_value& via, const boost::asio::ip::address& address, std::uint16_t port) {
  const auto rport = find_param(via.params, "rport");
  bool changed = false;
  if (rport || !sent_by_is(via, address)) {
    set_param(via.params, "received", address.to_string());
    changed = true;
  }
  if (rport && rport->empty()) {
    set_param(via.params, "rport", std::to_string(port));
    changed = true;
  }
  return changed;
}

bool is_keep_alive(std::string_view bytes) {
  return !bytes.empty() && bytes.find_first_not_of("\r\n") == std::string_view::npos;
}

inbound_result process_inbound(std::string_view bytes, const flow& source,
                               const parse_limits& limits,
                               std::chrono::steady_clock::time_point now) {
  inbound_result out;
  auto parsed = parse_message(bytes, limits);
  if (!parsed) {
    const auto status = status_for(parsed.error());
    out.problem = parsed.error().message();
    out.reply = build_error_reply(bytes, status, source);
    return out;
  }
  auto& message = *parsed;
  if (message.is_response()) {
    if (const auto problem = response_problem(message); !problem.empty()) {
      out.problem = std::string(problem);
      return out;
    }
  } else {
    if (const auto problem = request_problem(message); !problem.empty()) {
      out.problem = std::string(problem);
      out.reply = build_error_reply(bytes, {400, problem}, source);
      return out;
    }
    auto top = parse_via(message.header_values("Via").front());
    if (stamp_via(*top, source.remote_address, source.remote_port)) {
      replace_top_via(message, to_string(*top));
    }
  }
  out.message = received_message{std::move(message), source, now};
  return out;
}

}  // namespace callcenterd::sip::transport_detail
