#include "server_fixture.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

namespace callcenterd::api::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

server_fixture::server_fixture() : work_(asio::make_work_guard(io_)) {
  router_.get("/hello", [](request_context&) -> asio::awaitable<response> {
    co_return text_response(http::status::ok, "hello", "text/plain");
  });
  router_.get("/after/{ms}", [](request_context& context) -> asio::awaitable<response> {
    const std::string ms(context.path_param("ms").value_or("0"));
    co_await sleep_for(std::chrono::milliseconds(std::stoi(ms)));
    co_return text_response(http::status::ok, ms, "text/plain");
  });
  router_.get("/whoami", [](request_context& context) -> asio::awaitable<response> {
    co_return text_response(http::status::ok, context.client_address, "text/plain");
  });
  router_.post("/echo", [](request_context& context) -> asio::awaitable<response> {
    co_return text_response(http::status::ok, context.body(), "text/plain");
  });
  router_.get("/boom", [](request_context&) -> asio::awaitable<response> {
    throw std::runtime_error("handler exploded on purpose");
    co_return response{};
  });
  router_.get("/gate", [this](request_context&) -> asio::awaitable<response> {
    gate_entered_ = true;
    while (!gate_open_) co_await sleep_for(5ms);
    co_return text_response(http::status::ok, "through", "text/plain");
  });
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

server_fixture::~server_fixture() {
  if (server_) stop_and_wait_drained();
  server_.reset();
  work_.reset();
  io_.stop();
  for (auto& thread : threads_) thread.join();
}

http_server_settings server_fixture::short_settings() {
  http_server_settings settings;
  settings.address = "127.0.0.1";
  settings.port = 0;
  settings.max_header_bytes = 4096;
  settings.max_body_bytes = 1024;
  settings.request_timeout = 200ms;
  settings.idle_timeout = 5s;
  settings.max_connections = 16;
  return settings;
}

void server_fixture::start_server(http_server_settings settings) {
  start_server(std::move(settings), [this](request req, std::string client) {
    return router_.handle(std::move(req), std::move(client));
  });
}

void server_fixture::start_server(http_server_settings settings, request_handler handler) {
  server_.emplace(io_, std::move(settings), std::move(handler), metrics_);
  if (upgrade_) server_->on_upgrade(upgrade_);
  const auto ec = server_->start();
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_NE(server_->port(), 0);
}

bool server_fixture::stop_and_wait_drained() {
  auto drained = std::make_shared<std::promise<void>>();
  server_->on_drained([drained] { drained->set_value(); });
  server_->stop();
  return drained->get_future().wait_for(10s) == std::future_status::ready;
}

bool server_fixture::wait_gate_entered() {
  for (int i = 0; i < 2000 && !gate_entered_; ++i) std::this_thread::sleep_for(5ms);
  return gate_entered_;
}

}  // namespace callcenterd::api::test
