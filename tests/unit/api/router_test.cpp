#include "callcenterd/api/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "callcenterd/core/metrics.hpp"
#include "callcenterd/core/uuid.hpp"

namespace callcenterd::api {
namespace {

namespace asio = boost::asio;

// Runs the router for one request on a private io_context; no network involved.
response call(const router& routes, http::verb method, std::string_view target,
              const std::string& request_id = "") {
  request req{method, target, 11};
  if (!request_id.empty()) req.set("X-Request-Id", request_id);
  asio::io_context io;
  auto answer = asio::co_spawn(io, routes.handle(std::move(req)), asio::use_future);
  io.run();
  return answer.get();
}

std::string error_code_of(const response& res) {
  return nlohmann::json::parse(res.body())["error"]["code"].get<std::string>();
}

// A handler that answers with the route, its parameters and the query, to see what it got.
route_handler describe(std::string name) {
  return [name](request_context& context) -> asio::awaitable<response> {
    nlohmann::json body{{"handler", name}, {"route", context.route}};
    for (const auto& [key, value] : context.path_params) body["params"][key] = value;
    for (const auto& [key, value] : context.query_params) body["query"][key] = value;
    co_return json_response(http::status::ok, body);
  };
}

class router_test : public ::testing::Test {
 protected:
  router_test() {
    routes_.get("/healthz", describe("health"));
    routes_.get("/agents/{id}", describe("agent"));
    routes_.del("/agents/{id}", describe("delete_agent"));
    routes_.get("/agents/me", describe("me"));
    routes_.post("/agents", describe("create_agent"));
    routes_.get("/static/{path*}", describe("static"));
    routes_.get("/api/v1", describe("v1"));
  }

  nlohmann::json body_of(http::verb method, std::string_view target) {
    const response res = call(routes_, method, target);
    EXPECT_EQ(res.result(), http::status::ok) << target << " " << res.body();
    return nlohmann::json::parse(res.body(), nullptr, false);
  }

  core::metrics_registry metrics_{core::metrics_registry::process_metrics::exclude};
  router routes_{metrics_};
};

TEST_F(router_test, routes_exact_paths) {
  EXPECT_EQ(body_of(http::verb::get, "/healthz")["handler"], "health");
  EXPECT_EQ(body_of(http::verb::get, "/api/v1")["handler"], "v1");
  EXPECT_EQ(call(routes_, http::verb::get, "/api/v1/").result(), http::status::not_found);
}

TEST_F(router_test, extracts_path_and_query_parameters) {
  const auto body = body_of(http::verb::get, "/agents/42?view=full&name=J%C3%BCrgen+M");
  EXPECT_EQ(body["handler"], "agent");
  EXPECT_EQ(body["route"], "/agents/{id}");
  EXPECT_EQ(body["params"]["id"], "42");
  EXPECT_EQ(body["query"]["view"], "full");
  EXPECT_EQ(body["query"]["name"], "J\xC3\xBCrgen M");
  EXPECT_EQ(body_of(http::verb::get, "/static/css/site.css")["params"]["path"], "css/site.css");
}

TEST_F(router_test, the_most_specific_route_wins) {
  EXPECT_EQ(body_of(http::verb::get, "/agents/me")["handler"], "me");
  EXPECT_EQ(body_of(http::verb::get, "/agents/you")["handler"], "agent");
  // /agents/me has no DELETE, but /agents/{id} does.
  EXPECT_EQ(body_of(http::verb::delete_, "/agents/me")["handler"], "delete_agent");
}

TEST_F(router_test, lists_every_method_on_every_pattern) {
  std::vector<std::string> listed;
  for (const auto& r : routes_.routes()) listed.push_back(r.method + " " + r.pattern);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, (std::vector<std::string>{"DELETE /agents/{id}", "GET /agents/me",
                                              "GET /agents/{id}", "GET /api/v1", "GET /healthz",
                                              "GET /static/{path*}", "POST /agents"}));
}

TEST_F(router_test, unknown_paths_get_a_json_404) {
  const response res = call(routes_, http::verb::get, "/nothing/here");
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(error_code_of(res), "not_found");
  EXPECT_EQ(call(routes_, http::verb::get, "/agents/1/extra").result(), http::status::not_found);
}

TEST_F(router_test, a_known_path_with_another_method_gets_405_with_allow) {
  const response res = call(routes_, http::verb::put, "/agents/7");
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "DELETE, GET, HEAD");
  EXPECT_EQ(error_code_of(res), "method_not_allowed");
  EXPECT_EQ(call(routes_, http::verb::get, "/agents")[http::field::allow], "POST");
}

