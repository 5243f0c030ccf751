#include "callcenterd/api/http_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "callcenterd/core/uuid.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"

namespace callcenterd::api::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

using http_server_test = server_fixture;

TEST_F(http_server_test, keep_alive_serves_two_requests_on_one_connection) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 2; ++i) {
    const auto res = client.request("/hello");
    ASSERT_TRUE(res) << client.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ(res->body(), "hello");
    EXPECT_TRUE(res->keep_alive());
  }
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(http_server_test, handlers_learn_the_client_address_from_the_socket) {
  start_server();
  test_client client(port());
  const auto res = client.request("/whoami", "GET", "X-Forwarded-For: 203.0.113.9\r\n");
  ASSERT_TRUE(res) << client.last_error().message();
  EXPECT_EQ(res->body(), "127.0.0.1");
}

TEST_F(http_server_test, pipelined_requests_are_answered_in_order) {
  start_server();
  test_client client(port());
  // The first request takes longer than the second; answers must still come in request order.
  ASSERT_TRUE(
      client.send(raw_request("/after/60") + raw_request("/after/0") + raw_request("/hello")));
  for (const char* expected : {"60", "0", "hello"}) {
    const auto res = client.read_response();
    ASSERT_TRUE(res) << client.last_error().message();
    EXPECT_EQ(res->body(), expected);
  }
}

TEST_F(http_server_test, echoes_the_clients_request_id_or_makes_one) {
  start_server();
  test_client client(port());
  const auto echoed = client.request("/hello", "GET", "X-Request-Id: call-42.abc\r\n");
  ASSERT_TRUE(echoed);
  EXPECT_EQ((*echoed)["X-Request-Id"], "call-42.abc");

  const auto made = client.request("/hello");
  ASSERT_TRUE(made);
  EXPECT_TRUE(core::is_uuid(std::string((*made)["X-Request-Id"])));
}

TEST_F(http_server_test, a_throwing_handler_gives_500_and_the_server_keeps_serving) {
  start_server();
  test_client client(port());
  const auto failed = client.request("/boom");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->result(), http::status::internal_server_error);
  EXPECT_EQ((*failed)[http::field::content_type], "application/json");
  EXPECT_EQ(nlohmann::json::parse(failed->body())["error"]["code"], "internal_error");

  const auto same_connection = client.request("/hello");
  ASSERT_TRUE(same_connection);
  EXPECT_EQ(same_connection->result(), http::status::ok);
  test_client another(port());
  const auto new_connection = another.request("/hello");
  ASSERT_TRUE(new_connection);
  EXPECT_EQ(new_connection->body(), "hello");
}

TEST_F(http_server_test, a_throwing_raw_handler_is_caught_by_the_server_too) {
  start_server(short_settings(), [](request, std::string) -> asio::awaitable<response> {
    throw std::logic_error("no router here");
    co_return response{};
  });
  test_client client(port());
  const auto res = client.request("/anything");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), http::status::internal_server_error);
  EXPECT_EQ(client.request("/again")->result(), http::status::internal_server_error);
}

TEST_F(http_server_test, head_announces_the_length_without_a_body) {
  start_server();
  test_client client(port());
  const auto res = client.request("/hello", "HEAD");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), http::status::ok);
  EXPECT_EQ((*res)[http::field::content_length], "5");
  EXPECT_TRUE(res->body().empty());
  // Nothing stray follows the head: the next response parses cleanly.
  const auto next = client.request("/hello");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "hello");
}

TEST_F(http_server_test, http_1_0_without_keep_alive_is_closed_after_the_response) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.send("GET /hello HTTP/1.0\r\n\r\n"));
  const auto res = client.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->version(), 10u);
  EXPECT_EQ(res->body(), "hello");
  EXPECT_TRUE(client.wait_closed_by_server());
}

TEST_F(http_server_test, expect_100_continue_invites_the_body) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(
      client.send(raw_request("/echo", "POST", "Content-Length: 4\r\nExpect: 100-continue\r\n")));
  const auto interim = client.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result(), http::status::continue_);
  ASSERT_TRUE(client.send("ping"));
  const auto res = client.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "ping");
}

