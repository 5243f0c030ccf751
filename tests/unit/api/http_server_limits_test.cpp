// What the server does with clients that break the rules: too big, too slow, too many, garbage.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/api/http_server.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"

namespace callcenterd::api::test {
namespace {

using namespace std::chrono_literals;

using http_server_limits_test = server_fixture;

// The response is a JSON error with `code`, and the server closes the connection after it.
void expect_error_and_close(test_client& client, http::status status, const std::string& code) {
  const auto res = client.read_response();
  ASSERT_TRUE(res) << client.last_error().message();
  EXPECT_EQ(res->result(), status);
  EXPECT_EQ((*res)[http::field::content_type], "application/json");
  const auto body = nlohmann::json::parse(res->body());
  EXPECT_EQ(body["error"]["code"], code);
  EXPECT_TRUE(body["error"]["message"].is_string());
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(client.wait_closed_by_server());
}

TEST_F(http_server_limits_test, a_body_over_the_limit_gets_413) {
  start_server();  // max_body_bytes = 1024
  test_client client(port());
  const std::string body(5000, 'x');
  ASSERT_TRUE(client.send(raw_request("/echo", "POST", "Content-Length: 5000\r\n") + body));
  expect_error_and_close(client, http::status::payload_too_large, "body_too_large");
  EXPECT_NE(
      metrics_.render().find("callcenterd_http_protocol_errors_total{code=\"body_too_large\"} 1\n"),
      std::string::npos);
}

TEST_F(http_server_limits_test, a_chunked_body_over_the_limit_gets_413) {
  start_server();
  test_client client(port());
  std::string chunks;
  for (int i = 0; i < 3; ++i) chunks += "200\r\n" + std::string(512, 'y') + "\r\n";
  chunks += "0\r\n\r\n";
  ASSERT_TRUE(client.send(raw_request("/echo", "POST", "Transfer-Encoding: chunked\r\n") + chunks));
  expect_error_and_close(client, http::status::payload_too_large, "body_too_large");
}

TEST_F(http_server_limits_test, a_body_within_the_limit_is_served) {
  start_server();
  test_client client(port());
  const std::string body(1024, 'z');
  ASSERT_TRUE(client.send(raw_request("/echo", "POST", "Content-Length: 1024\r\n") + body));
  const auto res = client.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), body);
}

TEST_F(http_server_limits_test, huge_headers_get_431) {
  start_server();  // max_header_bytes = 4096
  test_client client(port());
  const std::string header = "X-Padding: " + std::string(20000, 'h') + "\r\n";
  ASSERT_TRUE(client.send(raw_request("/hello", "GET", header)));
  expect_error_and_close(client, http::status::request_header_fields_too_large, "header_too_large");
}

TEST_F(http_server_limits_test, garbage_bytes_get_400) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.send("\x01\x02\x03 not http at all\r\n\r\n"));
  expect_error_and_close(client, http::status::bad_request, "bad_request");
}

TEST_F(http_server_limits_test, a_bad_header_line_gets_400) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: test\r\nNo colon here\r\n\r\n"));
  expect_error_and_close(client, http::status::bad_request, "bad_request");
}

TEST_F(http_server_limits_test, an_invalid_target_gets_a_json_400) {
  start_server();
  test_client client(port());
  const auto res = client.request("/bad%zzescape");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), http::status::bad_request);
  EXPECT_EQ(nlohmann::json::parse(res->body())["error"]["code"], "bad_request");
}

TEST_F(http_server_limits_test, an_idle_connection_is_closed_without_a_response) {
  auto settings = short_settings();
  settings.idle_timeout = 200ms;
  start_server(settings);
  test_client silent(port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.wait_closed_by_server());
  EXPECT_EQ(silent.bytes_before_close(), 0u);

  // The same after a completed request: keep-alive has its own idle limit.
  test_client served(port());
  ASSERT_TRUE(served.request("/hello"));
  EXPECT_TRUE(served.wait_closed_by_server());
  EXPECT_EQ(served.bytes_before_close(), 0u);
}

TEST_F(http_server_limits_test, a_request_that_stalls_gets_408) {
  auto settings = short_settings();
  settings.request_timeout = 200ms;
  settings.idle_timeout = 10s;  // the first byte arrived, so only the request timeout applies
  start_server(settings);
  test_client client(port());
  ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: te"));
  expect_error_and_close(client, http::status::request_timeout, "request_timeout");
}

TEST_F(http_server_limits_test, connections_over_the_maximum_get_503) {
  auto settings = short_settings();
  settings.max_connections = 2;
  start_server(settings);
  auto first = std::make_unique<test_client>(port());
  test_client second(port());
  // A completed request proves that the server has taken the connection.
  ASSERT_TRUE(first->request("/hello"));
  ASSERT_TRUE(second.request("/hello"));

  test_client third(port());
  ASSERT_TRUE(third.connected());
  expect_error_and_close(third, http::status::service_unavailable, "too_many_connections");
  EXPECT_EQ(server_->connection_count(), 2u);
  EXPECT_NE(metrics_.render().find("callcenterd_http_connections_rejected_total 1\n"),
            std::string::npos);

  // Once a connection leaves there is room again. The server notices the close on its own
  // schedule, so poll (bounded) instead of assuming when.
  first.reset();
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    test_client next(port());
    const auto res = next.request("/hello");
    served = res && res->result() == http::status::ok;
    if (!served) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace callcenterd::api::test
