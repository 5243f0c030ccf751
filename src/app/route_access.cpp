// The one place where a route's session and role are checked, and where the roles each route
// admits are remembered for the published route list.
#include "route_access.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;

bool role_set::admits(user_role role) const {
  switch (role) {
    case user_role::agent:
      return agent;
    case user_role::supervisor:
      return supervisor;
    case user_role::admin:
      return admin;
  }
  return false;
}

std::vector<std::string> role_set::names() const {
  std::vector<std::string> out;
  if (agent) out.emplace_back("agent");
  if (supervisor) out.emplace_back("supervisor");
  if (admin) out.emplace_back("admin");
  return out;
}

api::response unauthorized_response() {
  auto response = api::error_response(http::status::unauthorized, "unauthorized",
                                      "a valid session is needed: log in first");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

api::response forbidden_response(std::string_view why) {
  return api::error_response(http::status::forbidden, "forbidden", why);
}

void secured_routes::add(http::verb method, std::string_view pattern, role_set roles,
                         signed_in_handler handler) {
  // GCC 12 mishandles non-trivial temporaries in a full expression that co_awaits: every
  // awaitable here is made in one statement and awaited in the next.
  router_.add(method, pattern,
              [&auth = auth_, roles, handler = std::move(handler)](
                  api::request_context& ctx) -> asio::awaitable<api::response> {
                auto checking = auth.authenticate(std::string(ctx.header("Authorization")));
                const auto who = co_await std::move(checking);
                if (!who) co_return unauthorized_response();
                if (!roles.admits(who->role)) {
                  co_return forbidden_response("your role (" + std::string(to_string(who->role)) +
                                               ") may not use this route");
                }
                auto answering = handler(ctx, *who);
                auto response = co_await std::move(answering);
                co_return response;
              });
  declared_[{std::string(http::to_string(method)), std::string(pattern)}] = roles;
}

void secured_routes::open(http::verb method, std::string_view pattern, api::route_handler handler) {
  router_.add(method, pattern, std::move(handler));
}

std::vector<std::string> secured_routes::roles_of(const std::string& method,
                                                  const std::string& pattern) const {
  const auto found = declared_.find({method, pattern});
  return found == declared_.end() ? std::vector<std::string>{} : found->second.names();
}

}  // namespace callcenterd::app
