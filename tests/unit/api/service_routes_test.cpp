#include "callcenterd/api/service_routes.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "callcenterd/api/router.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/core/version.hpp"

namespace callcenterd::api {
namespace {

namespace asio = boost::asio;

class service_routes_test : public ::testing::Test {
 protected:
  service_routes_test() {
    register_service_routes(routes_, metrics_, [this] {
      return ready_ ? readiness{true, ""} : readiness{false, "database unreachable"};
    });
  }

  response get(std::string_view target, http::verb method = http::verb::get) {
    asio::io_context io;
    auto answer = asio::co_spawn(io, routes_.handle(request{method, target, 11}), asio::use_future);
    io.run();
    return answer.get();
  }

  core::metrics_registry metrics_{core::metrics_registry::process_metrics::exclude};
  router routes_{metrics_};
  std::atomic<bool> ready_{false};
};

TEST_F(service_routes_test, healthz_is_ok) {
  const response res = get("/healthz");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(nlohmann::json::parse(res.body()), (nlohmann::json{{"status", "ok"}}));
}

TEST_F(service_routes_test, readyz_follows_the_provider) {
  const response not_ready = get("/readyz");
  EXPECT_EQ(not_ready.result(), http::status::service_unavailable);
  EXPECT_EQ(nlohmann::json::parse(not_ready.body()),
            (nlohmann::json{{"status", "not_ready"}, {"reason", "database unreachable"}}));
  ready_ = true;
  const response ready = get("/readyz");
  EXPECT_EQ(ready.result(), http::status::ok);
  EXPECT_EQ(nlohmann::json::parse(ready.body()), (nlohmann::json{{"status", "ready"}}));
}

TEST_F(service_routes_test, readyz_without_a_provider_is_not_ready) {
  core::metrics_registry metrics(core::metrics_registry::process_metrics::exclude);
  router routes(metrics);
  register_service_routes(routes, metrics, nullptr);
  asio::io_context io;
  auto answer =
      asio::co_spawn(io, routes.handle(request{http::verb::get, "/readyz", 11}), asio::use_future);
  io.run();
  EXPECT_EQ(answer.get().result(), http::status::service_unavailable);
}

TEST_F(service_routes_test, metrics_renders_the_registry_as_prometheus_text) {
  metrics_.counter("test_marker_total", "A marker.").increment(5);
  get("/healthz");
  const response res = get("/metrics");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(res.body().find("# TYPE test_marker_total counter\ntest_marker_total 5\n"),
            std::string::npos);
  // The earlier /healthz request was counted before this scrape.
  EXPECT_NE(res.body().find("callcenterd_http_requests_total{method=\"GET\",route=\"/healthz\","
                            "status=\"200\"} 1\n"),
            std::string::npos)
      << res.body();
}

TEST_F(service_routes_test, api_root_names_the_service_with_and_without_slash) {
  const nlohmann::json expected{{"name", "callcenterd"}, {"version", core::version}, {"api", "v1"}};
  for (const char* target : {"/api/v1", "/api/v1/"}) {
    const response res = get(target);
    EXPECT_EQ(res.result(), http::status::ok) << target;
    EXPECT_EQ(nlohmann::json::parse(res.body()), expected) << target;
  }
  EXPECT_FALSE(std::string(core::version).empty());
}

TEST_F(service_routes_test, head_works_for_the_service_endpoints) {
  const response res = get("/healthz", http::verb::head);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[http::field::content_length],
            std::to_string(std::string(R"({"status":"ok"})").size()));
  EXPECT_EQ(get("/metrics", http::verb::post).result(), http::status::method_not_allowed);
}

}  // namespace
}  // namespace callcenterd::api
