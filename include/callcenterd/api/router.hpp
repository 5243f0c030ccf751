#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callcenterd/api/response.hpp"

namespace callcenterd::core {
class metrics_registry;
}

namespace callcenterd::api {

/// What a handler gets for one request. Lives until the handler's coroutine completes.
struct request_context {
  /// Method, target, headers and body as received.
  api::request request;
  /// The X-Request-Id the client sent (when it is a sane token) or a fresh UUID. The router
  /// echoes it in the response; handlers use it to correlate their logs.
  std::string request_id;
  /// The client's IP address as text (the TCP peer); empty when unknown.
  std::string client_address;
  /// The pattern that matched, e.g. "/api/v1/agents/{id}" (not the raw path).
  std::string route;
  /// Values of `{name}` segments (and a trailing `{name*}`), percent-decoded.
  std::map<std::string, std::string, std::less<>> path_params;
  /// Query parameters in arrival order, percent-decoded ('+' is a space).
  std::vector<std::pair<std::string, std::string>> query_params;

  /// The value of path parameter `name`, if the route has one.
  [[nodiscard]] std::optional<std::string_view> path_param(std::string_view name) const;
  /// The first value of query parameter `name`, if present.
  [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const;
  /// A request header, empty when absent.
  [[nodiscard]] std::string_view header(std::string_view name) const;
  [[nodiscard]] const std::string& body() const { return request.body(); }
};

/// A route handler. It runs on the connection's strand and may co_await anything; it must not
/// block the thread. Throwing is allowed (the router turns it into a 500) but returning an error
/// response is the normal way to refuse.
using route_handler = std::function<boost::asio::awaitable<response>(request_context&)>;

/// Maps method + path to handlers and applies the api's cross-cutting rules: request ids, JSON
/// 400/404/405/500 bodies, HEAD for GET routes, and per-route metrics
/// (callcenterd_http_requests_total{route,method,status} and
/// callcenterd_http_request_duration_seconds{route,method}). The route label is the pattern
/// (also for a 405), "unmatched" for a 404 or an unparsable target; methods outside the
/// standard set count as "other". Label sets therefore stay bounded whatever clients send.
///
/// Patterns are absolute paths whose segments are literals, `{name}` (exactly one non-empty
/// segment) or, as the last segment only, `{name*}` (the rest of the path, possibly empty).
/// A trailing slash is significant: "/api/v1" and "/api/v1/" are different routes. When
/// several patterns match, the most specific wins (literal before `{name}` before `{name*}`,
/// compared segment by segment from the left).
///
/// Register every route before the server starts: add() is not synchronised with handle().
/// The router (and the handlers' captures) must outlive the server's connections.
class router {
 public:
  explicit router(core::metrics_registry& metrics);
  ~router();
  router(const router&) = delete;
  router& operator=(const router&) = delete;

  /// Registers `handler` for `method` on `pattern`. Throws std::invalid_argument for a malformed
  /// pattern or a method already registered on an equivalent pattern (start-up errors).
  void add(http::verb method, std::string_view pattern, route_handler handler);
  void get(std::string_view pattern, route_handler handler) {
    add(http::verb::get, pattern, std::move(handler));
  }
  void post(std::string_view pattern, route_handler handler) {
    add(http::verb::post, pattern, std::move(handler));
  }
  void put(std::string_view pattern, route_handler handler) {
    add(http::verb::put, pattern, std::move(handler));
  }
  void patch(std::string_view pattern, route_handler handler) {
    add(http::verb::patch, pattern, std::move(handler));
  }
  void del(std::string_view pattern, route_handler handler) {
    add(http::verb::delete_, pattern, std::move(handler));
  }

  /// Answers one request. Never throws and never fails: errors become JSON error responses.
  /// Runs on the caller's executor (the connection's strand); safe to call concurrently from
  /// several strands once registration is over.
  boost::asio::awaitable<response> handle(request req, std::string client_address = {}) const;

  /// One registered method on one pattern, e.g. {"GET", "/api/v1/agents/{agent}"}.
  struct registered_route {
    std::string method;
    std::string pattern;
  };
  /// Every route registered, in registration order (HEAD is implied by GET and not listed).
  [[nodiscard]] std::vector<registered_route> routes() const;

 private:
  struct route;
  struct instruments;
  std::vector<std::unique_ptr<route>> routes_;
  std::unique_ptr<instruments> instruments_;
};

}  // namespace callcenterd::api
