#include "replies.hpp"

#include "callcenterd/sip/response_builder.hpp"
#include "tokens.hpp"

namespace callcenterd::sip::ua_detail {

sip_message make_reply(const sip_message& request, int status, std::string_view reason,
                       std::string_view server) {
  auto response = make_response(request, status, reason);
  const auto to = request.header("To").value_or("");
  // A tag parameter sits after the URI; a ";tag=" inside <...> would be a URI parameter, which
  // the To header of a request never carries in practice.
  if (to.find(";tag=") == std::string_view::npos) {
    response.set_header("To", std::string(to) + ";tag=" + random_token());
  }
  if (!server.empty()) response.add_header("Server", std::string(server));
  return response;
}

}  // namespace callcenterd::sip::ua_detail
