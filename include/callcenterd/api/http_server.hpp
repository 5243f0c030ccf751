#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "callcenterd/api/client_stream.hpp"
#include "callcenterd/api/response.hpp"

namespace callcenterd::core {
class metrics_registry;
}

namespace callcenterd::api {

/// The server's identity for HTTPS: PEM files, read once by http_server::start().
struct http_tls_settings {
  /// The server's certificate first, then any intermediate certificates.
  std::filesystem::path certificate_file;
  /// The certificate's private key, unencrypted.
  std::filesystem::path private_key_file;
};

/// How the HTTP server listens and what it tolerates from clients.
struct http_server_settings {
  /// The one address to listen on ("127.0.0.1", "::1", "0.0.0.0", ...).
  std::string address = "127.0.0.1";
  /// 0 picks a free port; http_server::port() tells which.
  std::uint16_t port = 8080;
  /// Request line plus header fields; larger gets 431 and the connection closes.
  std::uint32_t max_header_bytes = 16 * 1024;
  /// Request body; larger gets 413 and the connection closes.
  std::uint64_t max_body_bytes = std::uint64_t{1024} * 1024;
  /// From a request's first byte until it is fully read, and for writing each response. When it
  /// passes while reading, the client gets 408 and the connection closes; while writing, the
  /// connection just closes. Handler run time is not limited here.
  std::chrono::milliseconds request_timeout{30'000};
  /// How long a keep-alive connection may wait for its next request before it is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  /// Connections beyond this get 503 and are closed at once.
  std::size_t max_connections = 1024;
  /// When set, every connection is TLS (1.2 or newer), WebSocket upgrades included; the
  /// handshake must finish within request_timeout. Unset: plain HTTP.
  std::optional<http_tls_settings> tls;
};

/// Gives each request to the application (normally router::handle) with the client's IP
/// address as text (the TCP peer, never a header a client could forge). Runs on the
/// connection's strand. A throw becomes a 500 response; the connection stays usable.
using request_handler = std::function<boost::asio::awaitable<response>(request, std::string)>;

/// Takes over a connection whose request asks to upgrade to WebSocket (RFC 6455): the stream
/// (plain TCP, or TLS when the server has TLS; on its connection's strand), the upgrade
/// request, and the client's address. From then on the connection is the handler's: the server
/// no longer counts, times or closes it. Runs on the connection's strand.
using upgrade_handler = std::function<void(client_stream, request, std::string client_address)>;

namespace detail {
class server_state;
}

/// An HTTP/1.1 server on the shared io_context. Each connection runs on its own strand and
/// answers its requests in order (pipelined requests included), one at a time, keeping the
/// connection alive when the client allows. Protocol errors get JSON error bodies (400, 408,
/// 413, 431, 503). With settings.tls every connection starts with a TLS handshake; one that
/// fails (a plain HTTP request, garbage, a timeout) closes that connection only.
///
/// Publishes callcenterd_http_connections (gauge), callcenterd_http_connections_rejected_total,
/// callcenterd_http_protocol_errors_total{code} and, with TLS,
/// callcenterd_http_tls_handshake_failures_total in `metrics`.
///
/// All member functions are thread-safe. Connections keep the server's internals alive, so
/// destroying the server early is safe for the server itself; what `handler` refers to (the
/// router) must outlive the connections, which is why the owner should stop(), wait for
/// drained, and only then destroy the router.
class http_server {
 public:
  using settings = http_server_settings;

  http_server(boost::asio::io_context& io, settings config, request_handler handler,
              core::metrics_registry& metrics);
  /// Calls stop().
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Hands WebSocket upgrade requests to `handler` instead of the request handler. Call
  /// before start(); without it an upgrade request is answered like any other.
  void on_upgrade(upgrade_handler handler);

  /// Reads the TLS certificate and key (settings.tls), binds and listens on
  /// settings.address:settings.port, then accepts on the io_context's threads. Returns the
  /// error, if any: a certificate or key that cannot be read or do not match is logged with
  /// the file's name and nothing listens. Blocking (it reads the files). Call once.
  [[nodiscard]] boost::system::error_code start();

  /// The bound port after a successful start() (useful with port 0); 0 before.
  [[nodiscard]] std::uint16_t port() const noexcept;

  /// Stops accepting, closes idle keep-alive connections and lets in-flight requests finish
  /// (their responses carry Connection: close). Idempotent; returns at once.
  void stop();

  /// Open connections, excluding those being turned away with 503.
  [[nodiscard]] std::size_t connection_count() const;

  /// `callback` is posted to the io_context once stop() was called and every connection is
  /// gone; at once (posted) if that has already happened.
  void on_drained(std::function<void()> callback);

  /// As on_drained, as an asynchronous operation with signature void(error_code): success once
  /// drained, operation_aborted when cancelled through the handler's cancellation slot (so
  /// `co_await (server.async_wait_drained(use_awaitable) || timer.async_wait(...))` gives a drain
  /// timeout). Completes on the token's associated executor, never inside this call.
  template <typename CompletionToken>
  auto async_wait_drained(CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this](auto handler) {
          using handler_type = decltype(handler);
          auto executor = boost::asio::get_associated_executor(handler, io_.get_executor());
          auto slot = boost::asio::get_associated_cancellation_slot(handler);
          // Drained (on an io thread) and cancelled (on the waiter's) may race; the first wins.
          // Shared because std::function needs a copyable callable and handlers are move-only.
          struct pending {
            std::mutex mutex;
            std::optional<handler_type> handler;
            std::optional<boost::asio::executor_work_guard<decltype(executor)>> work;

            void complete(boost::system::error_code ec) {
              std::optional<handler_type> taken;
              {
                std::lock_guard lock(mutex);
                if (!handler) return;
                taken.emplace(std::move(*handler));
                handler.reset();
              }
              auto target = work->get_executor();
              boost::asio::post(target,
                                [h = std::move(*taken), ec]() mutable { std::move(h)(ec); });
              work.reset();
            }
          };
          auto state = std::make_shared<pending>();
          state->handler.emplace(std::move(handler));
          state->work.emplace(executor);
          if (slot.is_connected()) {
            slot.assign([state](boost::asio::cancellation_type type) {
              if (type != boost::asio::cancellation_type::none) {
                state->complete(boost::asio::error::operation_aborted);
              }
            });
          }
          on_drained([state] { state->complete({}); });
        },
        token);
  }

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<detail::server_state> state_;
};

}  // namespace callcenterd::api
