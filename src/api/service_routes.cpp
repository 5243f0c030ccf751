#include "callcenterd/api/service_routes.hpp"

#include <utility>

#include "callcenterd/api/router.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/core/version.hpp"

namespace callcenterd::api {

namespace {

constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace

void register_service_routes(router& routes, core::metrics_registry& metrics,
                             readiness_provider ready) {
  routes.get("/healthz", [](request_context&) -> boost::asio::awaitable<response> {
    co_return json_response(http::status::ok, {{"status", "ok"}});
  });

  routes.get("/readyz",
             [ready = std::move(ready)](request_context&) -> boost::asio::awaitable<response> {
               const readiness state = ready ? ready() : readiness{false, "no readiness check"};
               if (state.ready) co_return json_response(http::status::ok, {{"status", "ready"}});
               co_return json_response(http::status::service_unavailable,
                                       {{"status", "not_ready"}, {"reason", state.reason}});
             });

  routes.get("/metrics", [&metrics](request_context&) -> boost::asio::awaitable<response> {
    co_return text_response(http::status::ok, metrics.render(), prometheus_content_type);
  });

  const auto about = [](request_context&) -> boost::asio::awaitable<response> {
    co_return json_response(http::status::ok,
                            {{"name", "callcenterd"}, {"version", core::version}, {"api", "v1"}});
  };
  routes.get("/api/v1", about);
  routes.get("/api/v1/", about);
}

}  // namespace callcenterd::api
