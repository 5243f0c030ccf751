#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "callcenterd/api/error.hpp"
#include "callcenterd/api/http_server.hpp"

namespace callcenterd::core {
class counter;
class gauge;
class metrics_registry;
}  // namespace callcenterd::core

namespace callcenterd::api::detail {

class http_connection;

// Everything the server's connections share. The http_server facade owns one; every session
// holds a reference too, so a connection never outlives what it uses. The acceptor lives on
// strand_; the session table is guarded by mutex_ because sessions leave from their own strands.
// With TLS, the context is made by listen() and only read afterwards.
class server_state : public std::enable_shared_from_this<server_state> {
 public:
  server_state(boost::asio::io_context& io, http_server_settings settings, request_handler handler,
               core::metrics_registry& metrics);

  boost::system::error_code listen();
  [[nodiscard]] std::uint16_t port() const noexcept { return port_.load(); }
  void stop();
  [[nodiscard]] std::size_t connection_count() const;
  void on_drained(std::function<void()> callback);

  // Used by sessions, on their own strands.
  [[nodiscard]] const http_server_settings& settings() const noexcept { return settings_; }
  // The application's answer; a throwing handler becomes a 500 here.
  boost::asio::awaitable<response> handle(request req, std::string client_address) const;
  void count_protocol_error(error reason);
  void count_tls_handshake_failure();
  // Set before listen(); read by sessions afterwards.
  void set_upgrade_handler(upgrade_handler handler) { upgrade_ = std::move(handler); }
  [[nodiscard]] const upgrade_handler& upgrade() const noexcept { return upgrade_; }
  void remove_session(const http_connection* session);

 private:
  boost::asio::awaitable<void> accept_loop();
  void admit(boost::asio::ip::tcp::socket socket);
  // A session over TLS or plain TCP, as configured.
  std::shared_ptr<http_connection> make_session(boost::asio::ip::tcp::socket socket);
  // Answers 503 and closes, over TLS when configured.
  void reject(boost::asio::ip::tcp::socket socket);
  // The drained callbacks to run now, if the server just became drained. Needs mutex_ held.
  std::vector<std::function<void()>> take_drained_callbacks();

  boost::asio::io_context& io_;
  const http_server_settings settings_;
  const request_handler handler_;
  upgrade_handler upgrade_;
  core::metrics_registry& metrics_;
  core::gauge& connections_;
  core::counter& rejected_;
  core::counter* tls_handshake_failures_ = nullptr;  ///< with TLS only
  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<std::uint16_t> port_{0};

  mutable std::mutex mutex_;
  bool started_ = false;
  bool stopping_ = false;
  bool drained_ = false;
  std::unordered_map<const http_connection*, std::weak_ptr<http_connection>> sessions_;
  std::vector<std::function<void()>> drained_callbacks_;
};

}  // namespace callcenterd::api::detail
