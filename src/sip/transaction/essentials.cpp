#include "essentials.hpp"

#include <algorithm>
#include <cctype>

#include "text.hpp"

namespace callcenterd::sip::txn {
namespace {

constexpr char sep = '\n';  // cannot occur inside a header value

using detail::to_lower;

std::optional<via_value> top_via(const sip_message& m, std::size_t* count) {
  auto vias = m.header_values("Via");
  if (count != nullptr) *count = vias.size();
  if (vias.empty()) return std::nullopt;
  auto via = parse_via(vias.front());
  if (!via || via->host.empty()) return std::nullopt;
  return std::move(*via);
}

}  // namespace

std::optional<std::string> tag_of(std::string_view name_addr_text) {
  auto parsed = parse_name_addr(name_addr_text);
  if (!parsed) return std::nullopt;
  return find_param(parsed->params, "tag");
}

request_check check_request(const sip_message& request) {
  request_check out;
  auto via = top_via(request, nullptr);
  if (!via) {
    out.problem = bad_part::via;
    return out;
  }
  out.via_usable = true;
  essentials e;
  e.branch = via->branch().value_or("");
  e.top_via = std::move(*via);

  auto call_id = request.header("Call-ID");
  if (!call_id || call_id->empty()) {
    out.problem = bad_part::call_id;
    return out;
  }
  e.call_id = std::string(*call_id);

  auto from = parse_name_addr(request.header("From").value_or(""));
  if (!from) {
    out.problem = bad_part::from;
    return out;
  }
  e.from_tag = find_param(from->params, "tag").value_or("");

  auto to = parse_name_addr(request.header("To").value_or(""));
  if (!to) {
    out.problem = bad_part::to;
    return out;
  }
  e.to_tag = find_param(to->params, "tag");

  auto cseq = parse_cseq(request.header("CSeq").value_or(""));
  if (!cseq) {
    out.problem = bad_part::cseq;
    return out;
  }
  if (cseq->method != request.method()) {
    out.problem = bad_part::cseq_method;
    return out;
  }
  e.cseq = std::move(*cseq);
  out.value = std::move(e);
  return out;
}

std::optional<essentials> check_response(const sip_message& response) {
  std::size_t vias = 0;
  auto via = top_via(response, &vias);
  if (!via || vias != 1) return std::nullopt;
  auto cseq = parse_cseq(response.header("CSeq").value_or(""));
  if (!cseq) return std::nullopt;
  essentials e;
  e.branch = via->branch().value_or("");
  if (e.branch.empty()) return std::nullopt;
  e.top_via = std::move(*via);
  e.cseq = std::move(*cseq);
  return e;
}

std::string_view bad_request_reason(bad_part problem) {
  switch (problem) {
    case bad_part::via:
      return "Missing or Invalid Via";
    case bad_part::call_id:
      return "Missing Call-ID";
    case bad_part::from:
      return "Missing or Invalid From";
    case bad_part::to:
      return "Missing or Invalid To";
    case bad_part::cseq:
      return "Missing or Invalid CSeq";
    case bad_part::cseq_method:
      return "CSeq Method Does Not Match";
    case bad_part::none:
      break;
  }
  return "Bad Request";
}

std::string server_key(const sip_message& request, const essentials& e, std::string_view method) {
  std::string key;
  if (e.rfc3261()) {
    // §17.2.3: branch, sent-by and method. Host names compare case-insensitively.
    key.reserve(e.branch.size() + e.top_via.host.size() + method.size() + 16);
    key.append("B").append(e.branch).push_back(sep);
    key.append(to_lower(e.top_via.host));
    if (e.top_via.port) key.append(":").append(std::to_string(*e.top_via.port));
    key.push_back(sep);
    key.append(method);
    return key;
  }
  // RFC 2543 peers: Request-URI, From tag, Call-ID, CSeq number and the whole top Via. The
  // To tag is checked by the caller because an ACK carries the response's tag instead.
  key.append("L").append(to_string(request.request_uri())).push_back(sep);
  key.append(e.from_tag).push_back(sep);
  key.append(e.call_id).push_back(sep);
  key.append(std::to_string(e.cseq.number)).push_back(sep);
  key.append(to_string(e.top_via)).push_back(sep);
  key.append(method);
  return key;
}

std::string client_key(std::string_view branch, std::string_view method) {
  std::string key;
  key.reserve(branch.size() + method.size() + 1);
  key.append(branch).push_back(sep);
  key.append(method);
  return key;
}

std::string dialog_key(const essentials& e, std::string_view method) {
  std::string key;
  key.append(e.from_tag).push_back(sep);
  key.append(e.call_id).push_back(sep);
  key.append(std::to_string(e.cseq.number)).push_back(sep);
  key.append(method);
  return key;
}

}  // namespace callcenterd::sip::txn
