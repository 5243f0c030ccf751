#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth_service.hpp"
#include "callcenterd/api/router.hpp"

namespace callcenterd::app {

/// The roles a route admits. Every API route declares one; the route list the API publishes
/// (and docs/openapi.yaml, which a test holds against it) is built from these declarations.
struct role_set {
  bool agent = false;
  bool supervisor = false;
  bool admin = false;

  [[nodiscard]] bool admits(user_role role) const;
  /// "agent", "supervisor", "admin" in that order, those admitted.
  [[nodiscard]] std::vector<std::string> names() const;
};

inline constexpr role_set any_role{.agent = true, .supervisor = true, .admin = true};
inline constexpr role_set supervisors_and_admins{.agent = false, .supervisor = true, .admin = true};
inline constexpr role_set admins_only{.agent = false, .supervisor = false, .admin = true};

/// What a route handler for signed-in users gets beside the request: who asks.
using signed_in_handler =
    std::function<boost::asio::awaitable<api::response>(api::request_context&, const principal&)>;

/// Registers API routes with the roles they admit. A request without a live session gets 401
/// (with WWW-Authenticate: Bearer), one from a role the route does not admit 403, before the
/// handler runs; finer checks (an agent reaches only their own data) stay in the handlers.
/// Routes open to anyone (login, health) are registered through open(), so that every route
/// of the router has a declared audience. Register before the server starts; not thread-safe.
class secured_routes {
 public:
  secured_routes(api::router& router, auth_service& auth) : router_(router), auth_(auth) {}

  void add(api::http::verb method, std::string_view pattern, role_set roles,
           signed_in_handler handler);
  void get(std::string_view pattern, role_set roles, signed_in_handler handler) {
    add(api::http::verb::get, pattern, roles, std::move(handler));
  }
  void post(std::string_view pattern, role_set roles, signed_in_handler handler) {
    add(api::http::verb::post, pattern, roles, std::move(handler));
  }
  void put(std::string_view pattern, role_set roles, signed_in_handler handler) {
    add(api::http::verb::put, pattern, roles, std::move(handler));
  }
  void patch(std::string_view pattern, role_set roles, signed_in_handler handler) {
    add(api::http::verb::patch, pattern, roles, std::move(handler));
  }
  void del(std::string_view pattern, role_set roles, signed_in_handler handler) {
    add(api::http::verb::delete_, pattern, roles, std::move(handler));
  }
  /// A route that needs no session (login itself).
  void open(api::http::verb method, std::string_view pattern, api::route_handler handler);

  /// The roles declared for `method` on `pattern`; empty for a route open to anyone (those
  /// registered through open() and the service routes registered on the router directly).
  [[nodiscard]] std::vector<std::string> roles_of(const std::string& method,
                                                  const std::string& pattern) const;

  [[nodiscard]] api::router& router() { return router_; }
  [[nodiscard]] auth_service& auth() { return auth_; }

 private:
  api::router& router_;
  auth_service& auth_;
  std::map<std::pair<std::string, std::string>, role_set> declared_;
};

/// 401 with the API's error body and WWW-Authenticate: Bearer.
api::response unauthorized_response();
/// 403 `forbidden` with `why`.
api::response forbidden_response(std::string_view why);

}  // namespace callcenterd::app
