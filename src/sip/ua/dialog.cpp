#include "callcenterd/sip/dialog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/response_builder.hpp"

namespace callcenterd::sip {

namespace {

// The name-addr of a From or To header with its tag removed, in canonical form.
std::optional<name_addr> untagged(const sip_message& message, std::string_view header_name) {
  auto parsed = parse_name_addr(message.header(header_name).value_or(""));
  if (!parsed) return std::nullopt;
  std::erase_if(parsed->params, [](const header_param& p) { return p.name == "tag"; });
  return *parsed;
}

std::optional<sip_uri> contact_target(const sip_message& message) {
  const auto contacts = message.header_values("Contact");
  if (contacts.empty()) return std::nullopt;
  auto parsed = parse_name_addr(contacts.front());
  if (!parsed) return std::nullopt;
  return parsed->uri;
}

bool refreshes_target(std::string_view method) {
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" || method == "REFER" ||
         method == "NOTIFY";
}

// Fills what both sides share; `ours`/`theirs` name the headers holding each side's URI.
boost::system::result<dialog> base_dialog(const sip_message& source, std::string_view ours,
                                          std::string_view theirs,
                                          const sip_message& contact_source) {
  auto local = untagged(source, ours);
  auto remote = untagged(source, theirs);
  const auto call_id = source.header("Call-ID");
  auto target = contact_target(contact_source);
  if (!local || !remote || !call_id || call_id->empty() || !target) {
    return make_error_code(sip_errc::bad_header);
  }
  dialog d;
  d.call_id = std::string(*call_id);
  d.local_uri = to_string(*local);
  d.remote_uri = to_string(*remote);
  d.remote_target = std::move(*target);
  return d;
}

std::string with_tag(const std::string& uri, const std::string& tag) {
  return tag.empty() ? uri : uri + ";tag=" + tag;
}

}  // namespace

std::string new_token() {
  // Seeded once per thread from the OS; unique enough for tags and Call-IDs, not a secret.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

std::uint32_t cseq_number(const sip_message& message) {
  const auto parsed = parse_cseq(message.header("CSeq").value_or(""));
  return parsed ? parsed->number : 0;
}

std::string header_tag(const sip_message& message, std::string_view header_name) {
  const auto parsed = parse_name_addr(message.header(header_name).value_or(""));
  if (!parsed) return {};
  return find_param(parsed->params, "tag").value_or("");
}

boost::system::result<dialog> dialog_from_request(const received_message& invite,
                                                  std::string local_tag) {
  const auto& request = invite.message;
  auto d = base_dialog(request, "To", "From", request);
  if (!d) return d.error();
  if (!parse_cseq(request.header("CSeq").value_or(""))) {
    return make_error_code(sip_errc::bad_header);
  }
  d->local_tag = std::move(local_tag);
  d->remote_tag = header_tag(request, "From");
  d->route_set = request.header_values("Record-Route");
  d->remote_cseq = cseq_number(request);
  d->path = invite.source;
  d->secure = request.request_uri().secure || is_secure(invite.source.transport);
  return d;
}

boost::system::result<dialog> dialog_from_response(const sip_message& invite,
                                                   const received_message& response) {
  auto d = base_dialog(invite, "From", "To", response.message);
  if (!d) return d.error();
  d->local_tag = header_tag(invite, "From");
  d->remote_tag = header_tag(response.message, "To");
  auto routes = response.message.header_values("Record-Route");
  std::reverse(routes.begin(), routes.end());
  d->route_set = std::move(routes);
  d->local_cseq = cseq_number(invite);
  d->path = response.source;
  d->secure = invite.request_uri().secure;
  return d;
}

void refresh_target(dialog& d, const received_message& message) {
  if (auto target = contact_target(message.message)) d.remote_target = std::move(*target);
  d.path = message.source;
}

bool accept_remote_cseq(dialog& d, const sip_message& request) {
  const auto number = cseq_number(request);
  if (d.remote_cseq && number <= *d.remote_cseq) return false;
  d.remote_cseq = number;
  return true;
}

namespace {

// Request-URI and Route headers of §12.2.1.1: a loose first hop (;lr) keeps the target as
// Request-URI; a strict one becomes the Request-URI and the target goes last in Route.
sip_message addressed_request(const dialog& d, std::string method) {
  std::vector<std::string> routes = d.route_set;
  sip_uri request_uri = d.remote_target;
  if (!routes.empty()) {
    const auto first = parse_name_addr(routes.front());
    if (first && !first->uri.has_param("lr")) {
      request_uri = first->uri;
      request_uri.params.clear();
      routes.erase(routes.begin());
      routes.push_back("<" + to_string(d.remote_target) + ">");
    }
  }
  auto request = sip_message::make_request(std::move(method), std::move(request_uri));
  for (auto& route : routes) request.add_header("Route", std::move(route));
  request.add_header("From", with_tag(d.local_uri, d.local_tag));
  request.add_header("To", with_tag(d.remote_uri, d.remote_tag));
  request.add_header("Call-ID", d.call_id);
  return request;
}

}  // namespace

sip_message make_in_dialog_request(dialog& d, const std::string& method, std::string_view contact) {
  const bool contact_wanted = refreshes_target(method);
  ++d.local_cseq;
  auto request = addressed_request(d, method);
  request.add_header("CSeq", std::to_string(d.local_cseq) + " " + method);
  if (contact_wanted && !contact.empty()) request.add_header("Contact", std::string(contact));
  return request;
}

sip_message make_ack(const dialog& d, std::uint32_t invite_cseq) {
  auto ack = addressed_request(d, "ACK");
  ack.add_header("CSeq", std::to_string(invite_cseq) + " ACK");
  return ack;
}

sip_message make_tagged_response(const sip_message& request, int status, std::string_view reason,
                                 std::string_view local_tag, std::string_view server) {
  auto response = make_response(request, status, reason);
  if (status > 100 && header_tag(request, "To").empty() && !local_tag.empty()) {
    response.set_header(
        "To", std::string(request.header("To").value_or("")) + ";tag=" + std::string(local_tag));
  }
  if (!server.empty()) response.add_header("Server", std::string(server));
  return response;
}

}  // namespace callcenterd::sip