TEST_F(http_server_test, counts_requests_by_route_pattern) {
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.request("/after/1"));
  ASSERT_TRUE(client.request("/after/2"));
  ASSERT_TRUE(client.request("/nowhere"));
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("callcenterd_http_requests_total{method=\"GET\",route=\"/after/{ms}\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("callcenterd_http_requests_total{method=\"GET\",route=\"unmatched\","
                      "status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("callcenterd_http_request_duration_seconds_count{method=\"GET\","
                      "route=\"/after/{ms}\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("callcenterd_http_connections 1\n"), std::string::npos);
}

TEST_F(http_server_test, stop_lets_an_in_flight_request_finish_and_closes_idle_ones) {
  start_server();
  test_client idle(port());
  ASSERT_TRUE(idle.request("/hello"));  // accepted and now idle
  test_client busy(port());
  ASSERT_TRUE(busy.send(raw_request("/gate")));
  ASSERT_TRUE(wait_gate_entered());

  std::promise<void> drained;
  server_->on_drained([&drained] { drained.set_value(); });
  server_->stop();
  EXPECT_TRUE(idle.wait_closed_by_server());
  EXPECT_EQ(idle.bytes_before_close(), 0u);
  idle.close();  // the server lingers until the peer closes too
  for (int i = 0; i < 1000 && server_->connection_count() > 1; ++i)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(server_->connection_count(), 1u);
  // The slow request is still running, so the server cannot be drained yet.
  auto drained_future = drained.get_future();
  EXPECT_EQ(drained_future.wait_for(0s), std::future_status::timeout);

  release_gate();
  const auto res = busy.read_response();
  ASSERT_TRUE(res) << busy.last_error().message();
  EXPECT_EQ(res->result(), http::status::ok);
  EXPECT_EQ(res->body(), "through");
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(busy.wait_closed_by_server());
  EXPECT_EQ(drained_future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(server_->connection_count(), 0u);

  test_client late(port());
  EXPECT_FALSE(late.connected());
}

TEST_F(http_server_test, async_wait_drained_completes_a_coroutine) {
  start_server();
  auto waited = asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<int> {
        co_await server_->async_wait_drained(asio::use_awaitable);
        co_return 7;
      },
      asio::use_future);
  EXPECT_EQ(waited.wait_for(0s), std::future_status::timeout);
  server_->stop();
  ASSERT_EQ(waited.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(waited.get(), 7);
  // Asking after the fact completes at once.
  std::promise<void> again;
  server_->on_drained([&again] { again.set_value(); });
  EXPECT_EQ(again.get_future().wait_for(10s), std::future_status::ready);
}

TEST_F(http_server_test, waiting_for_drain_can_be_given_up_with_a_timer) {
  using namespace boost::asio::experimental::awaitable_operators;
  start_server();
  test_client busy(port());
  ASSERT_TRUE(busy.send(raw_request("/gate")));
  ASSERT_TRUE(wait_gate_entered());
  server_->stop();
  // The gate stays shut until this coroutine has finished, so the timer must win the race.
  auto outcome = asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<std::size_t> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 50ms);
        const auto first = co_await (server_->async_wait_drained(asio::use_awaitable) ||
                                     timer.async_wait(asio::as_tuple(asio::use_awaitable)));
        co_return first.index();
      },
      asio::use_future);
  ASSERT_EQ(outcome.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(outcome.get(), 1u);
  release_gate();
  ASSERT_TRUE(busy.read_response());
}

TEST_F(http_server_test, a_cancelled_drain_wait_completes_with_operation_aborted) {
  start_server();
  asio::cancellation_signal cancel;
  std::promise<boost::system::error_code> result;
  // One strand, so that the wait begins before the signal is emitted.
  const auto strand = asio::make_strand(io_);
  asio::post(strand, [&] {
    server_->async_wait_drained(asio::bind_cancellation_slot(
        cancel.slot(), [&result](boost::system::error_code ec) { result.set_value(ec); }));
  });
  asio::post(strand, [&] { cancel.emit(asio::cancellation_type::terminal); });
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(future.get(), asio::error::operation_aborted);
}

TEST_F(http_server_test, start_reports_bind_errors_as_values) {
  start_server();
  auto taken = short_settings();
  taken.port = port();
  http_server clash(
      io_, taken, [](request, std::string) -> asio::awaitable<response> { co_return response{}; },
      metrics_);
  EXPECT_TRUE(clash.start() == boost::system::errc::address_in_use);

  auto bad = short_settings();
  bad.address = "not-an-address";
  http_server invalid(
      io_, bad, [](request, std::string) -> asio::awaitable<response> { co_return response{}; },
      metrics_);
  EXPECT_TRUE(invalid.start());
  EXPECT_EQ(invalid.port(), 0);
}

TEST_F(http_server_test, listens_only_on_the_configured_address) {
  start_server();
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  // 127.0.0.2 is loopback too, but not the configured address.
  socket.connect({boost::asio::ip::make_address("127.0.0.2"), port()}, ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace callcenterd::api::test