TEST_F(router_test, head_is_served_by_the_get_handler_without_a_body) {
  const response get = call(routes_, http::verb::get, "/healthz");
  const response head = call(routes_, http::verb::head, "/healthz");
  EXPECT_EQ(head.result(), http::status::ok);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(head[http::field::content_length], std::to_string(get.body().size()));
  EXPECT_EQ(head[http::field::content_type], "application/json");
  EXPECT_EQ(call(routes_, http::verb::head, "/agents").result(), http::status::method_not_allowed);
}

TEST_F(router_test, honours_a_sane_request_id_and_replaces_others) {
  EXPECT_EQ(call(routes_, http::verb::get, "/healthz", "abc-123")["X-Request-Id"], "abc-123");
  const response made = call(routes_, http::verb::get, "/nothing");
  EXPECT_TRUE(core::is_uuid(std::string(made["X-Request-Id"])));
  const response spaced = call(routes_, http::verb::get, "/healthz", "has space");
  EXPECT_TRUE(core::is_uuid(std::string(spaced["X-Request-Id"])));
  const response huge = call(routes_, http::verb::get, "/healthz", std::string(300, 'a'));
  EXPECT_TRUE(core::is_uuid(std::string(huge["X-Request-Id"])));
}

TEST_F(router_test, the_handler_sees_the_request_id_it_echoes) {
  routes_.get("/id", [](request_context& context) -> asio::awaitable<response> {
    co_return json_response(http::status::ok, {{"id", context.request_id}});
  });
  const response res = call(routes_, http::verb::get, "/id");
  EXPECT_EQ(nlohmann::json::parse(res.body())["id"], std::string(res["X-Request-Id"]));
}

TEST_F(router_test, a_throwing_handler_becomes_a_500) {
  routes_.get("/std", [](request_context&) -> asio::awaitable<response> {
    throw std::runtime_error("broken");
    co_return response{};
  });
  routes_.get("/odd", [](request_context&) -> asio::awaitable<response> {
    throw 42;
    co_return response{};
  });
  for (const char* target : {"/std", "/odd"}) {
    const response res = call(routes_, http::verb::get, target);
    EXPECT_EQ(res.result(), http::status::internal_server_error);
    EXPECT_EQ(error_code_of(res), "internal_error");
    EXPECT_FALSE(res["X-Request-Id"].empty());
  }
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("callcenterd_http_requests_total{method=\"GET\",route=\"/std\","
                      "status=\"500\"} 1\n"),
            std::string::npos);
}

TEST_F(router_test, a_bad_target_is_a_400) {
  const response res = call(routes_, http::verb::get, "/agents/%zz");
  EXPECT_EQ(res.result(), http::status::bad_request);
  EXPECT_EQ(error_code_of(res), "bad_request");
}

TEST_F(router_test, metrics_use_the_route_pattern_not_the_raw_path) {
  call(routes_, http::verb::get, "/agents/1");
  call(routes_, http::verb::get, "/agents/2?x=y");
  call(routes_, http::verb::put, "/agents/3");
  call(routes_, http::verb::get, "/no/such/path");
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("callcenterd_http_requests_total{method=\"GET\",route=\"/agents/{id}\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("callcenterd_http_requests_total{method=\"PUT\",route=\"/agents/{id}\","
                      "status=\"405\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_EQ(text.find("/agents/1"), std::string::npos);
  EXPECT_NE(text.find("callcenterd_http_request_duration_seconds_count{method=\"GET\","
                      "route=\"/agents/{id}\"} 2\n"),
            std::string::npos);
}

TEST(router, rejects_bad_registrations) {
  core::metrics_registry metrics(core::metrics_registry::process_metrics::exclude);
  router routes(metrics);
  routes.get("/a/{id}", describe("a"));
  EXPECT_THROW(routes.get("/a/{id}", describe("again")), std::invalid_argument);
  EXPECT_THROW(routes.post("/a/{other}", describe("same shape")), std::invalid_argument);
  EXPECT_THROW(routes.get("no-slash", describe("bad")), std::invalid_argument);
  EXPECT_THROW(routes.get("/b", route_handler{}), std::invalid_argument);
  EXPECT_NO_THROW(routes.post("/a/{id}", describe("post")));
}

}  // namespace
}  // namespace callcenterd::api
