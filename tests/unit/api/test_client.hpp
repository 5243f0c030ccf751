#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::api::test {

using client_response = boost::beast::http::response<boost::beast::http::string_body>;

// A blocking-looking HTTP client for tests, driven by its own io_context so that every step has
// a hang guard instead of blocking forever when the server misbehaves. The guard is a safety net,
// not a measurement: tests never assert on how long anything took.
class test_client {
 public:
  static constexpr std::chrono::seconds guard{10};

  explicit test_client(std::uint16_t port);

  [[nodiscard]] bool connected() const { return !connect_error_; }
  [[nodiscard]] boost::system::error_code connect_error() const { return connect_error_; }

  // Writes raw bytes; false on error.
  bool send(std::string_view bytes);
  // Reads one response; nullopt when the connection ended or the guard passed (see last_error).
  std::optional<client_response> read_response(bool for_head_request = false);
  // Sends a GET (or any method) for `target` and reads the answer.
  std::optional<client_response> request(std::string_view target, std::string_view method = "GET",
                                         std::string_view extra_headers = "");
  // True when the server closes the connection (EOF or reset) before the guard passes. Whatever
  // arrives before that is counted in bytes_before_close().
  bool wait_closed_by_server();
  [[nodiscard]] std::size_t bytes_before_close() const { return bytes_before_close_; }
  // A WebSocket handshake for `target` on this connection, then one text message sent and one
  // read back; the answer, or nullopt (see last_error).
  std::optional<std::string> websocket_round_trip(std::string_view target, std::string_view text);
  [[nodiscard]] boost::system::error_code last_error() const { return last_error_; }

  void close();

 private:
  template <typename Start>
  boost::system::error_code run_guarded(Start start);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code connect_error_;
  boost::system::error_code last_error_;
  std::size_t bytes_before_close_ = 0;
};

// "GET /x HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n" (extra lines end in \r\n).
std::string raw_request(std::string_view target, std::string_view method = "GET",
                        std::string_view extra_headers = "");

}  // namespace callcenterd::api::test
