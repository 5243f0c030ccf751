#include "test_client.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace callcenterd::api::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

test_client::test_client(std::uint16_t port) : socket_(io_) {
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  connect_error_ = run_guarded([&](auto done) { socket_.async_connect(server, done); });
}

template <typename Start>
boost::system::error_code test_client::run_guarded(Start start) {
  std::optional<boost::system::error_code> result;
  start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
  io_.restart();
  io_.run_for(guard);
  if (!result) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    io_.restart();
    io_.run();
    return asio::error::timed_out;
  }
  return *result;
}

bool test_client::send(std::string_view bytes) {
  last_error_ = run_guarded([&](auto done) {
    asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), done);
  });
  return !last_error_;
}

std::optional<client_response> test_client::read_response(bool for_head_request) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(for_head_request);
  last_error_ = run_guarded([&](auto done) { http::async_read(socket_, buffer_, parser, done); });
  if (last_error_) return std::nullopt;
  return parser.release();
}

std::optional<client_response> test_client::request(std::string_view target,
                                                    std::string_view method,
                                                    std::string_view extra_headers) {
  if (!send(raw_request(target, method, extra_headers))) return std::nullopt;
  return read_response(method == "HEAD");
}

bool test_client::wait_closed_by_server() {
  bytes_before_close_ = buffer_.size();
  buffer_.clear();
  std::array<char, 4096> chunk{};
  for (;;) {
    std::size_t received = 0;
    last_error_ = run_guarded([&](auto done) {
      socket_.async_read_some(asio::buffer(chunk),
                              [&received, done](boost::system::error_code ec, std::size_t n) {
                                received = n;
                                done(ec);
                              });
    });
    bytes_before_close_ += received;
    if (last_error_ == asio::error::eof || last_error_ == asio::error::connection_reset) {
      return true;
    }
    if (last_error_) return false;
  }
}

std::optional<std::string> test_client::websocket_round_trip(std::string_view target,
                                                             std::string_view text) {
  boost::beast::websocket::stream<tcp::socket&> ws(socket_);
  last_error_ = run_guarded([&](auto done) { ws.async_handshake("127.0.0.1", target, done); });
  if (last_error_) return std::nullopt;
  last_error_ = run_guarded([&](auto done) { ws.async_write(asio::buffer(text), done); });
  if (last_error_) return std::nullopt;
  boost::beast::flat_buffer received;
  last_error_ = run_guarded([&](auto done) { ws.async_read(received, done); });
  if (last_error_) return std::nullopt;
  return boost::beast::buffers_to_string(received.data());
}

void test_client::close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

std::string raw_request(std::string_view target, std::string_view method,
                        std::string_view extra_headers) {
  std::string text;
  text.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  text.append(extra_headers).append("\r\n");
  return text;
}

}  // namespace callcenterd::api::test
