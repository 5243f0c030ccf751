#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "test_client.hpp"

namespace callcenterd::api::test {

// test_client over TLS: connects to 127.0.0.1, then handshakes verifying the server against
// `ca_file` (the certificate must name 127.0.0.1). Every step runs under the same guard as
// test_client's.
class tls_test_client {
 public:
  static constexpr std::chrono::seconds guard{10};

  tls_test_client(std::uint16_t port, const std::filesystem::path& ca_file);

  // The connect's or else the handshake's error.
  [[nodiscard]] boost::system::error_code handshake_error() const { return handshake_error_; }
  [[nodiscard]] bool ready() const { return !handshake_error_; }

  // Sends a request (raw_request(), then `body` as it is) and reads the answer.
  std::optional<client_response> request(std::string_view target, std::string_view method = "GET",
                                         std::string_view extra_headers = "",
                                         std::string_view body = "");
  // True when the server ends the connection (close_notify, EOF or reset) before the guard.
  bool wait_closed_by_server();
  // A WebSocket handshake for `target` on this connection, then one text message sent and one
  // read back; the answer, or nullopt (see last_error).
  std::optional<std::string> websocket_round_trip(std::string_view target, std::string_view text);
  [[nodiscard]] boost::system::error_code last_error() const { return last_error_; }

 private:
  template <typename Start>
  boost::system::error_code run_guarded(Start start);

  boost::asio::io_context io_;
  boost::asio::ssl::context context_;
  boost::beast::ssl_stream<boost::asio::ip::tcp::socket> stream_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code handshake_error_;
  boost::system::error_code last_error_;
};

}  // namespace callcenterd::api::test
