#include "server_state.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "callcenterd/core/metrics.hpp"
#include "http_session.hpp"
#include "tls_context.hpp"

namespace callcenterd::api::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Accepting again at once after EMFILE and friends would spin; a short pause lets fds free up.
constexpr std::chrono::milliseconds accept_retry_delay{100};

auto log_failure(const char* what) {
  return [what](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::error("http: {} failed: {}", what, e.what());
    } catch (...) {
      spdlog::error("http: {} failed", what);
    }
  };
}

}  // namespace

server_state::server_state(asio::io_context& io, http_server_settings settings,
                           request_handler handler, core::metrics_registry& metrics)
    : io_(io),
      settings_(std::move(settings)),
      handler_(std::move(handler)),
      metrics_(metrics),
      connections_(metrics.gauge("callcenterd_http_connections", "Open HTTP connections.")),
      rejected_(metrics.counter("callcenterd_http_connections_rejected_total",
                                "HTTP connections turned away with 503 at max_connections.")),
      strand_(asio::make_strand(io)),
      acceptor_(strand_) {}

boost::system::error_code server_state::listen() {
  std::lock_guard lock(mutex_);
  if (started_) return asio::error::already_started;
  if (stopping_) return asio::error::operation_aborted;
  if (settings_.tls) {
    auto made = blocking_make_tls_context(*settings_.tls);
    if (made.error) {
      spdlog::error("http: {}", made.detail);
      return made.error;
    }
    tls_ = std::move(made.context);
    tls_handshake_failures_ = &metrics_.counter(
        "callcenterd_http_tls_handshake_failures_total",
        "HTTPS connections closed because their TLS handshake failed or took too long.");
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(settings_.address, ec);
  if (ec) return ec;
  const tcp::endpoint endpoint(address, settings_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return ec;
  }
  started_ = true;
  asio::co_spawn(strand_, accept_loop(), log_failure("accepting connections"));
  spdlog::info("http: listening on {} port {}{}", settings_.address, port_.load(),
               tls_ ? " (TLS)" : "");
  return {};
}

asio::awaitable<void> server_state::accept_loop() {
  const auto self = shared_from_this();
  asio::steady_timer pause(strand_);
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_),
                                                        asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      spdlog::warn("http: accept failed: {}", ec.message());
      pause.expires_after(accept_retry_delay);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    admit(tcp::socket(std::move(socket)));
  }
}

void server_state::admit(tcp::socket socket) {
  std::unique_lock lock(mutex_);
  if (stopping_) return;  // the socket closes as it goes out of scope
  if (sessions_.size() >= settings_.max_connections) {
    lock.unlock();
    rejected_.increment();
    reject(std::move(socket));
    return;
  }
  auto session = make_session(std::move(socket));
  sessions_.emplace(session.get(), session);
  connections_.set(static_cast<double>(sessions_.size()));
  lock.unlock();
  session->start();
}

std::shared_ptr<http_connection> server_state::make_session(tcp::socket socket) {
  if (tls_) {
    return std::make_shared<http_session<tls_stream>>(tls_stream(std::move(socket), *tls_),
                                                      shared_from_this());
  }
  return std::make_shared<http_session<tcp::socket>>(std::move(socket), shared_from_this());
}

void server_state::reject(tcp::socket socket) {
  const auto executor = socket.get_executor();
  const auto timeout = settings_.request_timeout;
  if (tls_) {
    asio::co_spawn(executor, turn_away(tls_stream(std::move(socket), *tls_), timeout),
                   log_failure("turning a connection away"));
  } else {
    asio::co_spawn(executor, turn_away(std::move(socket), timeout),
                   log_failure("turning a connection away"));
  }
}

void server_state::stop() {
  std::vector<std::shared_ptr<http_connection>> live;
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (const auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    callbacks = take_drained_callbacks();
  }
  asio::post(strand_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
  for (const auto& session : live) session->stop();
  for (auto& callback : callbacks) asio::post(io_, std::move(callback));
  spdlog::info("http: stopping, {} connection(s) open", live.size());
}

std::size_t server_state::connection_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void server_state::on_drained(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!drained_) {
      drained_callbacks_.push_back(std::move(callback));
      return;
    }
  }
  asio::post(io_, std::move(callback));
}

std::vector<std::function<void()>> server_state::take_drained_callbacks() {
  if (!stopping_ || !sessions_.empty() || drained_) return {};
  drained_ = true;
  return std::exchange(drained_callbacks_, {});
}

void server_state::remove_session(const http_connection* session) {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
    connections_.set(static_cast<double>(sessions_.size()));
    callbacks = take_drained_callbacks();
  }
  for (auto& callback : callbacks) asio::post(io_, std::move(callback));
}

asio::awaitable<response> server_state::handle(request req, std::string client_address) const {
  try {
    auto handling = handler_(std::move(req), std::move(client_address));
    co_return co_await std::move(handling);
  } catch (const std::exception& e) {
    spdlog::error("http: request handler failed: {}", e.what());
  } catch (...) {
    spdlog::error("http: request handler failed with a non-standard exception");
  }
  co_return error_response(error::internal_error);
}

void server_state::count_tls_handshake_failure() {
  if (tls_handshake_failures_ != nullptr) tls_handshake_failures_->increment();
}

void server_state::count_protocol_error(error reason) {
  metrics_
      .counter("callcenterd_http_protocol_errors_total",
               "Requests refused before routing (malformed, too large, too slow).",
               {{"code", std::string(code_of(reason))}})
      .increment();
}

}  // namespace callcenterd::api::detail
